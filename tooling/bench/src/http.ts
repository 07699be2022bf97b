import http from 'node:http';

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One HTTP request to the local server, without keep-alive or fetch's start-up cost (for timing cold starts too). */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number } = {}): Promise<HttpAnswer> {
  const target = new URL(url);
  if (target.hostname !== '127.0.0.1') throw new Error(`refusing to call anything but 127.0.0.1 (${url})`);
  return new Promise<HttpAnswer>((resolve, reject) => {
    const headers: Record<string, string | number> = { ...(init.headers ?? {}) };
    if (init.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = Buffer.byteLength(init.body);
    }
    const req = http.request(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: init.method ?? 'GET', headers, agent: false, timeout: init.timeoutMs ?? 600_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${init.method ?? 'GET'} ${url} timed out`)));
    req.on('error', reject);
    if (init.body !== undefined) req.write(init.body);
    req.end();
  });
}

/** A JSON request that must answer 2xx. */
export async function json<T>(url: string, token: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const answer = await request(url, {
    method: init.method,
    headers: { authorization: `Bearer ${token}` },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (answer.status < 200 || answer.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url} answered ${answer.status}: ${answer.body.slice(0, 2000)}`);
  return (answer.body ? JSON.parse(answer.body) : undefined) as T;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
