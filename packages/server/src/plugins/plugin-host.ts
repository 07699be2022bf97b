import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { migrate } from '@rapport/db';
import { Hono } from 'hono';
import type { Logger } from 'pino';
import { type Access, type Actor, buildDeclaredFields, writeEvents, buildDeclaredObjects, type Core, type DeclaredField, type DeliveredEvent, newId, type ObjectDefinition, parseOrThrow, WorkspaceMetadata, writeAudit, ProblemError, problems, type RoleDefinition, schema } from '@rapport/core';
import { supportsPluginApi, type PluginManifest } from '@rapport/sdk/manifest';
import type { GdprHooks, PluginEvent, PluginRecords, PluginServerContext, RouteDoc, RouteHandler, RouteTools } from '@rapport/sdk/server';
import { commandAnswer, commandInput } from './plugin-commands';
import { jobQueue, type JobRunner } from '@rapport/jobs';
import semver from 'semver';
import type { AppEnv } from '../context';
import { pluginRecords } from './plugin-records';
import { type HealthCheck, type PluginHealth, runChecks } from './plugin-health';
import { PluginSecrets } from './plugin-secrets';
import { checkedBody, checkedQuery, type DocumentedRoute, pluginPaths } from './plugin-routes-doc';
import { createSafeFetch, FetchRefused } from './safe-fetch';
import type { PluginModule } from './plugin-module';

/** Where a job enqueued from a route keeps who asked for it (a key plugins may not set themselves). */
const CALLER = '$caller';

/** The version in a web module's URL: the plugin's, and when its build was made (a rebuilt module is a new URL). */
function webToken(version: string, entry: string): string {
  return `${version}-${Math.floor(fs.statSync(entry).mtimeMs).toString(36)}`;
}
/** How long background work leaves the embedded database to requests between its batches. */
const PGLITE_PAUSE_MS = 60;

/** The lifecycle table changed: every server reconciles the plugins it runs. */
export const PLUGINS_CHANNEL = 'rapport_plugins';

export type PluginStatus = 'available' | 'enabled' | 'disabled' | 'failed' | 'uninstalled';

export interface PluginExtension {
  id: string;
  version: string;
  displayName: PluginManifest['displayName'];
  navigation: Omit<PluginManifest['navigation'][number], 'requires'>[];
  web: string | null;
}

export interface PluginView {
  id: string;
  version: string;
  displayName: PluginManifest['displayName'];
  description: NonNullable<PluginManifest['description']> | null;
  status: PluginStatus;
  error: string | null;
  requires: Record<string, string>;
  permissions: PluginManifest['permissions'];
}

interface Running {
  objects: ObjectDefinition[];
  /** Its routes as the OpenAPI document shows them. */
  documented: DocumentedRoute[];
  fields: DeclaredField[];
  checks: Map<string, HealthCheck>;
  /** Told of its settings saved through this server. */
  settingsListeners: ((values: Record<string, unknown>) => void | Promise<void>)[];
  routes: Hono<AppEnv>;
  disposers: (() => void | Promise<void>)[];
  gdpr?: GdprHooks;
  /** Paths of its upload routes (under the plugin's mount), which take bodies up to the upload limit. */
  uploads: RegExp[];
}

/** The role of a plugin's service identity: what its manifest declares, on named objects only. */
function serviceRole(manifest: PluginManifest): RoleDefinition {
  const objects: RoleDefinition['objects'] = {};
  // Its own objects are its to manage; the manifest may narrow that.
  for (const object of manifest.objects) objects[object.name] = { read: 'all', create: true, update: 'all', delete: 'all', fields: {} };
  for (const [name, rights] of Object.entries(manifest.permissions.objects)) objects[name] = { ...rights, fields: {} };
  return { objects, export: false, import: false, admin: { settings: false, users: false, plugins: false, audit: false }, mfaRequired: false };
}

/**
 * Runs plugins: enables and disables them at run time (no restart), tracks every registration so
 * that disabling undoes it exactly, and isolates failures (a throwing plugin is marked failed; the
 * server and the other plugins go on). Hono cannot drop routes, so one dispatcher serves
 * /api/v1/plugins/:id/* from a map swapped here.
 */
export class PluginHost {
  private readonly modules = new Map<string, PluginModule>();
  private readonly running = new Map<string, Running>();
  /** Told when what this server runs changes (a plugin started, stopped or swapped): the shells it serves refetch their extensions. */
  private readonly changeListeners = new Set<(closing: boolean) => void>();
  private unlisten: (() => Promise<void>) | null = null;
  private reconciling: Promise<void> = Promise.resolve();

  private readonly secrets: PluginSecrets;

  constructor(
    private readonly core: Core,
    private readonly log: Logger,
    private readonly jobs?: JobRunner,
    private readonly options: { fetchPrivateHosts?: readonly string[] } = {},
  ) {
    this.secrets = new PluginSecrets(core);
  }

