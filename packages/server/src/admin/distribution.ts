import { z } from 'zod';
import { type Access, type Core, fieldInput, fieldPatch, newRoleSchema, objectInput, parseOrThrow, problems, workspaceSettingsSchema } from '@rapport/core';
import type { PluginHost, PluginView } from '../plugins/plugin-host';

/**
 * A distribution: one file that turns an empty Rapport into a CRM for one trade — plugins and their
 * settings, custom objects and fields, roles, workspace defaults and demo data. Applying it twice
 * changes nothing the second time.
 */
const demoRecord = z.record(z.string(), z.unknown());
export const distributionSchema = z.strictObject({
  name: z.string().min(1).max(100),
  version: z.string().max(40).optional(),
  workspace: workspaceSettingsSchema.optional(),
  plugins: z.record(z.string(), z.strictObject({ settings: z.record(z.string(), z.unknown()).optional() })).default({}),
  /** New objects, with their fields (relations may point at each other: they are added last). */
  objects: z.array(objectInput).max(100).default([]),
  /** More fields on existing objects (company, person, plugins' objects, or the ones above). */
  fields: z.record(z.string(), z.array(fieldInput).max(200)).default({}),
  /**
   * Changes to existing fields, per object and field, as `PATCH /api/v1/metadata/objects/{object}/fields/{field}`
   * takes them: a trade's own stages (options of a plugin's select), labels, required…
   */
  fieldPatches: z.record(z.string(), z.record(z.string(), fieldPatch)).default({}),
  roles: z.array(newRoleSchema).max(50).default([]),
  /**
   * Demo records per object, created only while those objects are empty. A record may name itself
   * with "$key" and others may point at it with { "$ref": "<object>/<key>" }.
   */
  demo: z.record(z.string(), z.array(demoRecord).max(1000)).default({}),
});
export type Distribution = z.output<typeof distributionSchema>;

export interface DistributionReport {
  objectsCreated: string[];
  fieldsAdded: string[];
  fieldsChanged: string[];
  rolesChanged: string[];
  pluginsEnabled: string[];
  demoRecords: number;
  workspace: boolean;
}

/** Equal as JSON whatever the order of object keys (jsonb keeps its own order). */
function same(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([key, inner]) => [key, canonical(inner)])) : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

