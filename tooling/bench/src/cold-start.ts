import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { request, sleep } from './http';

export interface ColdStartRun {
  /** From spawn to the first 200 of GET /api/v1/health. */
  healthMs: number;
  /** From spawn to the first 200 of an authenticated list of people. */
  listMs: number;
}

export interface ColdStartReport {
  runs: ColdStartRun[];
  healthMs: number;
  listMs: number;
  /**
   * VmRSS of the server process after a warm-up then `idleMs` without requests, in MB; and the
   * same 5 s after the warm-up, before the server's idle collection and V8's memory reducer have given
   * back the heap grown under the load. Its peak is VmHWM.
   */
  idleRssMb: number | null;
  rssAfterLoadMb: number | null;
  peakRssMb: number | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function readRssMb(pid: number): { rss: number | null; hwm: number | null } {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: null, hwm: null };
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Polls `url` until it answers 200; returns the time since `started` (bounded by `timeoutMs`). */
async function firstOk(url: string, headers: Record<string, string>, started: number, timeoutMs: number, exited: () => string | null): Promise<number> {
  for (;;) {
    try {
      const answer = await request(url, { headers, timeoutMs: 5000 });
      if (answer.status === 200) return performance.now() - started;
    } catch {
      /* not listening yet */
    }
    const why = exited();
    if (why) throw new Error(`the server stopped before answering ${url}: ${why}`);
    if (performance.now() - started > timeoutMs) throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
    await sleep(5);
  }
}

export interface BuiltServer {
  url: string;
  pid: number;
  /** Time from spawn to the first 200 of each URL waited for. */
  waitFor(path: string, headers?: Record<string, string>): Promise<number>;
  stop(): Promise<void>;
}

/** Spawns `node [nodeArgs] entry` on a free port of 127.0.0.1 (`pnpm start`'s process, without pnpm). */
export async function spawnBuilt(options: { entry: string; cwd: string; env: Record<string, string>; nodeArgs?: string[] }): Promise<BuiltServer> {
  const port = await freePort();
  // No plugin offered unless asked: the cold start measures the server itself.
  const env: NodeJS.ProcessEnv = { ...process.env, RAPPORT_PLUGINS: '', ...options.env, PORT: String(port), HOST: '127.0.0.1', RAPPORT_DEMO_DATA: 'false', RAPPORT_LOG_LEVEL: 'warn' };
  delete env.NODE_OPTIONS;
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.entry], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  let exitCode: number | null = null;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code ?? -1), resolve())));
  const why = () => (exitCode === null ? null : `exit code ${exitCode}: ${output}`);
  return {
    url,
    pid: child.pid!,
    waitFor: (path, headers = {}) => firstOk(`${url}${path}`, headers, started, 60_000, why),
    async stop() {
      if (exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Starts the built server (`node apps/server/dist/main.js`, as `pnpm start` does) on an existing
 * database `runs` times, timing the first 200 on /health and on an authenticated list. After the
 * last start, `warmUp` runs against it, then the server idles and its RSS is read from /proc (5 s after
 * the warm-up, and after `idleMs`).
 */
export async function measureColdStart(options: {
  entry: string;
  cwd: string;
  env: Record<string, string>;
  token: string;
  runs: number;
  warmUp: (url: string) => Promise<void>;
  idleMs: number;
  /** The node flags the product starts the server with. */
  nodeArgs?: string[];
}): Promise<ColdStartReport> {
  const runs: ColdStartRun[] = [];
  let idleRssMb: number | null = null;
  let rssAfterLoadMb: number | null = null;
  let peakRssMb: number | null = null;
  for (let index = 0; index < options.runs; index++) {
    const server = await spawnBuilt(options);
    try {
      const healthMs = await server.waitFor('/api/v1/health');
      const listMs = await server.waitFor('/api/v1/records/person?limit=50', { authorization: `Bearer ${options.token}` });
      runs.push({ healthMs: Math.round(healthMs), listMs: Math.round(listMs) });
      if (index === options.runs - 1) {
        await options.warmUp(server.url);
        await sleep(5000);
        rssAfterLoadMb = readRssMb(server.pid).rss;
        await sleep(Math.max(0, options.idleMs - 5000));
        const memory = readRssMb(server.pid);
        idleRssMb = memory.rss;
        peakRssMb = memory.hwm;
      }
    } finally {
      await server.stop();
    }
  }
  return { runs, healthMs: median(runs.map((run) => run.healthMs)), listMs: median(runs.map((run) => run.listMs)), idleRssMb, rssAfterLoadMb, peakRssMb };
}
