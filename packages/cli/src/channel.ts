import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { bootstrap, type Core, createCore, loadSecretBox, seedDemo, type UserView } from '@rapport/core';
import { type Database, DataDirLockedError, openDatabase, redactUrl } from '@rapport/db';
import {
  adminSocketPath,
  callAdminSocket,
  type Check,
  createApiKey,
  createLogger,
  createUser,
  doctor,
  importPlugin,
  listPlugins,
  PluginHost,
  type PluginView,
  applyDistributionAsAdmin,
  changePlugin,
  type Distribution,
  type DistributionReport,
  exportDistributionAsAdmin,
  type PluginAction,
  type MigrationReport,
  runMigrations,
  seedDemoData,
  type ServerConfig,
} from '@rapport/server';
import { CliError, problemMessage } from './errors';
import type { Io } from './io';

/*
 * How a command reaches the data. PostgreSQL (DATABASE_URL): the CLI opens it, whether a server
 * runs or not. PGlite: one process owns the data folder, so when a server runs there the CLI asks
 * it through its admin socket (<data>/admin.sock); otherwise the CLI opens the folder itself.
 */

export interface NewUser {
  email: string;
  name: string;
  password?: string;
  role?: string;
}

export interface CreatedUser {
  user: UserView;
  generatedPassword?: string;
}

export interface AdminChannel {
  /** `server`: through the running server's admin socket; `database`: the CLI opened the database. */
  readonly via: 'server' | 'database';
  migrate(dryRun: boolean): Promise<MigrationReport>;
  seedDemo(): Promise<{ companies: number; people: number }>;
  createApiKey(input: { name: string; role?: string }): Promise<{ token: string; id: string }>;
  createUser(input: NewUser): Promise<CreatedUser>;
  doctor(): Promise<Check[]>;
  plugins(): Promise<PluginView[]>;
  /** Beside a running server: done there at once. Without one: recorded (an enable runs at the next start). */
  changePlugin(id: string, action: PluginAction): Promise<{ id: string; status: string; version?: string }>;
  applyDistribution(distribution: unknown): Promise<DistributionReport>;
  exportDistribution(name: string): Promise<Distribution>;
  close(): Promise<void>;
}

/** How long to wait for a data folder whose owner does not answer (a server still starting, another CLI command). */
const LOCK_WAIT_MS = 5_000;

/** Whether something listens on the admin socket of `dataDir`. */
function socketAnswers(dataDir: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection({ path: adminSocketPath(dataDir) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function openChannel(config: ServerConfig, io: Io): Promise<AdminChannel> {
  if (config.databaseUrl) {
    let database: Database;
    try {
      database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    } catch (error) {
      const reason = (error as Error).message || (error as { code?: string }).code || 'no answer';
      throw new CliError(`cannot open the PostgreSQL database ${redactUrl(config.databaseUrl)}: ${reason}`);
    }
    return databaseChannel(database, config, io);
  }
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    if (await socketAnswers(config.dataDir)) return serverChannel(config.dataDir);
    try {
      return databaseChannel(await openDatabase({ dataDir: config.dataDir }), config, io);
    } catch (error) {
      if (!(error instanceof DataDirLockedError)) throw error;
      if (Date.now() >= deadline) {
        throw new CliError(
          `the data folder ${config.dataDir} is in use by process ${error.pid}, which does not answer on ${adminSocketPath(config.dataDir)}; wait until that server has started, or stop it`,
        );
      }
      await sleep(200);
    }
  }
}

function serverChannel(dataDir: string): AdminChannel {
  const call = async <T>(method: 'GET' | 'POST', route: string, payload?: unknown): Promise<T> => {
    let answer: Awaited<ReturnType<typeof callAdminSocket>>;
    try {
      answer = await callAdminSocket(dataDir, method, route, payload);
    } catch (error) {
      throw new CliError(`the server's admin socket failed: ${(error as Error).message}`);
    }
    if (!answer) throw new CliError(`the server stopped answering on ${adminSocketPath(dataDir)}`);
    if (answer.status >= 400) throw new CliError(problemMessage(answer.body ?? { title: `the server answered ${answer.status}` }));
    return answer.body as T;
  };
  return {
    via: 'server',
    migrate: (dryRun) => call('POST', '/migrate', { dryRun }),
    seedDemo: () => call('POST', '/seed-demo'),
    createApiKey: (input) => call('POST', '/api-keys', input),
    createUser: (input) => call('POST', '/users', input),
    doctor: () => call('GET', '/doctor'),
    plugins: () => call('GET', '/plugins'),
    changePlugin: (id, action) => call('POST', `/plugins/${encodeURIComponent(id)}/${action}`),
    applyDistribution: (distribution) => call('POST', '/distro/apply', distribution),
    exportDistribution: (name) => call('POST', '/distro/export', { name }),
    close: async () => {},
  };
}

function databaseChannel(database: Database, config: ServerConfig, io: Io): AdminChannel {
  const core: Core = createCore({ database, secrets: loadSecretBox({ secretKey: config.secretKey, dataDir: config.dataDir }) });
  let ready: Promise<void> | undefined;
  /**
   * Before writing: what the first `rapport start` would do — apply pending migrations, then on a
   * fresh database create the workspace and the admin (and the demo data, unless asked not to).
   */
  const prepare = (options: { demoData: boolean }) =>
    (ready ??= (async () => {
      const report = await runMigrations(database);
      if (report.applied.length > 0) io.stderr(`applied ${report.applied.length} migration(s) first\n`);
      const { createdAdmin } = await bootstrap(core, { adminEmail: config.adminEmail, adminPassword: config.adminPassword }, async (tx, admin) => {
        if (options.demoData) await seedDemo(core, admin, { tx });
      });
      if (createdAdmin) {
        const password = createdAdmin.generatedPassword ? `with the password ${createdAdmin.generatedPassword} (shown once: change it)` : 'with the password from RAPPORT_ADMIN_PASSWORD';
        io.stderr(`first run: created the workspace and the admin ${createdAdmin.email}, ${password}\n`);
      }
    })());
  const asWriter = { demoData: config.demoData };
  let plugins: Promise<PluginHost> | undefined;
  const host = () =>
    (plugins ??= (async () => {
      const loaded = new PluginHost(core, createLogger('silent'));
      for (const name of config.plugins) loaded.register(await importPlugin(name));
      return loaded;
    })());
  return {
    via: 'database',
    migrate: (dryRun) => runMigrations(database, { dryRun }),
    async seedDemo() {
      await prepare({ demoData: false });
      return seedDemoData(core);
    },
    async createApiKey(input) {
      await prepare(asWriter);
      return createApiKey(core, input);
    },
    async createUser(input) {
      await prepare(asWriter);
      return createUser(core, input);
    },
    doctor: () => doctor(core, { dataDir: config.dataDir }),
    async plugins() {
      await prepare(asWriter);
      return listPlugins(await host());
    },
    async changePlugin(id, action) {
      await prepare(asWriter);
      // The plugin's code does not run in the CLI: servers run it (at start, or on the notification).
      return changePlugin(core, await host(), id, action, { activate: false });
    },
    async applyDistribution(distribution) {
      await prepare({ demoData: false });
      return applyDistributionAsAdmin(core, config.plugins.length > 0 ? await host() : undefined, distribution, { activate: false });
    },
    async exportDistribution(name) {
      await prepare({ demoData: false });
      return exportDistributionAsAdmin(core, config.plugins.length > 0 ? await host() : undefined, name);
    },
    close: () => database.close(),
  };
}
