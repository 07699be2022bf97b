import http from 'node:http';
import type { AddressInfo } from 'node:net';
import vm from 'node:vm';
import { afterEach, expect, it } from 'vitest';
import { collectWhenIdle } from '../src/idle-collection';

/* A real HTTP server and real requests; what is counted is when the collection would run. */
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listening(): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer((_request, response) => response.end('ok'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('collects once when the server goes quiet after enough requests, and not while requests come in', async () => {
  const { server, url } = await listening();
  let collections = 0;
  const stop = collectWhenIdle(server, { quietMs: 150, minRequests: 20, collect: () => collections++ });
  try {
    // Busy for about four intervals: never quiet, so nothing runs.
    const busyUntil = Date.now() + 600;
    while (Date.now() < busyUntil) await (await fetch(url)).text();
    expect(collections).toBe(0);
    await sleep(500);
    expect(collections).toBe(1);
    // Still quiet: nothing new to give back.
    await sleep(400);
    expect(collections).toBe(1);
  } finally {
    stop();
  }
});

it('does nothing for a few requests, and nothing once stopped', async () => {
  const { server, url } = await listening();
  let collections = 0;
  const stop = collectWhenIdle(server, { quietMs: 100, minRequests: 20, collect: () => collections++ });
  for (let index = 0; index < 5; index++) await (await fetch(url)).text();
  await sleep(350);
  expect(collections).toBe(0);
  stop();
  for (let index = 0; index < 30; index++) await (await fetch(url)).text();
  await sleep(350);
  expect(collections).toBe(0);
});

it('runs a real full collection by default', () => {
  const server = http.createServer();
  const stop = collectWhenIdle(server, { quietMs: 60_000 });
  stop();
  // The default collection is V8's gc(), reachable once the flag is set.
  expect(typeof vm.runInNewContext('gc')).toBe('function');
});
