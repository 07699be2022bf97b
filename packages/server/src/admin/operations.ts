import type { PluginHost } from '../plugins/plugin-host';
import { applyDistribution, exportDistribution } from './distribution';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { type Actor, type Core, coreMigrations, seedDemo, systemActor } from '@rapport/core';
import { type Database, migrate, type MigrationPlan, planMigrations } from '@rapport/db';

/*
 * What the CLI can do: run by the CLI itself when no server holds the database, or by the running
 * server on the CLI's behalf, through the admin socket (PGlite has one owner).
 */

export function migrationSources() {
  return [coreMigrations()];
}

export interface MigrationReport {
  applied: string[];
  pending: string[];
  modified: string[];
}

const describe = (plan: MigrationPlan, dryRun: boolean): MigrationReport => ({
  applied: dryRun ? [] : plan.pending.map((migration) => `${migration.source}/${migration.tag}`),
  pending: dryRun ? plan.pending.map((migration) => `${migration.source}/${migration.tag}`) : [],
  modified: plan.modified.map((migration) => `${migration.source}/${migration.tag}`),
});

export async function runMigrations(database: Database, options: { dryRun?: boolean } = {}): Promise<MigrationReport> {
  if (options.dryRun) return describe(await planMigrations(database, migrationSources()), true);
  return describe(await migrate(database, migrationSources()), false);
}

/** The first admin of the default workspace: who CLI-made keys and demo records belong to. */
export async function adminActor(core: Core): Promise<Actor> {
  const workspace = await core.identity.defaultWorkspace();
  if (!workspace) throw new Error('there is no workspace yet: start the server once, or run `rapport migrate` then `rapport start`');
  const users = await core.identity.listUsers(workspace.id);
  const admin = users.find((user) => user.role === 'admin');
  return admin ? { kind: 'user', id: admin.id, userId: admin.id, workspaceId: workspace.id, role: 'admin' } : systemActor(workspace.id);
}

export async function seedDemoData(core: Core) {
  return seedDemo(core, await adminActor(core));
}

export async function createApiKey(core: Core, input: { name: string; role?: string }) {
  const created = await core.identity.createApiKey(await adminActor(core), input);
  return { token: created.token, id: created.key.id };
}

export async function createUser(core: Core, input: { email: string; name: string; password?: string; role?: string }) {
  const actor = await adminActor(core);
  return core.identity.createUser(actor.workspaceId, input);
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function doctor(core: Core, context: { dataDir?: string }): Promise<Check[]> {
  const checks: Check[] = [];
  const database = core.database;
  try {
    await database.db.execute(sql`select 1`);
    checks.push({ name: 'database', ok: true, detail: `${database.driver} at ${database.location}` });
  } catch (error) {
    checks.push({ name: 'database', ok: false, detail: (error as Error).message });
    return checks;
  }
  try {
    const plan = await planMigrations(database, migrationSources());
    const problems = [...plan.pending.map((m) => `pending ${m.source}/${m.tag}`), ...plan.modified.map((m) => `changed after being applied: ${m.source}/${m.tag}`)];
    checks.push({ name: 'migrations', ok: problems.length === 0, detail: problems.length ? `${problems.join('; ')} (run \`rapport migrate\`)` : `${plan.applied.length} applied, none pending` });
  } catch (error) {
    checks.push({ name: 'migrations', ok: false, detail: (error as Error).message });
  }
  const workspace = await core.identity.defaultWorkspace();
  checks.push({ name: 'workspace', ok: workspace !== null, detail: workspace ? `${workspace.name} (${workspace.id})` : 'none yet: start the server once' });
  checks.push({ name: 'plugins', ok: true, detail: 'none installed (the plugin system is not there yet)' });
  if (context.dataDir && database.driver === 'pglite') {
    try {
      fs.accessSync(context.dataDir, fs.constants.W_OK);
      checks.push({ name: 'data folder', ok: true, detail: `${context.dataDir} is writable` });
    } catch {
      checks.push({ name: 'data folder', ok: false, detail: `${context.dataDir} is not writable` });
    }
  }
  return checks;
}

/** `rapport plugins list|enable|disable`, as the workspace's first admin. */
export async function listPlugins(host: PluginHost) {
  return host.list();
}

export type PluginAction = 'enable' | 'disable' | 'upgrade' | 'uninstall' | 'purge';

/** One lifecycle step; `activate: false` (the CLI with no server) records an enable for the next start. */
export async function changePlugin(core: Core, host: PluginHost, id: string, action: PluginAction, options: { activate: boolean }) {
  const access = await core.access.resolve(await adminActor(core));
  switch (action) {
    case 'enable':
      return host.enable(access, id, { activate: options.activate });
    case 'disable':
      return host.disable(access, id);
    case 'upgrade':
      return host.upgrade(access, id);
    case 'uninstall':
      return host.uninstall(access, id);
    case 'purge':
      await host.purge(access, id, { confirm: id });
      return { id, status: 'purged' };
  }
}

/** `rapport distro apply|export`, as the workspace's first admin. */
export async function applyDistributionAsAdmin(core: Core, host: PluginHost | undefined, distribution: unknown, options: { activate: boolean }) {
  return applyDistribution(core, await core.access.resolve(await adminActor(core)), host, distribution, options);
}

export async function exportDistributionAsAdmin(core: Core, host: PluginHost | undefined, name: string) {
  return exportDistribution(core, await core.access.resolve(await adminActor(core)), host, name);
}