  /** The health checks of the running plugins (or of one), run now; admins of plugins only. */
  async health(access: Access, id?: string): Promise<PluginHealth[]> {
    access.assertAdmin('plugins');
    if (id !== undefined) this.module(id);
    const running = [...this.running].filter(([runningId]) => id === undefined || runningId === id);
    return Promise.all(running.map(([runningId, entry]) => runChecks(runningId, entry.checks)));
  }

  /** The secrets a plugin declares, whether set (never their values), for admins of plugins. */
  listSecrets(access: Access, id: string) {
    return this.secrets.list(access, this.module(id).manifest);
  }

  setSecret(access: Access, id: string, name: string, body: unknown) {
    return this.secrets.set(access, this.module(id).manifest, name, body);
  }

  clearSecret(access: Access, id: string, name: string) {
    return this.secrets.clear(access, this.module(id).manifest, name);
  }

  /** The objects of the enabled plugins (the core's registry asks, for every workspace). */
  objects(): ObjectDefinition[] {
    return [...this.running.values()].flatMap((running) => running.objects);
  }

  /** The OpenAPI paths of the running plugins' routes. */
  openApiPaths(): Record<string, unknown> {
    return Object.assign({}, ...[...this.running].map(([id, running]) => pluginPaths(id, running.documented)));
  }

  /** The fields running plugins add to other objects. */
  fields(): DeclaredField[] {
    return [...this.running.values()].flatMap((running) => running.fields);
  }

  register(module: PluginModule): void {
    if (this.modules.has(module.manifest.id)) throw new Error(`two plugins have the id ${module.manifest.id}`);
    this.modules.set(module.manifest.id, module);
  }

