import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type SQL, sql } from 'drizzle-orm';
import pino from 'pino';
import type { Actor, CoreOptions } from '@rapport/core';
import { jobQueue, JobRunner } from '@rapport/jobs';
import { answerClientErrors, createApp, PluginHost, type PluginModule, WebhookService } from '@rapport/server';
import { createTestCore, type TestCore } from './test-core';
import type { DriverName } from '@rapport/db';

export interface TestServer extends TestCore {
  /** The plugin host, when plugins were given. */
  plugins?: PluginHost;
  /** Base URL of the real HTTP server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** An admin API key of the bootstrap workspace. */
  apiKey: string;
  /** fetch against the server with the admin key (unless `headers.authorization` is given). */
  request(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Runs a plugin's scheduled (cron) job now, as its schedule would: sent to its queue; answers the job's id. */
  tick(pluginId: string, job: string): Promise<string>;
  /** Counts rows of every table (the "nothing was written" check). */
  rowCounts(): Promise<Record<string, number>>;
}

/**
 * The rows of a table that "nothing was written" checks count: all but the key-use entries of the
 * access audit, which the server writes once a minute per key whatever the request (even a refused one).
 */
export function countedRows(table: string): SQL {
  return table === 'access_audit' ? sql`${sql.identifier(table)} where action <> 'apiKey.used'` : sql`${sql.identifier(table)}`;
}

/** A real Rapport HTTP server on a random local port, over a fresh database. */
export async function createTestServer(
  options: { driver?: DriverName; bodyLimitBytes?: number; uploadLimitBytes?: number; plugins?: PluginModule[]; pluginFetchPrivateHosts?: string[]; webhooks?: { privateHosts: string[] } } & Pick<CoreOptions, 'mail' | 'publicUrl' | 'sso'> = {},
): Promise<TestServer> {
  let url = '';
  let plugins: PluginHost | undefined;
  // Links in mail and the single sign-on callback point at this server unless told otherwise.
  const testCore = await createTestCore({ driver: options.driver, mail: options.mail, sso: options.sso, publicUrl: options.publicUrl ?? (() => url), pluginObjects: () => plugins?.objects() ?? [], pluginFields: () => plugins?.fields() ?? [] });
  const { core, admin } = testCore;
  let jobs: JobRunner | undefined;
  if (options.plugins) {
    jobs = new JobRunner(core.database, pino({ level: process.env.RAPPORT_TEST_LOG ?? "silent" }), 0.5);
    plugins = new PluginHost(core, pino({ level: process.env.RAPPORT_TEST_LOG ?? 'silent' }), jobs, { fetchPrivateHosts: options.pluginFetchPrivateHosts });
    for (const module of options.plugins) plugins.register(module);
    await plugins.start();
  }
  // Webhooks deliver (quickly, retrying after 200 ms) when a test asks for them; their routes are always there.
  const webhooks = options.webhooks ? new WebhookService(core, { privateHosts: options.webhooks.privateHosts, pollMs: 200, retryBaseMs: 200 }) : undefined;
  await webhooks?.start();
  const { app } = createApp({
    core,
    plugins,
    jobs,
    webhooks,
    log: pino({ level: process.env.RAPPORT_TEST_LOG ?? 'silent' }),
    bodyLimitBytes: options.bodyLimitBytes ?? 10 * 1024 * 1024,
    uploadLimitBytes: options.uploadLimitBytes ?? 256 * 1024 * 1024,
    publicUrl: typeof options.publicUrl === 'string' ? options.publicUrl : undefined,
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  answerClientErrors(server);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { token } = await core.identity.createApiKey(admin as Actor, { name: 'tests' });
  const request = (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    return fetch(`${url}${path}`, { ...init, headers, body });
  };
  return {
    ...testCore,
    plugins,
    url,
    apiKey: token,
    request,
    tick(pluginId, job) {
      if (!jobs) throw new Error('this test server runs no jobs: give it plugins');
      return jobs.send(jobQueue(pluginId, job), {});
    },
    async rowCounts() {
      const { rows } = await import('@rapport/db');
      const tables = await rows<{ name: string }>(core.database.db, sql`select tablename as name from pg_tables where schemaname = 'public' order by 1`);
      const counts: Record<string, number> = {};
      for (const { name } of tables) {
        const [row] = await rows<{ count: number }>(core.database.db, sql`select count(*)::int as count from ${countedRows(name)}`);
        counts[name] = row!.count;
      }
      return counts;
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await webhooks?.stop();
      await plugins?.stop();
      await jobs?.stop();
      await testCore.close();
    },
  };
}
