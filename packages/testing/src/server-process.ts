import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type Database, openPglite, openPostgres } from '@rapport/db';
import { createTestDatabase } from './test-database';

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

const running = new Set<ChildProcess>();
// A test that fails half way leaves no server behind to load the machine (and the next tests).
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Kills every server process still running: for a suite's `afterAll`, so that a failed test leaves none behind. */
export async function stopServerProcesses(): Promise<void> {
  const exits = [...running].map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve))));
  for (const child of running) child.kill('SIGKILL');
  await Promise.all(exits);
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
  running.add(child);
  child.once('exit', () => running.delete(child));
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

/** A fresh test database handed over to servers in child processes, and opened again by the test to check it. */
export interface ChildDatabase {
  driver: 'pglite' | 'postgres';
  /** What points a child server at it (and gives it a data folder). */
  env: Record<string, string>;
  dataDir: string;
  /** The database, once the children are done (PGlite: one process at a time). */
  open(): Promise<Database>;
  close(): Promise<void>;
}

export async function createChildDatabase(): Promise<ChildDatabase> {
  const testDatabase = await createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-child-'));
  let env: Record<string, string>;
  if (testDatabase.driver === 'pglite') {
    // The child owns the folder: the test's own handle closes first, and opens it again at the end.
    await testDatabase.database.close();
    fs.renameSync(testDatabase.location, path.join(dataDir, 'pgdata'));
    env = { RAPPORT_DATA_DIR: dataDir };
  } else {
    env = { DATABASE_URL: testDatabase.location, RAPPORT_DATA_DIR: dataDir };
  }
  return {
    driver: testDatabase.driver,
    env,
    dataDir,
    open: () => (testDatabase.driver === 'pglite' ? openPglite({ pgDataDir: path.join(dataDir, 'pgdata') }) : openPostgres({ url: testDatabase.location, max: 1 })),
    close: async () => {
      if (testDatabase.driver === 'postgres') await testDatabase.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
