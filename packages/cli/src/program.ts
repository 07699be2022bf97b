import { pathToFileURL } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import type { Check, ServerConfig } from '@rapport/server';
import type { AdminChannel } from './channel';
import { importFile, type ImportOptions } from './import-command';
import { runPluginCommand } from './plugin-command';
import { CliError, describeFailure, UsageError } from './errors';
import { type Io, processIo } from './io';

const version: string = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const WRITES_DIRECTLY = `
When no server runs on the embedded database (or with DATABASE_URL), the command opens the database
itself and first does what the first \`rapport start\` would: it applies pending migrations and, on a
fresh database, creates the workspace and the admin (and the demo data unless RAPPORT_DEMO_DATA=false).
Beside a running server on the embedded database it goes through the server's admin socket.`;

const ENVIRONMENT = `
Environment (docs/configuration.md):
  DATABASE_URL       postgres://… to use PostgreSQL; unset: the embedded PGlite database
  RAPPORT_DATA_DIR   the data folder of the embedded database (default ./data)
  RAPPORT_URL        the running server \`rapport import\` and plugins' commands talk to (default http://localhost:$PORT)
  RAPPORT_API_KEY    the API key they act with (its user's rights)

Plugins' commands: \`rapport <plugin-id>\` lists them, \`rapport <plugin-id> <command> …\` runs one
(for example \`rapport data-ops quality person\`).

Beside a server running on the embedded database, commands go through its admin socket
(<data folder>/admin.sock): only one process can open that database. Failures print one line
"rapport: <reason>" on stderr and exit with 2 (usage) or 1; RAPPORT_DEBUG=1 adds stack traces.`;

/** What a command leaves behind: an exit code, or a server to keep running. */
interface RunState {
  exitCode: number;
  keepRunning: boolean;
}

const roleOption = (fallback: string) =>
  new Option('--role <role>', `a role key: admin, sales_manager, sales_rep, support_agent, marketing, read_only, or one made in the workspace (default: ${fallback})`);

