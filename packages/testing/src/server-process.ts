import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/** A port nothing listens on, for a server started in a child process. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A server running in its own process, to be killed (SIGKILL) and started again as a crash would. */
export interface ServerProcess {
  process: ChildProcess;
  /** Everything it wrote, stdout and stderr. */
  output: string;
  url: string;
  exited: Promise<number | null>;
  waitFor(text: RegExp, timeoutMs?: number): Promise<void>;
}

/**
 * Runs `script` (TypeScript, through tsx) in a child process from `cwd`, with PORT set to a free
 * port, and waits for it to print `ready <url>` unless told not to.
 */
export async function startServerProcess(script: string, options: { cwd: string; env: Record<string, string>; waitReady?: boolean }): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: options.cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RAPPORT_LOG_LEVEL: 'warn', RAPPORT_DEMO_DATA: 'false', RAPPORT_ADMIN_PASSWORD: 'correct horse battery', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state: ServerProcess = {
    process: child,
    output: '',
    url: `http://127.0.0.1:${port}`,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    async waitFor(text, timeoutMs = 60_000) {
      const started = Date.now();
      while (!text.test(state.output)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before ${text}:\n${state.output}`);
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${text}:\n${state.output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
  child.stdout!.on('data', (chunk) => (state.output += chunk));
  child.stderr!.on('data', (chunk) => (state.output += chunk));
  if (options.waitReady !== false) await state.waitFor(/^ready /m);
  return state;
}