export async function applyDistribution(core: Core, access: Access, plugins: PluginHost | undefined, body: unknown, options: { activate: boolean }): Promise<DistributionReport> {
  const distribution = parseOrThrow(distributionSchema, body);
  const { actor } = access;
  access.assertAdmin('settings');
  access.assertAdmin('users');
  // Every object it adds fields to, changes or fills must exist, before anything is written: the core's,
  // one its plugins declare, or one it makes. A plugin's objects exist only where the plugin runs.
  for (const id of Object.keys(distribution.plugins)) {
    if (!plugins) throw problems.conflict(`The distribution needs the plugin ${id}, and this server runs no plugins: name it in RAPPORT_PLUGINS`);
    if (!plugins.declares(id)) throw problems.conflict(`The distribution needs the plugin ${id}: install it (pnpm add) and name it in RAPPORT_PLUGINS`);
  }
  const current = new Set((await core.records.metadata(actor)).objects.keys());
  const fromPlugins = new Map<string, { plugin: string; running: boolean }>();
  for (const id of Object.keys(distribution.plugins)) for (const name of plugins?.declares(id)?.objects ?? []) fromPlugins.set(name, { plugin: id, running: plugins!.declares(id)!.running });
  const referenced = [...new Set([...Object.keys(distribution.fields), ...Object.keys(distribution.fieldPatches), ...Object.keys(distribution.demo)])];
  const unknown = referenced.filter((name) => !current.has(name) && !fromPlugins.has(name) && !distribution.objects.some((object) => object.name === name));
  if (unknown.length > 0) throw problems.validation(unknown.map((name) => ({ field: 'objects', code: 'unknown_object', message: `no object "${name}": neither the core's, a plugin's, nor one the distribution makes` })));
  const notRunning = referenced.filter((name) => !current.has(name) && fromPlugins.has(name) && !options.activate);
  if (notRunning.length > 0) throw problems.conflict(`The distribution changes objects of its plugins (${notRunning.join(', ')}), which only a running server has: start it (pnpm start), then apply the distribution beside it`);

  const report: DistributionReport = { objectsCreated: [], fieldsAdded: [], fieldsChanged: [], rolesChanged: [], pluginsEnabled: [], demoRecords: 0, workspace: false };

  if (distribution.workspace) {
    const before = await core.workspaces.settings(actor);
    const after = await core.workspaces.updateSettings(access, distribution.workspace);
    report.workspace = JSON.stringify(before) !== JSON.stringify(after);
  }

  // Plugins first (their objects may get fields and changes below), each after those it requires.
  const offered = plugins ? await plugins.list() : [];
  for (const [id, wish] of inDependencyOrder(Object.entries(distribution.plugins), offered)) {
    if (!plugins) throw problems.conflict(`The distribution needs the plugin ${id}, and this server runs no plugins: name it in RAPPORT_PLUGINS`);
    const state = (await plugins.list()).find((plugin) => plugin.id === id);
    if (!state) throw problems.conflict(`The distribution needs the plugin ${id}: install it (pnpm add) and name it in RAPPORT_PLUGINS`);
    if (wish.settings && JSON.stringify(await plugins.settings(id)) !== JSON.stringify(plugins.normalizeSettings(id, wish.settings))) await plugins.saveSettings(access, id, wish.settings);
    if (state.status !== 'enabled') {
      await plugins.enable(access, id, { activate: options.activate });
      report.pluginsEnabled.push(id);
    }
  }

  // Objects first without their relations (which may point at objects not made yet), then every missing field.
  const exists = async (name: string) => (await core.records.metadata(actor)).findObject(name) !== undefined;
  for (const object of distribution.objects) {
    if (await exists(object.name)) continue;
    const plain = object.fields.filter((field) => field.type !== 'relation');
    await core.metadata.createObject(actor, { ...object, fields: plain, labelField: object.labelField, rules: [] });
    report.objectsCreated.push(object.name);
  }
  const wanted = new Map<string, z.output<typeof fieldInput>[]>();
  for (const object of distribution.objects) wanted.set(object.name, [...object.fields]);
  for (const [name, fields] of Object.entries(distribution.fields)) wanted.set(name, [...(wanted.get(name) ?? []), ...fields]);
  for (const [name, fields] of wanted) {
    for (const field of fields) {
      const metadata = await core.records.metadata(actor);
      const object = metadata.object(name);
      if (metadata.field(object, field.name)) continue;
      await core.metadata.addField(actor, name, field);
      report.fieldsAdded.push(`${name}.${field.name}`);
    }
  }
  for (const [name, patches] of Object.entries(distribution.fieldPatches)) {
    for (const [fieldName, patch] of Object.entries(patches)) {
      const current = (await core.metadata.get(actor, name)).fields.find((field) => field.name === fieldName);
      if (!current) throw problems.validation([{ field: `fieldPatches.${name}.${fieldName}`, code: 'unknown_field', message: `no field "${fieldName}" on ${name}` }]);
      if (Object.entries(patch).every(([key, value]) => same((current as Record<string, unknown>)[key], value))) continue;
      await core.metadata.updateField(actor, name, fieldName, patch);
      report.fieldsChanged.push(`${name}.${fieldName}`);
    }
  }
  for (const object of distribution.objects.filter((candidate) => candidate.rules.length > 0)) {
    const current = await core.metadata.get(actor, object.name);
    if (JSON.stringify(current.rules) !== JSON.stringify(object.rules)) await core.metadata.updateObject(actor, object.name, { rules: object.rules });
  }

  for (const role of distribution.roles) {
    const current = (await core.roles.list(access)).find((candidate) => candidate.key === role.key);
    if (!current) {
      await core.roles.create(access, role);
      report.rolesChanged.push(role.key);
    } else if (same(current.definition, parseOrThrow(newRoleSchema, role).definition) === false || !same(current.labels, role.labels)) {
      await core.roles.update(access, role.key, { labels: role.labels, definition: role.definition });
      report.rolesChanged.push(role.key);
    }
  }

  // Demo data, once: only while every object it fills is empty.
  const demoObjects = Object.keys(distribution.demo);
  const empty = await Promise.all(demoObjects.map(async (name) => (await core.records.list(actor, name, { limit: 1 })).data.length === 0));
  if (demoObjects.length > 0 && empty.every(Boolean)) {
    await core.records.transaction(async (tx) => {
      const keys = new Map<string, string>();
      const resolve = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(resolve);
        if (value && typeof value === 'object') {
          const ref = (value as { $ref?: unknown }).$ref;
          if (typeof ref === 'string') {
            const id = keys.get(ref);
            if (!id) throw problems.validation([{ field: `demo`, code: 'unknown_ref', message: `no demo record "${ref}" before this one` }]);
            return id;
          }
          return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, resolve(inner)]));
        }
        return value;
      };
      for (const name of demoObjects) {
        for (const record of distribution.demo[name]!) {
          const { $key, ...values } = record as { $key?: string } & Record<string, unknown>;
          const created = await core.records.create(actor, name, resolve(values), { tx });
          if ($key) keys.set(`${name}/${$key}`, created.record.id);
          report.demoRecords++;
        }
      }
    });
  }
  return report;
}

