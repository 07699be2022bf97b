import { z } from 'zod';
import semver from 'semver';
import { declaredFieldInput, declaredObjectInput } from '@rapport/core';

/**
 * The plugin API this host implements. A plugin's `engines.rapport` is a range of this version
 * (not of the app's): the host refuses a plugin built for another major.
 */
export const PLUGIN_API_VERSION = '1.0.0';

const scope = z.enum(['none', 'own', 'team', 'all']);
const label = z.strictObject({ en: z.string().min(1).max(100), fr: z.string().min(1).max(100).optional() });
const range = z.string().refine((value) => semver.validRange(value) !== null, 'must be a semver range such as ^1.2.0');

export const pluginManifestSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or -, starting with a letter'),
  version: z.string().refine((value) => semver.valid(value) !== null, 'must be a semver version such as 1.0.0'),
  displayName: label,
  description: label.optional(),
  engines: z.strictObject({ rapport: range }),
  /** Other plugins this one needs, with version ranges. */
  requires: z.record(z.string(), range).default({}),
  /**
   * What the plugin's service identity (its subscribers and jobs) may do: a role of its own, never
   * more. Routes act as the calling user instead.
   */
  permissions: z
    .strictObject({
      objects: z.record(z.string(), z.strictObject({ read: scope, create: z.boolean().default(false), update: scope.default('none'), delete: scope.default('none') })).default({}),
    })
    .default({ objects: {} }),
  /**
   * Objects the plugin brings (as POST /api/v1/metadata/objects takes them), in every workspace while
   * it is enabled; relations may point at the core's objects, its own, or those of plugins it requires.
   * `managed` names the fields only the plugin writes (a computed score): read-only to everyone else.
   */
  objects: z.array(declaredObjectInput).max(50).default([]),
  /**
   * Fields it adds to objects it does not own — the core's, or those of plugins it requires — as
   * `{ object, field }` (the field as POST /api/v1/metadata/objects/{object}/fields takes it; a relation
   * may point at its own objects): shown while it is enabled, their values kept while it is not,
   * deleted when it is purged.
   */
  fields: z.array(declaredFieldInput).max(50).default([]),
  /** Event types the plugin subscribes to (`record.created`, `record.*`, another plugin's `pipeline.stage_changed`). */
  events: z.array(z.string().max(100)).default([]),
  /** Events it emits (`ctx.events.emit`), named without its id: `stage_changed` reaches subscribers as `<id>.stage_changed`. */
  emits: z.array(z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or _')).max(50).default([]),
  /** Its background jobs; `cron` (e.g. "0 3 * * *") runs one on a schedule while the plugin is enabled. */
  jobs: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or -'), cron: z.string().max(100).optional() }))
    .default([]),
  /**
   * Commands of the `rapport` CLI: `rapport <plugin-id> <name> [arguments] [--option value]` reaches the
   * handler (`ctx.commands.handle`) through the server, acting as the API key's user.
   */
  commands: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or -, starting with a letter'),
        description: label,
        /** Positional, in this order; the required ones first. */
        arguments: z.array(z.strictObject({ name: z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/, 'must be 1 to 40 letters or digits, starting with a lower-case letter'), description: label.optional(), required: z.boolean().default(true) })).max(10).default([]),
        /** `--name value`, or a flag (`value: false`) that is true when given. */
        options: z.array(z.strictObject({ name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or -, starting with a letter'), description: label.optional(), value: z.boolean().default(true) })).max(20).default([]),
      }),
    )
    .max(30)
    .default([]),
  /** Its settings, as a zod object schema with defaults: admins edit them (validated by it) at run time. */
  settings: z.custom<z.ZodObject>((value) => value instanceof z.ZodObject, 'must be a zod object schema (z.object({…}))').optional(),
  /**
   * Entries of the shell's navigation, shown while the plugin is enabled: `path` is under the plugin's
   * mount `/p/<id>/` ('' for its home page); `requires` hides it from whoever cannot read that object.
   */
  navigation: z
    .array(
      z.strictObject({
        id: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1 to 40 lower-case letters, digits or -, starting with a letter'),
        label,
        path: z.string().max(200).regex(/^([a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*)?$/, "must be '' or lower-case segments separated by / (no leading /)").default(''),
        icon: z.string().max(40).optional(),
        requires: z.strictObject({ object: z.string().max(100), action: z.literal('read') }).optional(),
      }),
    )
    .max(20)
    .default([]),
  /**
   * Secrets it needs (API keys of the services it calls): admins set them (`PUT
   * /api/v1/plugins/<id>/secrets/<name>`), the server keeps them sealed, `ctx.secrets.get(name)` reads them.
   */
  secrets: z
    .array(z.strictObject({ name: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must be 1 to 64 letters, digits or _, starting with a letter'), label, description: label.optional() }))
    .max(20)
    .default([]),
  /**
   * The hosts `ctx.fetch` may call (`api.example.com`, or `*.example.com` for its subdomains), over
   * HTTPS or HTTP; none if absent. Addresses inside the server's network are refused whatever the name.
   */
  fetch: z
    .strictObject({ hosts: z.array(z.string().regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/, 'must be a host name such as api.example.com or *.example.com')).min(1).max(50) })
    .optional(),
  /** Kinds of personal data it stores (for GDPR tooling): a plugin that stores some must export and erase it. */
  personalData: z.array(z.string().max(100)).default([]),
});

export type PluginManifest = z.output<typeof pluginManifestSchema>;
export type PluginManifestInput = z.input<typeof pluginManifestSchema>;

/** Declares a plugin: validated when the host reads it, without running any of the plugin's code. */
export function defineManifest(manifest: PluginManifestInput): PluginManifest {
  const result = pluginManifestSchema.safeParse(manifest);
  if (result.success) return result.data;
  // Still the ZodError (with its issues), but a message that reads in one line: where, and what is wrong.
  const id = typeof (manifest as { id?: unknown } | null)?.id === 'string' ? ` "${(manifest as { id: string }).id}"` : '';
  result.error.message = `The manifest of plugin${id} is invalid: ${result.error.issues.map((issue) => `${issue.path.join('.') || '(the manifest)'}: ${issue.message}`).join('; ')}`;
  throw result.error;
}

/** Whether this host can run a plugin built for `range` of the plugin API. */
export function supportsPluginApi(range: string): boolean {
  return semver.satisfies(PLUGIN_API_VERSION, range);
}
