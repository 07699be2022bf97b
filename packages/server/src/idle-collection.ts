import type { Server } from 'node:http';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface IdleCollectionOptions {
  /** How long without a request counts as idle. */
  quietMs?: number;
  /** Requests since the last collection below which nothing is done (a few requests grow nothing). */
  minRequests?: number;
  /** The collection itself: a full GC by default. */
  collect?: () => void;
}

let collection: (() => void) | null | undefined;

/** A full garbage collection, or null where the runtime does not give one; looked up once per process. */
function fullCollection(): (() => void) | null {
  if (collection !== undefined) return collection;
  try {
    // The flag makes V8 install gc() in contexts created after it: one small context, once a process
    // (a process that starts many servers, as the tests do, would otherwise make one each).
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collection = typeof gc === 'function' ? () => (gc as () => void)() : null;
  } catch {
    collection = null;
  }
  return collection;
}

/**
 * After a burst of requests V8 keeps the heap it grew (220–240 MB after the bench's warm-up, of which
 * about 50 MB live). Its memory reducer gives it back, but it starts only after a full collection,
 * which an idle server may never run: some idle runs stayed at 210 MB. One full collection once the
 * server has been idle for `quietMs` after enough requests gives back part of it and lets the reducer
 * start: measured 210–230 → 140–200 MB, and about 108 MB when the reducer followed. Returns the stop function.
 */
export function collectWhenIdle(server: Server, options: IdleCollectionOptions = {}): () => void {
  const collect = options.collect ?? fullCollection();
  if (!collect) return () => {};
  const quietMs = options.quietMs ?? 5000;
  const minRequests = options.minRequests ?? 100;
  let sinceCollection = 0;
  let sinceTick = 0;
  const onRequest = () => {
    sinceCollection++;
    sinceTick++;
  };
  server.on('request', onRequest);
  const timer = setInterval(() => {
    const quiet = sinceTick === 0;
    sinceTick = 0;
    if (!quiet || sinceCollection < minRequests) return;
    sinceCollection = 0;
    collect();
  }, quietMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    server.off('request', onRequest);
  };
}