/** The current configuration as a distribution (without demo data): custom objects and fields, roles, plugins, defaults. */
export async function exportDistribution(core: Core, access: Access, plugins: PluginHost | undefined, name: string): Promise<Distribution> {
  access.assertAdmin('settings');
  const { actor } = access;
  const metadata = await core.records.metadata(actor);
  const objects: z.input<typeof objectInput>[] = [];
  const fields: Record<string, z.input<typeof fieldInput>[]> = {};
  const asInput = (field: ReturnType<typeof metadata.field> & object) => {
    const relation = field.config.relation;
    return {
      name: field.name,
      type: field.type,
      labels: field.labels,
      ...(field.description ? { description: field.description } : {}),
      required: field.required,
      unique: field.unique,
      indexed: field.indexed,
      searchable: field.searchable,
      personalData: field.personalData,
      sensitive: Boolean(field.sensitive),
      ...(field.default !== undefined ? { default: field.default } : {}),
      rules: field.rules,
      ...(field.config.options ? { options: field.config.options } : {}),
      ...(relation ? { relation: { kind: relation.kind, target: relation.target, ...(relation.reverse ? { reverse: relation.reverse } : {}) } } : {}),
    };
  };
  for (const object of metadata.objects.values()) {
    const custom = object.fields.filter((field) => field.owner === 'workspace' && field.storage.kind !== 'reverse' && field.storage.kind !== 'system');
    if (object.owner === 'workspace') {
      const titled = object.titleFields.join() !== object.labelField;
      objects.push({ name: object.name, labels: object.labels, icon: object.icon, labelField: object.labelField, ...(titled ? { titleFields: object.titleFields } : {}), fields: custom.map(asInput) as never, rules: object.rules as never });
    } else if (custom.length > 0) {
      fields[object.name] = custom.map(asInput) as never;
    }
  }
  const roles = (await core.roles.list(access)).filter((role) => role.edited).map((role) => ({ key: role.key, labels: role.labels, definition: role.definition }));
  const enabled = plugins ? (await plugins.list()).filter((plugin) => plugin.status === 'enabled') : [];
  const pluginSettings: Record<string, { settings?: Record<string, unknown> }> = {};
  for (const plugin of enabled) pluginSettings[plugin.id] = { settings: await plugins!.settings(plugin.id) };
  const settings = await core.workspaces.settings(actor);
  return distributionSchema.parse({ name, workspace: { locale: settings.locale, currency: settings.currency, trashDays: settings.trashDays }, plugins: pluginSettings, objects, fields, roles: roles.filter((role) => !role.key.startsWith('__')) });
}

/** The distribution's plugins, each after the ones it requires among them (the file's order otherwise). */
function inDependencyOrder<T>(wanted: [string, T][], offered: readonly PluginView[]): [string, T][] {
  const ordered: [string, T][] = [];
  const visit = (entry: [string, T], path: string[]) => {
    if (ordered.includes(entry) || path.includes(entry[0])) return;
    const requires = Object.keys(offered.find((plugin) => plugin.id === entry[0])?.requires ?? {});
    for (const required of wanted.filter(([other]) => requires.includes(other))) visit(required, [...path, entry[0]]);
    ordered.push(entry);
  };
  for (const entry of wanted) visit(entry, []);
  return ordered;
}
