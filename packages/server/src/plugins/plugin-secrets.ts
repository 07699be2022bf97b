import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Access, type Core, parseOrThrow, problems, schema, writeAudit } from '@rapport/core';
import type { PluginManifest } from '@rapport/sdk/manifest';

export interface SecretView {
  name: string;
  label: { en: string; fr?: string };
  description: { en: string; fr?: string } | null;
  /** Whether an admin has set it; its value is never answered. */
  set: boolean;
  updatedAt: string | null;
}

const secretValue = z.strictObject({ value: z.string().min(1).max(10_000) });

/**
 * The secrets plugins declare: set and cleared by admins of plugins, kept sealed with the server's
 * key, read in clear only by the plugin itself (`ctx.secrets.get`). Changes are in the access audit.
 */
export class PluginSecrets {
  constructor(private readonly core: Core) {}

  private declared(manifest: PluginManifest, name: string) {
    const secret = manifest.secrets.find((candidate) => candidate.name === name);
    if (!secret) throw problems.notFound(`${manifest.id} declares no secret "${name}"`);
    return secret;
  }

  async list(access: Access, manifest: PluginManifest): Promise<SecretView[]> {
    access.assertAdmin('plugins');
    const rows = await this.core.database.db.select({ name: schema.pluginSecret.name, updatedAt: schema.pluginSecret.updatedAt }).from(schema.pluginSecret).where(eq(schema.pluginSecret.pluginId, manifest.id));
    const set = new Map(rows.map((row) => [row.name, row.updatedAt]));
    return manifest.secrets.map((secret) => ({ name: secret.name, label: secret.label, description: secret.description ?? null, set: set.has(secret.name), updatedAt: set.get(secret.name)?.toISOString() ?? null }));
  }

  async set(access: Access, manifest: PluginManifest, name: string, body: unknown): Promise<void> {
    access.assertAdmin('plugins');
    this.declared(manifest, name);
    const { value } = parseOrThrow(secretValue, body);
    const sealed = this.core.secrets.seal(value);
    const by = `${access.actor.kind}:${access.actor.id}`;
    await this.core.database.db.transaction(async (tx) => {
      await tx
        .insert(schema.pluginSecret)
        .values({ pluginId: manifest.id, name, value: sealed, updatedBy: by })
        .onConflictDoUpdate({ target: [schema.pluginSecret.pluginId, schema.pluginSecret.name], set: { value: sealed, updatedBy: by, updatedAt: new Date() } });
      await writeAudit(tx, { workspaceId: access.actor.workspaceId, action: 'plugin.secretChanged', actor: access.actor, target: `plugin:${manifest.id}`, detail: { name, change: 'set' } });
    });
  }

  async clear(access: Access, manifest: PluginManifest, name: string): Promise<void> {
    access.assertAdmin('plugins');
    this.declared(manifest, name);
    await this.core.database.db.transaction(async (tx) => {
      await tx.delete(schema.pluginSecret).where(and(eq(schema.pluginSecret.pluginId, manifest.id), eq(schema.pluginSecret.name, name)));
      await writeAudit(tx, { workspaceId: access.actor.workspaceId, action: 'plugin.secretChanged', actor: access.actor, target: `plugin:${manifest.id}`, detail: { name, change: 'cleared' } });
    });
  }

  /** The value, for the plugin itself; null while no admin has set it. */
  async get(manifest: PluginManifest, name: string): Promise<string | null> {
    if (!manifest.secrets.some((candidate) => candidate.name === name)) throw new Error(`it reads the secret "${name}", which its manifest does not declare in "secrets"`);
    const [row] = await this.core.database.db.select({ value: schema.pluginSecret.value }).from(schema.pluginSecret).where(and(eq(schema.pluginSecret.pluginId, manifest.id), eq(schema.pluginSecret.name, name)));
    return row ? this.core.secrets.open(row.value) : null;
  }

  /** Forgets a purged plugin's secrets. */
  async purge(tx: Pick<Core['database']['db'], 'delete'>, pluginId: string): Promise<void> {
    await tx.delete(schema.pluginSecret).where(eq(schema.pluginSecret.pluginId, pluginId));
  }
}