/** A distribution file: JSON, or a module whose default export is one. */
async function readDistribution(file: string): Promise<unknown> {
  const full = path.resolve(file);
  if (!fs.existsSync(full)) throw new CliError(`no file ${file}`);
  if (full.endsWith('.json')) {
    try {
      return JSON.parse(fs.readFileSync(full, 'utf8'));
    } catch (error) {
      throw new CliError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return ((await import(pathToFileURL(full).href)) as { default: unknown }).default;
}

export function createProgram(io: Io, state: RunState): Command {
  const program = new Command('rapport');
  program
    .description('Rapport, the CRM you host yourself: run the server and administer its database.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help for a command')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      // Commander writes here only help shown because a command is missing: the catch below says it in one line.
      writeErr: () => {},
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    .addHelpText('after', ENVIRONMENT);

  // The server, the core and the drivers are loaded by the commands that use them: help and usage errors stay quick.
  const server = () => import('@rapport/server');
  const config = async (): Promise<ServerConfig> => (await server()).loadConfig(io.env);
  const open = async (settings: ServerConfig) => (await import('./channel')).openChannel(settings, io);

  async function withChannel<T>(work: (channel: AdminChannel) => Promise<T>): Promise<T> {
    const channel = await open(await config());
    let result: T;
    try {
      result = await work(channel);
    } catch (error) {
      await channel.close().catch(() => {});
      throw error;
    }
    await channel.close();
    return result;
  }

  program
    .command('start')
    .description('start the server (as `pnpm start`), configured from the environment')
    .action(async () => {
      const running = await (await server()).startServer(await config());
      state.keepRunning = true;
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.log.info(`${signal}: shutting down`);
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        await running.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    });

  program
    .command('migrate')
    .description('apply pending database migrations (one line per migration)')
    .option('--dry-run', 'only list the migrations that would run')
    .action(async (options: { dryRun?: boolean }) => {
      const report = await withChannel((channel) => channel.migrate(options.dryRun === true));
      for (const tag of report.modified) io.stderr(`warning: migration ${tag} changed after it was applied\n`);
      const lines = options.dryRun ? report.pending.map((tag) => `would apply ${tag}`) : report.applied.map((tag) => `applied ${tag}`);
      io.stdout(lines.length > 0 ? `${lines.join('\n')}\n` : 'nothing to migrate\n');
    });

  program
    .command('seed')
    .description('add demo companies and people (does nothing if the workspace has records)')
    .requiredOption('--demo', 'the demo data set (the only one so far)')
    .addHelpText('after', WRITES_DIRECTLY.replace(' (and the demo data unless RAPPORT_DEMO_DATA=false)', ''))
    .action(async () => {
      const seeded = await withChannel((channel) => channel.seedDemo());
      io.stdout(
        seeded.companies + seeded.people === 0
          ? 'nothing seeded: the workspace already has records\n'
          : `seeded ${seeded.companies} companies and ${seeded.people} people\n`,
      );
    });

  const apiKey = program.command('api-key').description('manage API keys');
  apiKey
    .command('create')
    .description('create an API key of the workspace; prints only its token on stdout')
    .requiredOption('--name <name>', 'what the key is for')
    .addOption(roleOption('admin'))
    .addHelpText('after', `\nExample: TOKEN=$(pnpm -s rapport api-key create --name curl)\n${WRITES_DIRECTLY}`)
    .action(async (options: { name: string; role?: string }) => {
      const created = await withChannel((channel) => channel.createApiKey({ name: options.name, ...(options.role ? { role: options.role } : {}) }));
      io.stderr(`created the API key ${created.id} ("${options.name}", ${options.role ?? 'admin'}); its token is shown once:\n`);
      io.stdout(`${created.token}\n`);
    });

  const users = program.command('users').description('manage users');
  users
    .command('create')
    .description('create a user of the workspace; a password is generated (and printed once) unless given')
    .requiredOption('--email <email>', 'the address they sign in with')
    .requiredOption('--name <name>', 'their name')
    .option('--password <password>', 'their password (at least 12 characters)')
    .addOption(roleOption('sales_rep'))
    .addHelpText('after', WRITES_DIRECTLY)
    .action(async (options: { email: string; name: string; password?: string; role?: string }) => {
      const { user, generatedPassword } = await withChannel((channel) =>
        channel.createUser({
          email: options.email,
          name: options.name,
          ...(options.password !== undefined ? { password: options.password } : {}),
          ...(options.role ? { role: options.role } : {}),
        }),
      );
      const rows: [string, string][] = [
        ['id', user.id],
        ['email', user.email],
        ['name', user.name],
        ['role', user.role],
      ];
      if (generatedPassword) rows.push(['password', `${generatedPassword}  (generated, shown once: they should change it)`]);
      io.stdout(rows.map(([key, value]) => `${key.padEnd(9)}${value}\n`).join(''));
    });

  const plugins = program.command('plugins').description('list, enable and disable plugins (RAPPORT_PLUGINS names the packages)');
  plugins
    .command('list')
    .description('the plugins of this server and their state')
    .action(async () => {
      const listed = await withChannel((channel) => channel.plugins());
      if (listed.length === 0) io.stdout('no plugins: name their packages in RAPPORT_PLUGINS\n');
      for (const plugin of listed) io.stdout(`${plugin.id.padEnd(24)}${plugin.version.padEnd(10)}${plugin.status}${plugin.error ? `  (${plugin.error})` : ''}\n`);
    });
  const descriptions = {
    enable: 'enable a plugin (beside a running server: at once; else at its next start)',
    disable: 'disable a plugin; its data stays',
    upgrade: 'run the newly installed version of a plugin (migrations, then its new code)',
    uninstall: 'uninstall a disabled plugin; its data stays',
    purge: "delete an uninstalled plugin's data (asks to repeat its id with --confirm)",
  } as const;
  for (const action of Object.keys(descriptions) as (keyof typeof descriptions)[]) {
    const command = plugins.command(`${action} <id>`).description(descriptions[action]);
    if (action === 'purge') command.requiredOption('--confirm <id>', 'the plugin id again: its data is deleted');
    command.action(async (id: string, options: { confirm?: string }) => {
      if (action === 'purge' && options.confirm !== id) throw new CliError(`--confirm must repeat the plugin id "${id}": purging deletes its data`);
      const { via, plugin } = await withChannel(async (channel) => ({ via: channel.via, plugin: await channel.changePlugin(id, action) }));
      io.stdout(`${plugin.id}${plugin.version ? ` ${plugin.version}` : ''}: ${plugin.status}${via === 'database' && action === 'enable' ? ' (the server runs it at its next start)' : ''}\n`);
    });
  }

  const plugin = program.command('plugin').description('write a plugin: scaffold one, build its web module');
  plugin
    .command('new <id>')
    .description('make a plugin package (an object, a route, a job, a page, a slot, a test, a README) that passes its tests as generated')
    .option('--dir <folder>', 'where to write it (default: plugins/<id> in a Rapport checkout, else ./<id>)')
    .action(async (id: string, options: { dir?: string }) => {
      const { scaffoldPlugin } = await import('./plugin-scaffold');
      const made = scaffoldPlugin(id, { dir: options.dir });
      const where = path.relative(process.cwd(), made.folder) || '.';
      const added = made.dependencyOf ? `added rapport-plugin-${id} to ${path.relative(process.cwd(), made.dependencyOf) || made.dependencyOf}'s dependencies, where the server finds its plugins\n` : '';
      const install = made.dependencyOf ? '' : ` (and add it where the server runs: pnpm add rapport-plugin-${id})`;
      io.stdout(`made ${where}: ${made.files.join(', ')}\n${added}next: pnpm install, then pnpm exec vitest run ${where} (its tests) and RAPPORT_PLUGINS=rapport-plugin-${id} pnpm start${install}\n`);
    });
  plugin
    .command('build [folder]')
    .description("build a plugin's src/web.tsx into the ES module its package exports as ./web, and its manifest and server into JavaScript when it exports them as .js, to publish (default folder: the current one)")
    .action(async (folder: string | undefined) => {
      const { buildPluginServer, buildPluginWeb } = await import('./plugin-build');
      const built = await buildPluginWeb(folder ?? process.cwd());
      const server = await buildPluginServer(folder ?? process.cwd());
      io.stdout(`built ${[...built.files, ...server.files].join(', ')} (web: ${Math.round(built.bytes / 102.4) / 10} KB)\n`);
    });

  const distro = program.command('distro').description('apply or export a distribution (a CRM for one trade, in one file)');
  distro
    .command('apply <file>')
    .description('apply a distribution (.json, or a .ts/.js module exporting it); applying twice changes nothing')
    .action(async (file: string) => {
      const distribution = await readDistribution(file);
      const report = await withChannel((channel) => channel.applyDistribution(distribution));
      const lines = [
        ['objects created', report.objectsCreated.join(', ') || '—'],
        ['fields added', report.fieldsAdded.join(', ') || '—'],
        ['fields changed', report.fieldsChanged.join(', ') || '—'],
        ['roles changed', report.rolesChanged.join(', ') || '—'],
        ['plugins enabled', report.pluginsEnabled.join(', ') || '—'],
        ['demo records', String(report.demoRecords)],
        ['workspace', report.workspace ? 'updated' : 'unchanged'],
      ];
      io.stdout(lines.map(([key, value]) => `${key!.padEnd(17)}${value}\n`).join(''));
    });
  distro
    .command('export')
    .description('print the current configuration as a distribution (JSON, without demo data)')
    .option('--name <name>', 'the name to give it', 'exported')
    .action(async (options: { name: string }) => {
      io.stdout(`${JSON.stringify(await withChannel((channel) => channel.exportDistribution(options.name)), null, 2)}\n`);
    });

  program
    .command('dev <folder>')
    .description("work on a plugin: the running server reads it again at every change of its sources (its web module rebuilt), without a restart")
    .option('--url <url>', 'the server (default RAPPORT_URL, else http://localhost:$PORT)')
    .option('--api-key <key>', 'an API key of an admin of plugins (default RAPPORT_API_KEY)')
    .action(async (folder: string, options: { url?: string; apiKey?: string }) => {
      const { startDev } = await import('./dev-command');
      await startDev(folder, io, options);
      state.keepRunning = true;
    });

  program
    .command('import <file>')
    .description('import a CSV or Excel file into an object through a running server (the data-ops plugin), with a progress bar')
    .requiredOption('--object <object>', 'the object to import into (person, company, or any other)')
    .option('--mapping <file>', 'JSON: an array of fields per column, an object from column to field, or import settings (default: the suggested mapping)')
    .option('--duplicates <mode>', 'a row matching an existing record: skip (default), update or create')
    .option('--template <id>', 'a saved import template')
    .option('--rejected <file>', 'write the rejected rows, with their reasons, to this CSV file')
    .option('--url <url>', 'the server (default RAPPORT_URL, else http://localhost:$PORT)')
    .option('--api-key <key>', 'an API key (default RAPPORT_API_KEY)')
    .action(async (file: string, options: ImportOptions) => {
      state.exitCode = await importFile(file, options, io);
    });

  program
    .command('doctor')
    .description('check the configuration, the database, its migrations and workspace; exits 1 if a check fails')
    .action(async () => {
      const checks: Check[] = [];
      const report = () => {
        for (const check of checks) io.stdout(`${check.ok ? '✓' : '✗'} ${check.name}: ${check.detail}\n`);
        state.exitCode = checks.every((check) => check.ok) ? 0 : 1;
      };
      const { ConfigError } = await server();
      const { pgliteDataPath, readLockOwner, redactUrl } = await import('@rapport/db');
      let settings: ServerConfig;
      try {
        settings = await config();
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        checks.push({ name: 'config', ok: false, detail: error.message });
        return report();
      }
      checks.push({ name: 'config', ok: true, detail: settings.databaseUrl ? `PostgreSQL at ${redactUrl(settings.databaseUrl)}` : `embedded PGlite in ${settings.dataDir}` });
      if (!settings.databaseUrl && !fs.existsSync(pgliteDataPath(settings.dataDir))) {
        // Opening the folder would create an empty database: a check should change nothing.
        checks.push({ name: 'database', ok: false, detail: `none yet in ${settings.dataDir}: run \`rapport start\` (or \`rapport migrate\`)` });
        return report();
      }
      let channel: AdminChannel;
      try {
        channel = await open(settings);
      } catch (error) {
        checks.push({ name: 'database', ok: false, detail: (await describeFailure(error)).message });
        return report();
      }
      try {
        if (!settings.databaseUrl) {
          const owner = readLockOwner(settings.dataDir);
          checks.push({
            name: 'server',
            ok: true,
            detail: channel.via === 'server' ? `running${owner ? ` as process ${owner}` : ''}; checked through its admin socket` : 'not running; opened the data folder directly',
          });
        }
        checks.push(...(await channel.doctor()));
      } finally {
        await channel.close();
      }
      report();
    });

  return program;
}

/** The names of the commands that only group others: `rapport api-key` alone is a usage error. */
const GROUPS = ['api-key', 'users'];

/**
 * Runs the CLI on `argv` (without node and the script). Resolves to the exit code, or to null when
 * `rapport start` left a server running.
 */
export async function run(argv: string[], io: Io = processIo): Promise<number | null> {
  const state: RunState = { exitCode: 0, keepRunning: false };
  const program = createProgram(io, state);
  try {
    if (argv.length === 0) throw new UsageError('missing command (start, migrate, seed, api-key, users, doctor); see rapport --help');
    // Not one of ours: a plugin's command (`rapport data-ops quality person`), asked of the server.
    if (/^[a-z][a-z0-9-]*$/.test(argv[0]!) && !program.commands.some((command) => command.name() === argv[0])) return await runPluginCommand(argv, io);
    await program.parseAsync(argv, { from: 'user' });
    return state.keepRunning ? null : state.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      if (error.code === 'commander.help') {
        const group = argv.find((arg) => GROUPS.includes(arg));
        const sub = group ? program.commands.find((command) => command.name() === group) : undefined;
        const names = sub ? sub.commands.map((command) => command.name()).join(', ') : 'start, migrate, seed, api-key, users, doctor';
        io.stderr(`rapport: missing command${group ? ` after ${group}` : ''} (${names}); see rapport ${group ? `${group} ` : ''}--help\n`);
        return 2;
      }
      io.stderr(`rapport: ${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`);
      return 2;
    }
    const failure = await describeFailure(error);
    io.stderr(`rapport: ${failure.message}\n`);
    if (io.env.RAPPORT_DEBUG === '1' && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return failure.exitCode;
  }
}
