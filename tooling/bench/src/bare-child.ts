import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import type { ChildReply, ChildRequest } from './ipc';

/*
 * The bare baseline: a minimal Hono app on the same Node HTTP adapter, whose one route runs the SQL
 * the real server ran for the list (captured, with its parameters) through the same driver
 * (postgres.js with prepared statements and a pool of 10, as @rapport/db opens it; or PGlite) and
 * answers the rows as JSON. No authentication, no metadata, no presentation: what is left is the
 * floor the real server is compared with. `/list-auth` runs the captured API-key lookup first, to
 * tell the cost of that round trip from the rest.
 */

const driver = process.env.BARE_DRIVER;
const location = process.env.BARE_DATABASE!;
const { query, params } = JSON.parse(process.env.BARE_QUERY!) as { query: string; params: unknown[] };
/** The API-key lookup the real server runs first, for `/list-auth` (the list behind that one query more). */
const auth = process.env.BARE_AUTH_QUERY ? (JSON.parse(process.env.BARE_AUTH_QUERY) as { query: string; params: unknown[] }) : null;

async function main() {
  let run: (text: string, values: unknown[]) => Promise<unknown[]>;
  let close: () => Promise<void>;
  if (driver === 'postgres') {
    const client = postgres(location, { max: 10, onnotice: () => {} });
    run = (text, values) => client.unsafe(text, values as never[], { prepare: true });
    close = () => client.end({ timeout: 5 });
  } else {
    const client = new PGlite({ dataDir: location, extensions: { btree_gin, citext, pg_trgm, unaccent } });
    await client.waitReady;
    run = async (text, values) => (await client.query(text, values)).rows;
    close = () => client.close();
  }
  await run('select 1', []);

  const app = new Hono();
  app.get('/ping', (c) => c.json({ ok: true }));
  app.get('/list', async (c) => c.json({ data: await run(query, params) }));
  if (auth) {
    app.get('/list-auth', async (c) => {
      if ((await run(auth.query, auth.params)).length !== 1) return c.json({ error: 'unknown key' }, 401);
      return c.json({ data: await run(query, params) });
    });
  }
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  process.on('message', async (message: ChildRequest) => {
    if (message.type !== 'close') {
      process.send!({ type: 'error', id: message.id, message: `the bare server does not handle ${message.type}` } satisfies ChildReply);
      return;
    }
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    });
    await close();
    process.send!({ type: 'ok', id: message.id } satisfies ChildReply, () => process.exit(0));
  });
  process.send!({ type: 'ready', url, pid: process.pid, driver: driver ?? 'pglite' } satisfies ChildReply);
}

main().catch((error: Error) => {
  process.stderr.write(`bench bare child: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