  /** Calls `listener` whenever the plugins this server runs change, and with `true` once when the server closes; returns how to stop. */
  onChange(listener: (closing: boolean) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(closing = false): void {
    for (const listener of [...this.changeListeners]) listener(closing);
  }

  /** The server is closing: whoever follows the changes (an open event stream) lets go, so that it can. */
  announceClosing(): void {
    this.changed(true);
  }

  /** Runs what the lifecycle table says is enabled, then follows its changes made by other servers. */
  async start(): Promise<void> {
    await this.reconcile();
    this.unlisten = await this.core.database.listen(PLUGINS_CHANNEL, () => {
      this.reconciling = this.reconciling.then(() => this.reconcile()).catch((error: unknown) => this.log.error({ err: error }, 'plugin reconcile failed'));
    });
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
    this.unlisten = null;
    await this.reconciling;
    for (const id of [...this.running.keys()]) await this.deactivate(id);
  }

  /**
   * Makes this server run exactly the plugins the table says are enabled, at the version it says
   * (another server enabled, disabled or upgraded one).
   */
  async reconcile(): Promise<void> {
    const rows = new Map((await this.core.database.db.select().from(schema.pluginState)).map((row) => [row.id, row]));
    for (const id of [...this.running.keys()]) if (rows.get(id)?.status !== 'enabled') await this.deactivate(id);
    for (const [id, row] of rows) {
      if (row.status !== 'enabled' || !this.modules.has(id)) continue;
      if (this.running.has(id) && row.version === this.module(id).manifest.version) continue;
      if (!(await this.atVersion(id, row.version))) continue;
      await this.activate(id).catch(() => {}); // marked failed, logged
    }
  }

  /**
   * Whether this server has the plugin at the version the table says runs: after an upgrade through
   * another server (which ran its migrations), its package is read again here. Older code never runs
   * against a newer schema: the plugin stays off on this server until that version is installed.
   */
  private async atVersion(id: string, version: string): Promise<boolean> {
    const installed = this.module(id);
    if (!semver.valid(version) || !semver.gt(version, installed.manifest.version)) return true;
    const next = installed.reload ? await installed.reload().catch(() => null) : null;
    if (next?.manifest.id === id && next.manifest.version === version) {
      this.modules.set(id, next);
      return true;
    }
    if (this.running.has(id)) await this.deactivate(id);
    this.log.error({ plugin: id, version, installed: next?.manifest.version ?? installed.manifest.version }, `plugin ${id} ${version} runs on another server; this one has ${installed.manifest.version}: install ${version} here (pnpm add) and restart`);
    return false;
  }

  /**
   * Runs a change of this server's plugins after the reconciles and changes before it, never beside
   * one: a reconcile set off by an earlier change, reading the table while a plugin was being
   * disabled (stopped, not yet saved as disabled), started it again.
   */
  private exclusively<T>(work: () => Promise<T>): Promise<T> {
    const result = this.reconciling.then(work);
    this.reconciling = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private async announce(): Promise<void> {
    await this.core.database.db.execute(sql`select pg_notify(${PLUGINS_CHANNEL}, '')`);
  }

  async list(): Promise<PluginView[]> {
    const states = new Map((await this.core.database.db.select().from(schema.pluginState)).map((row) => [row.id, row]));
    return [...this.modules.values()].map(({ manifest }) => {
      const state = states.get(manifest.id);
      return {
        id: manifest.id,
        version: manifest.version,
        displayName: manifest.displayName,
        description: manifest.description ?? null,
        status: (state?.status as PluginStatus | undefined) ?? 'available',
        error: state?.error ?? null,
        requires: manifest.requires,
        permissions: manifest.permissions,
      };
    });
  }

  private module(id: string): PluginModule {
    const module = this.modules.get(id);
    if (!module) throw problems.notFound(`There is no plugin "${id}" on this server`);
    return module;
  }

  /**
   * Enables a plugin: refused (409, saying what to do) when this host cannot run it or what it
   * requires is missing or not enabled. `activate: false` (the CLI without a server) only records
   * the wish in the lifecycle table: servers run it at their next start or reconcile.
   */
  enable(access: Access, id: string, options: { activate?: boolean } = {}): Promise<PluginView> {
    return this.exclusively(() => this.enableNow(access, id, options));
  }

  private async enableNow(access: Access, id: string, options: { activate?: boolean }): Promise<PluginView> {
    access.assertAdmin('plugins');
    const { manifest } = this.module(id);
    const states = await this.states();
    if (!supportsPluginApi(manifest.engines.rapport)) {
      throw problems.conflict(`${id} ${manifest.version} needs the plugin API ${manifest.engines.rapport}; this server has another: upgrade ${id} or Rapport`);
    }
    for (const [required, range] of Object.entries(manifest.requires)) {
      const other = this.modules.get(required);
      if (!other || !semver.satisfies(other.manifest.version, range)) throw problems.conflict(`${id} requires ${required} ${range}: install ${required} ${range} first`);
      if (states.get(required) !== 'enabled') throw problems.conflict(`${id} requires ${required}: enable ${required} first`);
    }
    if (options.activate === false) {
      if (states.get(id) !== 'enabled') await this.saveState(manifest, 'enabled', null);
    } else if (!this.running.has(id)) {
      await this.startCode(id);
    }
    await this.announce();
    return (await this.list()).find((view) => view.id === id)!;
  }

  disable(access: Access, id: string): Promise<PluginView> {
    return this.exclusively(() => this.disableNow(access, id));
  }

  private async disableNow(access: Access, id: string): Promise<PluginView> {
    access.assertAdmin('plugins');
    const { manifest } = this.module(id);
    const states = await this.states();
    const dependants = [...this.modules.values()]
      .filter((other) => other.manifest.id !== id && states.get(other.manifest.id) === 'enabled' && other.manifest.requires[id] !== undefined)
      .map((other) => other.manifest.id);
    if (dependants.length > 0) throw problems.conflict(`${dependants.join(', ')} require${dependants.length === 1 ? 's' : ''} ${id}: disable ${dependants.join(', ')} first`);
    await this.deactivate(id);
    await this.saveState(manifest, 'disabled', null);
    await this.announce();
    return (await this.list()).find((view) => view.id === id)!;
  }

  /** The saved settings, completed by the schema's defaults. */
  async settings(id: string): Promise<Record<string, unknown>> {
    const { manifest } = this.module(id);
    const [row] = await this.core.database.db.select({ settings: schema.pluginState.settings }).from(schema.pluginState).where(eq(schema.pluginState.id, id));
    const saved = row?.settings ?? {};
    if (!manifest.settings) return saved;
    const parsed = manifest.settings.safeParse(saved);
    return parsed.success ? (parsed.data as Record<string, unknown>) : saved;
  }

  /** Settings as they would be saved (defaults filled in), to tell whether saving them changes anything; as given when invalid. */
  normalizeSettings(id: string, values: Record<string, unknown>): Record<string, unknown> {
    const parsed = this.module(id).manifest.settings?.safeParse(values);
    return parsed?.success ? (parsed.data as Record<string, unknown>) : values;
  }

  /** The settings form: its JSON schema (from the manifest's zod schema) and the current values. */
  async settingsForm(access: Access, id: string): Promise<{ schema: Record<string, unknown> | null; values: Record<string, unknown> }> {
    access.assertAdmin('plugins');
    const { manifest } = this.module(id);
    return { schema: manifest.settings ? (z.toJSONSchema(manifest.settings, { io: 'input' }) as Record<string, unknown>) : null, values: await this.settings(id) };
  }

  async saveSettings(access: Access, id: string, body: unknown): Promise<Record<string, unknown>> {
    access.assertAdmin('plugins');
    const { manifest } = this.module(id);
    if (!manifest.settings) throw problems.badRequest(`The plugin ${id} has no settings`);
    const values = parseOrThrow(manifest.settings, body) as Record<string, unknown>;
    const now = new Date();
    await this.core.database.db
      .insert(schema.pluginState)
      .values({ id, version: manifest.version, status: 'disabled', settings: values })
      .onConflictDoUpdate({ target: schema.pluginState.id, set: { settings: values, updatedAt: now } });
    const saved = await this.settings(id);
    for (const listener of this.running.get(id)?.settingsListeners ?? []) {
      try {
        await listener(saved);
      } catch (error) {
        this.log.warn({ err: error, plugin: id }, 'plugin settings listener failed');
      }
    }
    return saved;
  }

  /**
   * Changes some settings and keeps the others: the body's top-level keys over the saved values,
   * checked whole by the schema (a partial PUT would put the rest back to their defaults).
   */
  async patchSettings(access: Access, id: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    access.assertAdmin('plugins');
    return this.saveSettings(access, id, { ...(await this.settings(id)), ...body });
  }

  /**
   * Upgrades to the version now installed: its manifest is checked, its new migrations run, its new
   * code is imported (under a new URL) and set up, then swapped in; the old registrations are disposed.
   */
  async upgrade(access: Access, id: string): Promise<PluginView> {
    access.assertAdmin('plugins');
    return this.readAgain(id, (current, next) => {
      if (!semver.gt(next.manifest.version, current.manifest.version)) {
        throw problems.conflict(`${id} ${current.manifest.version} is the version installed: install a newer one first (pnpm add), then upgrade`);
      }
    });
  }

  /**
   * Development (`rapport dev`): reads the plugin's package again and swaps its code in, whatever its
   * version — its migrations first, as at an upgrade. If the new code fails to start, the answer says
   * why and the plugin is marked failed: the next reload starts it again.
   */
  async reload(access: Access, id: string): Promise<PluginView> {
    access.assertAdmin('plugins');
    return this.readAgain(id, () => {}, ['enabled', 'failed']);
  }

  /** Reads a plugin's package again and, where it runs (or failed to), swaps the new code in. */
  private readAgain(id: string, check: (current: PluginModule, next: PluginModule) => void, startWhen: string[] = ['enabled']): Promise<PluginView> {
    return this.exclusively(() => this.readAgainNow(id, check, startWhen));
  }

  private async readAgainNow(id: string, check: (current: PluginModule, next: PluginModule) => void, startWhen: string[]): Promise<PluginView> {
    const current = this.module(id);
    if (!current.reload) throw problems.conflict(`${id} was not loaded from a package folder: it cannot be read again in place`);
    const next = await current.reload();
    if (next.manifest.id !== id) throw problems.conflict(`the package now holds the plugin "${next.manifest.id}", not ${id}`);
    check(current, next);
    if (!supportsPluginApi(next.manifest.engines.rapport)) throw problems.conflict(`${id} ${next.manifest.version} needs the plugin API ${next.manifest.engines.rapport}; this server has another`);
    this.modules.set(id, next);
    if (startWhen.includes((await this.states()).get(id) ?? '')) await this.startCode(id);
    await this.announce();
    return (await this.list()).find((view) => view.id === id)!;
  }

  /** Activates a plugin's current code; a failure to start is the caller's 409, saying why. */
  private async startCode(id: string): Promise<void> {
    try {
      await this.activate(id);
    } catch (error) {
      throw problems.conflict(`${id} failed to start: ${(error as Error).message}`);
    }
  }

  /** Uninstalls a disabled plugin: it stops being offered; its data stays (purge deletes it). */
  uninstall(access: Access, id: string): Promise<PluginView> {
    return this.exclusively(() => this.uninstallNow(access, id));
  }

  private async uninstallNow(access: Access, id: string): Promise<PluginView> {
    access.assertAdmin('plugins');
    const { manifest } = this.module(id);
    if ((await this.states()).get(id) === 'enabled') throw problems.conflict(`${id} is enabled: disable ${id} first`);
    await this.saveState(manifest, 'uninstalled', null);
    await this.announce();
    return (await this.list()).find((view) => view.id === id)!;
  }

  /** Deletes an uninstalled plugin's schema, its migrations ledger and its settings; `confirm` must repeat its id. */
  purge(access: Access, id: string, body: unknown): Promise<void> {
    return this.exclusively(() => this.purgeNow(access, id, body));
  }

  private async purgeNow(access: Access, id: string, body: unknown): Promise<void> {
    access.assertAdmin('plugins');
    const { manifest } = this.module(id);
    const { confirm } = parseOrThrow(z.strictObject({ confirm: z.string().max(40) }), body);
    if (confirm !== id) throw problems.validation([{ field: 'confirm', code: 'not_confirmed', message: `must be "${id}": purging deletes the plugin's data` }]);
    if ((await this.states()).get(id) !== 'uninstalled') throw problems.conflict(`${id} is not uninstalled: disable and uninstall ${id} first`);
    const name = id.replaceAll('-', '_');
    await this.core.database.db.transaction(async (tx) => {
      await this.core.records.purgeDeclaredObjects(access, manifest.objects.map((object) => object.name), { tx });
      const present = this.core.registry.declaredOnly();
      await this.core.records.purgeDeclaredFields(access, manifest.fields.filter((input) => present.findObject(input.object)), { tx });
      await this.secrets.purge(tx, id);
      await tx.execute(sql`drop schema if exists ${sql.identifier(`plugin_${name}`)} cascade`);
      await tx.execute(sql`drop table if exists ${sql.identifier(`__migrations_plugin_${name}`)}`);
      await tx.delete(schema.pluginState).where(eq(schema.pluginState.id, id));
      await writeAudit(tx, { workspaceId: access.actor.workspaceId, action: 'plugin.purged', actor: access.actor, target: `plugin:${id}` });
    });
    await this.announce();
  }

  /**
   * What the shell mounts for whoever asks: the plugins running here, their navigation (less the
   * entries whose object the caller cannot read) and the URL of their built web module, versioned so
   * that browsers may cache it for good.
   */
  extensions(access: Access): PluginExtension[] {
    return [...this.running.keys()].flatMap((id) => {
      const module = this.modules.get(id);
      if (!module) return [];
      const { manifest } = module;
      const web = module.web && fs.existsSync(module.web) ? `/plugin-web/${id}/${webToken(manifest.version, module.web)}/${path.basename(module.web)}` : null;
      const navigation = manifest.navigation.filter((item) => !item.requires || access.rights(item.requires.object).read !== 'none').map(({ requires: _requires, ...item }) => item);
      return [{ id, version: manifest.version, displayName: manifest.displayName, navigation, web }];
    });
  }

  /** The objects a plugin's manifest declares (read without running it), and whether it runs here now. */
  declares(id: string): { objects: string[]; running: boolean } | null {
    const module = this.modules.get(id);
    return module ? { objects: module.manifest.objects.map((object) => object.name), running: this.running.has(id) } : null;
  }

  /** A file of a running plugin's built web module (its entry, chunks, maps), or null: never outside that folder. */
  webFile(id: string, version: string, file: string): string | null {
    const module = this.modules.get(id);
    if (!module?.web || !this.running.has(id) || (version !== module.manifest.version && version !== webToken(module.manifest.version, module.web))) return null;
    const root = path.dirname(module.web);
    const full = path.resolve(root, file);
    return full.startsWith(root + path.sep) && fs.existsSync(full) && fs.statSync(full).isFile() ? full : null;
  }

  private async states(): Promise<Map<string, string>> {
    return new Map((await this.core.database.db.select().from(schema.pluginState)).map((row) => [row.id, row.status]));
  }

  /** Whether a request goes to an enabled plugin's upload route (so takes the larger body limit). */
  acceptsUpload(method: string, pathname: string): boolean {
    const match = method === 'POST' ? /^\/api\/v1\/plugins\/([^/]+)(\/.*)$/.exec(pathname) : null;
    if (!match) return false;
    return this.running.get(match[1]!)?.uploads.some((pattern) => pattern.test(match[2]!)) ?? false;
  }

  /** The dispatcher: requests under /api/v1/plugins/:id/ go to the enabled plugin's routes, or 404. */
  async dispatch(id: string, request: Request, env: AppEnv['Variables']): Promise<Response> {
    const running = this.running.get(id);
    if (!running) throw problems.notFound(`There is no enabled plugin "${id}"`);
    const url = new URL(request.url);
    url.pathname = url.pathname.replace(`/api/v1/plugins/${id}`, '') || '/';
    return running.routes.fetch(new Request(url, request), env);
  }

  private async activate(id: string): Promise<void> {
    const module = this.module(id);
    const { manifest } = module;
    const disposers: (() => void | Promise<void>)[] = [];
    const routes = new Hono<AppEnv>();
    const uploads: RegExp[] = [];
    // The caller, authenticated by the host's app, comes in through `env`; errors go back to the host's
    // handler (problem+json), never answered here.
    routes.use('*', async (c, next) => {
      c.set('auth', (c.env as AppEnv['Variables']).auth);
      await next();
    });
    routes.onError((error) => {
      throw error;
    });
    const log = this.log.child({ plugin: id });
    try {
      // Its objects, checked like objects made through the API, against the core's and the other plugins'.
      const others = this.core.registry.declaredOnly();
      // Without what this plugin itself added (its objects, and the reverse lists its relations put on
      // others): checked again as if new, so that an upgrade or a reload does not clash with itself.
      const mine = `plugin:${id}`;
      const base = new WorkspaceMetadata(
        others.workspaceId,
        [...others.objects.values()].filter((object) => object.owner !== mine).map((object) => ({ ...object, fields: object.fields.filter((field) => field.owner !== mine) })),
      );
      const objects = buildDeclaredObjects(base, manifest.objects, `plugin:${id}`);
      const taken = await this.core.metadata.customObjectNamesTaken(objects.map((object) => object.name));
      if (taken.length > 0) throw new Error(`a workspace already has a custom object named ${taken.join(', ')}`);
      // Its fields on other objects: those of the core and of the plugins it requires, never its own.
      // Relations of those fields may point at its own objects (a deal on an activity).
      const reachable = [...base.objects.values()].filter((object) => object.owner === 'core' || Object.keys(manifest.requires).some((other) => object.owner === `plugin:${other}`));
      const fields = buildDeclaredFields(new WorkspaceMetadata(base.workspaceId, [...reachable, ...objects]), manifest.fields, `plugin:${id}`);
      const takenFields = await this.core.metadata.customFieldNamesTaken(fields.map(({ object, field }) => ({ object, name: field.name })));
      if (takenFields.length > 0) throw new Error(`a workspace already has a field ${takenFields.join(', ')}`);
      // Forward-only migrations of the plugin's own schema, before any of its code runs.
      if (module.migrations) await migrate(this.core.database, [{ id: `plugin_${id.replaceAll('-', '_')}`, folder: module.migrations }]);
      disposers.push(this.core.access.registerPluginRole(id, serviceRole(manifest)));
      const server = await module.load();
      if (server.manifest.id !== id) throw new Error(`its server entry is for "${server.manifest.id}"`);
      const serviceActor = (workspaceId: string): Actor => ({ kind: 'plugin', id, workspaceId });
      const documented: DocumentedRoute[] = [];
      const toolsFor = (actor: Actor): RouteTools => ({
        records: pluginRecords(this.core, actor),
        caller: { kind: actor.kind, id: actor.id, workspaceId: actor.workspaceId, userId: actor.userId ?? null },
        jobs: {
          enqueue: async (job: string, data: Record<string, unknown>, options?: { delaySeconds?: number }) => {
            declared(job);
            return runner().send(jobQueue(id, job), { ...data, [CALLER]: { kind: actor.kind, id: actor.id, workspaceId: actor.workspaceId, userId: actor.userId ?? null } }, options);
          },
        },
      });
      /** A plugin's failure is a 502 of its own; a problem the core raised is answered as such. */
      const answered = async (work: () => Promise<Response>, what: string) => {
        try {
          return await work();
        } catch (error) {
          if ((error as { status?: number }).status) throw error;
          // The caller gets a reference, not the message: it may hold SQL, parameters, or other people's data.
          const reference = newId();
          log.error({ err: error, reference }, `plugin ${what} failed`);
          throw new ProblemError({ status: 502, slug: 'plugin-failed', title: 'The plugin failed', detail: `The plugin ${id} failed to answer; the server's log has the details under ${reference}` });
        }
      };
      // CLI commands, served by the host before any route of the plugin (which cannot take these paths).
      const commandHandlers = new Map<string, Parameters<PluginServerContext['commands']['handle']>[1]>();
      routes.get('/commands', (c) => c.json({ data: manifest.commands }));
      routes.post('/commands/:name', async (c) => {
        const name = c.req.param('name');
        const command = manifest.commands.find((candidate) => candidate.name === name);
        const handler = command && commandHandlers.get(command.name);
        if (!command || !handler) throw problems.notFound(`The plugin ${id} has no command "${name}"${manifest.commands.length ? `: ${manifest.commands.map((candidate) => candidate.name).join(', ')}` : ''}`);
        const body: unknown = await c.req.json().catch(() => {
          throw problems.validation([{ field: 'body', code: 'invalid_json', message: 'is not valid JSON' }]);
        });
        const input = commandInput(command, body);
        return answered(async () => c.json(commandAnswer(await handler(input, toolsFor(c.get('auth').actor)))), `command ${name}`);
      });
      const route = (method: 'get' | 'post' | 'patch' | 'delete', upload = false) => (path: string, docOrHandler: RouteDoc | RouteHandler, maybeHandler?: RouteHandler<any, any>) => {
        const doc = typeof docOrHandler === 'function' ? undefined : docOrHandler;
        const handler = (typeof docOrHandler === 'function' ? docOrHandler : maybeHandler) as RouteHandler<unknown, unknown>;
        documented.push({ method, path, doc, upload });
        routes[method](path, async (c) => {
          const { actor } = c.get('auth');
          // Checked before the plugin's code runs: a bad query or body is the caller's 422, not the plugin's failure.
          const query = checkedQuery(doc, c.req.query());
          const body = await checkedBody(doc, () => c.req.json());
          return answered(async () => handler(c, { ...toolsFor(actor), query, body }), 'route');
        });
      };
      let subscription = 0;
      const checks = new Map<string, HealthCheck>();
      const settingsListeners: Running['settingsListeners'] = [];
      let gdpr: GdprHooks | undefined;
      const handlers: { job: string; handler: (data: Record<string, unknown>, records: (workspaceId: string) => PluginRecords) => Promise<unknown> }[] = [];
      const declared = (job: string) => {
        if (!manifest.jobs.some((candidate) => candidate.name === job)) throw new Error(`it uses the job "${job}", which its manifest does not declare in "jobs"`);
      };
      const runner = () => {
        if (!this.jobs) throw new Error('this server runs no jobs');
        return this.jobs;
      };
      const ctx: PluginServerContext = {
        manifest,
        db: this.core.database.db,
        log: {
          info: (message, details) => log.info(details ?? {}, message),
          warn: (message, details) => log.warn(details ?? {}, message),
          error: (message, details) => log.error(details ?? {}, message),
        },
        records: (workspaceId) => pluginRecords(this.core, serviceActor(workspaceId)),
        http: {
          get: route('get'),
          post: route('post'),
          patch: route('patch'),
          delete: route('delete'),
          upload: (path, handler) => {
            uploads.push(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?:[A-Za-z_]+/g, '[^/]+')}/?$`));
            route('post', true)(path, handler);
          },
        },
        events: {
          before: (objectName, check) => {
            disposers.push(
              this.core.records.addWriteGuard(async (write) => {
                if (write.object !== objectName) return;
                try {
                  await check(write);
                } catch (error) {
                  if (error instanceof ProblemError) throw error;
                  log.error({ err: error }, 'plugin before-hook failed');
                  throw new ProblemError({ status: 502, slug: 'plugin-failed', title: 'The plugin failed', detail: `The plugin ${id} failed to check this write: ${(error as Error).message}` });
                }
              }),
            );
          },
          emit: async (name, event) => {
            if (!manifest.emits.includes(name)) throw new Error(`it emits "${name}", which its manifest does not declare in "emits"`);
            await writeEvents(this.core.database.db, [{ workspaceId: event.workspaceId, type: `${id}.${name}`, object: event.object, recordId: event.recordId, payload: event.payload }]);
          },
          on: (type, handler) => {
            if (!manifest.events.some((declared) => declared === type || (declared.endsWith('.*') && type.startsWith(declared.slice(0, -1))))) {
              throw new Error(`it subscribes to ${type}, which its manifest does not declare in "events"`);
            }
            disposers.push(
              this.core.events.subscribe({
                name: `plugin:${id}@${manifest.version}:${subscription++}`,
                types: [type],
                handle: async (event) => {
                  const visible = await this.visibleEvent(serviceActor(event.workspaceId), event);
                  if (!visible) return;
                  try {
                    await handler(visible, pluginRecords(this.core, serviceActor(event.workspaceId)));
                  } catch (error) {
                    log.warn({ err: error, event: event.id }, 'plugin subscriber failed');
                    throw error; // retried by the dispatcher
                  }
                },
              }),
            );
          },
        },
        settings: {
          get: () => this.settings(id),
          onChange: (listener) => {
            settingsListeners.push(listener);
          },
        },
        secrets: { get: (name) => this.secrets.get(manifest, name) },
        fetch: manifest.fetch
          ? createSafeFetch(id, { hosts: manifest.fetch.hosts, privateHosts: this.options.fetchPrivateHosts ?? [] })
          : ((async () => {
              throw new FetchRefused(`ctx.fetch of plugin ${id} refused: its manifest declares no hosts (fetch.hosts)`);
            }) as typeof fetch),
        gdpr: {
          register: (hooks) => {
            gdpr = hooks;
          },
        },
        timeline: {
          source: (entries) => {
            disposers.push(
              this.core.records.addTimelineSource(async (query) => {
                try {
                  const { actor, ...asked } = query;
                  return (await entries(asked, pluginRecords(this.core, actor))).map((entry) => ({
                    id: entry.id,
                    at: entry.at,
                    action: `${id}.${entry.kind}`,
                    actor: { kind: 'plugin', id },
                    changes: [],
                    source: id,
                    title: entry.title,
                    ...(entry.body ? { body: entry.body } : {}),
                  }));
                } catch (error) {
                  // A failing source leaves its entries out; the record's own history still shows.
                  log.warn({ err: error }, 'plugin timeline source failed');
                  return [];
                }
              }),
            );
          },
        },
        files: {
          add: (workspaceId, file, bytes) => this.core.files.add(serviceActor(workspaceId), file, bytes),
          list: (workspaceId, object, recordId) => this.core.files.list(serviceActor(workspaceId), object, recordId),
        },
        notify: (workspaceId, notification) => this.core.notifications.notify(workspaceId, id, { ...notification, kind: `${id}.${notification.kind}` }),
        jobs: {
          enqueue: async (job, data, options) => {
            declared(job);
            if (CALLER in data) throw new Error(`"${CALLER}" is the host's: enqueue from a route's tools.jobs to act as the caller`);
            return runner().send(jobQueue(id, job), data, options);
          },
          // PGlite runs every query on this thread, one at a time: a pause lets queued requests through.
          yieldToRequests: () => (this.core.database.driver === 'pglite' ? new Promise((resolve) => setTimeout(resolve, PGLITE_PAUSE_MS)) : Promise.resolve()),
          concurrency: this.core.database.driver === 'pglite' ? 1 : 2,
          rerun: async (jobId) => {
            for (const { name } of manifest.jobs) {
              const data = await runner().jobData(jobQueue(id, name), jobId);
              if (data) return runner().send(jobQueue(id, name), data);
            }
            throw new Error(`there is no job ${jobId} of the plugin ${id}`);
          },
          handle: (job, handler) => {
            declared(job);
            handlers.push({ job, handler });
          },
        },
        onDispose: (dispose) => void disposers.push(dispose),
        commands: {
          handle: (name, handler) => {
            if (!manifest.commands.some((command) => command.name === name)) throw new Error(`it handles the command "${name}", which its manifest does not declare in "commands"`);
            commandHandlers.set(name, handler);
          },
        },
        health: {
          check: (name, check) => {
            if (checks.has(name)) throw new Error(`it registers the health check "${name}" twice`);
            checks.set(name, check);
          },
        },
      };
      await server.setup(ctx);
      // Workers and schedules start once setup succeeded; disabling stops both.
      for (const { job, handler } of handlers) {
        disposers.push(
          await runner().work(jobQueue(id, job), async (data) => {
            try {
              const { [CALLER]: caller, ...own } = data as Record<string, unknown> & { [CALLER]?: { kind: Actor['kind']; id: string; workspaceId: string; userId: string | null } };
              const actorIn = (workspaceId: string): Actor => {
                if (!caller) return serviceActor(workspaceId);
                if (caller.workspaceId !== workspaceId) throw new Error(`this job acts for a user of another workspace than ${workspaceId}`);
                // Rights are resolved again at each call: a user deactivated since is refused.
                return { kind: caller.kind, id: caller.id, workspaceId, ...(caller.userId ? { userId: caller.userId } : {}) };
              };
              return await handler(own, (workspaceId) => pluginRecords(this.core, actorIn(workspaceId)));
            } catch (error) {
              log.warn({ err: error, job }, 'plugin job failed');
              throw error; // retried by the queue
            }
          }),
        );
      }
      for (const { name, cron } of manifest.jobs) {
        if (!cron) continue;
        if (!handlers.some((handler) => handler.job === name)) throw new Error(`its job "${name}" has a cron schedule but no handler (ctx.jobs.handle)`);
        disposers.push(await runner().schedule(jobQueue(id, name), cron));
      }
      if (manifest.personalData.length > 0 && !gdpr) {
        throw new Error(`it declares personal data (${manifest.personalData.join(', ')}) but registers no GDPR hooks: call ctx.gdpr.register({ exportPersonalData, erasePersonalData })`);
      }
      // Swapped in whole: requests go to the old routes until this line, to the new ones after.
      const previous = this.running.get(id);
      this.running.set(id, { objects, fields, checks, settingsListeners, routes, documented, disposers, gdpr, uploads });
      this.core.registry.invalidate();
      if (previous) await this.dispose(id, previous);
      await this.saveState(manifest, 'enabled', null);
      log.info(`plugin ${id} ${manifest.version} enabled`);
      this.changed();
    } catch (error) {
      for (const dispose of disposers.reverse()) await Promise.resolve(dispose()).catch(() => {});
      await this.saveState(manifest, 'failed', (error as Error).message);
      log.error({ err: error }, `plugin ${id} failed to start`);
      throw error;
    }
  }

  private async deactivate(id: string): Promise<void> {
    const running = this.running.get(id);
    if (!running) return;
    this.running.delete(id);
    this.core.registry.invalidate();
    await this.dispose(id, running);
    this.changed();
  }

  private async dispose(id: string, running: Running): Promise<void> {
    for (const dispose of running.disposers.reverse()) {
      try {
        await dispose();
      } catch (error) {
        this.log.warn({ err: error, plugin: id }, 'a plugin registration failed to dispose');
      }
    }
  }

  /** The event as the plugin's service identity may know it: none for an object it cannot read; hidden fields' names and values removed. */
  private visibleEvent(actor: Actor, event: DeliveredEvent): Promise<PluginEvent | null> {
    return this.core.records.visibleEvent(actor, event);
  }

  private async saveState(manifest: PluginManifest, status: PluginStatus, error: string | null): Promise<void> {
    const now = new Date();
    await this.core.database.db
      .insert(schema.pluginState)
      .values({ id: manifest.id, version: manifest.version, status, error, enabledAt: status === 'enabled' ? now : null })
      .onConflictDoUpdate({ target: schema.pluginState.id, set: { version: manifest.version, status, error, updatedAt: now, ...(status === 'enabled' ? { enabledAt: now } : {}) } });
  }
}

