import os from 'node:os';
import autocannon from 'autocannon';
import { cpuTimeMs } from './process-cpu';

export interface LoadOptions {
  /** Base URL, http://127.0.0.1:port */
  url: string;
  /** The path of each request; called once per request when it is a function (random ids, values). */
  path: string | (() => string);
  headers?: Record<string, string>;
  connections: number;
  durationS: number;
  warmupS: number;
  /** The server's pid, to count the CPU time it spent per request (robust to other work on the machine). */
  pid?: number;
}

export interface LoadResult {
  connections: number;
  durationS: number;
  requests: number;
  /** Answers other than 2xx, and transport errors or time-outs: a run with any of them is not valid. */
  non2xx: number;
  errors: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** One-minute load average when the run started: other work on the machine skews the figures. */
  loadAverage: number;
  /** CPU time (user + system) the server process spent per answered request, in ms. */
  serverCpuMsPerRequest: number | null;
}


/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1]!;
}

interface Raw {
  latencies: number[];
  non2xx: number;
  errors: number;
  elapsedS: number;
}

function run(options: LoadOptions, durationS: number): Promise<Raw> {
  if (!options.url.startsWith('http://127.0.0.1:')) throw new Error(`refusing to load anything but 127.0.0.1 (${options.url})`);
  const latencies: number[] = [];
  let non2xx = 0;
  const path = options.path;
  const request: autocannon.Request =
    typeof path === 'function' ? { method: 'GET', setupRequest: (req) => ({ ...req, path: path() }) } : { method: 'GET', path };
  return new Promise<Raw>((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: durationS,
        headers: options.headers,
        requests: [request],
        timeout: 30,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({ latencies, non2xx, errors: result.errors + result.timeouts, elapsedS: (performance.now() - started) / 1000 });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) non2xx++;
      else latencies.push(responseTime);
    });
  });
}

/** A warm-up (discarded), then a measured run; latencies are every request's, percentiles exact. */
export async function measure(options: LoadOptions): Promise<LoadResult> {
  if (options.warmupS > 0) await run(options, options.warmupS);
  const loadAverage = Math.round(os.loadavg()[0]! * 100) / 100;
  const cpuBefore = cpuTimeMs(options.pid);
  const raw = await run(options, options.durationS);
  const cpuAfter = cpuTimeMs(options.pid);
  const sorted = Float64Array.from(raw.latencies).sort();
  const sum = raw.latencies.reduce((total, value) => total + value, 0);
  return {
    connections: options.connections,
    durationS: Math.round(raw.elapsedS * 100) / 100,
    requests: raw.latencies.length,
    non2xx: raw.non2xx,
    errors: raw.errors,
    rps: raw.latencies.length / raw.elapsedS,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: raw.latencies.length ? sum / raw.latencies.length : Number.NaN,
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    loadAverage,
    serverCpuMsPerRequest: cpuBefore !== null && cpuAfter !== null && raw.latencies.length > 0 ? Math.round(((cpuAfter - cpuBefore) / raw.latencies.length) * 1000) / 1000 : null,
  };
}
