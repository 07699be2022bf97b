import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { Logger } from 'pino';
import { createLogger } from './logger';
import { type Actor, bootstrap, type Core, createCore, type EventSubscriber, loadSecretBox, seedDemo } from '@rapport/core';
import { type Database, openDatabase } from '@rapport/db';
import { runMigrations } from './admin/operations';
import { startAdminSocket } from './admin/socket';
import { WebhookService } from './webhooks/webhook-service';
import { createApp } from './app';
import { answerClientErrors } from './client-errors';
import { collectWhenIdle } from './idle-collection';
import type { ServerConfig } from './config';
import { JobRunner } from '@rapport/jobs';
import { PluginHost } from './plugins/plugin-host';
import { scheduleTrashPurge } from './trash-purge-job';
import { importPlugin, type PluginModule } from './plugins/plugin-module';


export interface RunningServer {
  url: string;
  port: number;
  core: Core;
  database: Database;
  log: Logger;
  /** The plugins this server offers and runs. */
  plugins: PluginHost;
  /** Set on the very first start (a fresh database): the admin it created. */
  firstRunAdmin?: Actor;
  close(): Promise<void>;
}

/** Opens the database, migrates, creates the first workspace and admin, and serves HTTP. */
export interface StartOptions {
  log?: Logger;
  /** Event subscribers registered before the dispatcher starts, so that they miss no event. */
  subscribers?: EventSubscriber[];
  /** Plugins given in code (beside the packages named in RAPPORT_PLUGINS). */
  plugins?: PluginModule[];
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  let closeSocket: (() => Promise<void>) | undefined;
  try {
    const report = await runMigrations(database);
    if (report.applied.length > 0) log.info({ migrations: report.applied }, `applied ${report.applied.length} migration(s)`);
    let plugins: PluginHost | undefined;
    const core = createCore({
      database,
      pluginObjects: () => plugins?.objects() ?? [],
      pluginFields: () => plugins?.fields() ?? [],
      filesDir: path.join(config.dataDir, 'files'),
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
      sso: config.oidc,
      secrets: loadSecretBox({ secretKey: config.secretKey, dataDir: config.dataDir }),
      mail: { smtpUrl: config.smtpUrl, from: config.mailFrom, onError: (error) => log.warn({ err: error }, 'mail sending failed') },
      dispatcher: { leaseMs: config.dispatchLeaseMs, onError: (subscriber, event, error) => log.warn({ subscriber, event: event?.id, err: error }, 'event delivery failed') },
    });
    for (const subscriber of options.subscribers ?? []) core.events.subscribe(subscriber);
    let firstRunAdmin: Actor | undefined;
    const { createdAdmin } = await bootstrap(core, { adminEmail: config.adminEmail, adminPassword: config.adminPassword }, async (tx, admin) => {
      firstRunAdmin = admin;
      if (config.demoData) await seedDemo(core, admin, { tx });
    });
    if (createdAdmin) {
      const password = createdAdmin.generatedPassword ? `password ${createdAdmin.generatedPassword} (shown once: change it)` : 'the password from RAPPORT_ADMIN_PASSWORD';
      log.info(`first run: created the admin ${createdAdmin.email}, ${password}`);
      if (createdAdmin.generatedPassword) {
        process.stdout.write(`\n  Sign in as ${createdAdmin.email} with the password ${createdAdmin.generatedPassword}\n\n`);
      }
    }
    await core.start({ dispatch: config.dispatcher });
    const jobs = new JobRunner(database, log);
    await scheduleTrashPurge(core, jobs, log);
    plugins = new PluginHost(core, log, jobs, { fetchPrivateHosts: config.pluginFetchPrivateHosts });
    for (const name of config.plugins) plugins.register(await importPlugin(name));
    for (const module of options.plugins ?? []) plugins.register(module);
    await plugins.start();
    if (database.driver === 'pglite') closeSocket = await startAdminSocket(core, config.dataDir, plugins);
    const webhooks = new WebhookService(core, { privateHosts: config.webhookPrivateHosts });
    if (config.dispatcher) await webhooks.start();
    const { app } = createApp({ core, log, publicUrl: config.publicUrl, bodyLimitBytes: config.bodyLimitBytes, uploadLimitBytes: config.uploadLimitBytes, webRoot: config.webRoot, plugins, jobs, trustedProxies: config.trustedProxies, webhooks });
    const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
      const started = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(started));
      started.once('error', reject);
    });
    answerClientErrors(server);
    const stopIdleCollection = collectWhenIdle(server as unknown as Server);
    const port = (server.address() as AddressInfo).port;
    const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
    let closing: Promise<void> | undefined;
    const running: RunningServer = {
      url,
      port,
      core,
      database,
      log,
      plugins,
      firstRunAdmin,
      close() {
        closing ??= (async () => {
          // Open event streams end first: the server waits for every connection to close.
          plugins?.announceClosing();
          stopIdleCollection();
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          });
          await closeSocket?.();
          await webhooks.stop();
          await plugins!.stop();
          await jobs.stop();
          await core.stop();
          await database.close();
        })();
        return closing;
      },
    };
    log.info(`Rapport listening on ${url} (${database.driver === 'pglite' ? `embedded PGlite in ${config.dataDir}` : database.location})`);
    return running;
  } catch (error) {
    await closeSocket?.();
    await database.close().catch(() => {});
    throw error;
  }
}
