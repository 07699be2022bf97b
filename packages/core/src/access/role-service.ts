import { and, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '@rapport/db';
import type { MetadataRegistry } from '../metadata/registry';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { type FieldProblem, parseOrThrow, problems } from '../problems';
import { role } from '../schema/access';
import { apiKey, workspaceMember } from '../schema/identity';
import type { Access } from './access';
import type { AccessResolver } from './access-resolver';
import { writeAudit } from './access-audit';
import { presetByKey, ROLE_PRESETS } from './presets';
import { assertMayGrant } from './may-grant';
import { ANY_OBJECT, type RoleDefinition, roleDefinitionSchema } from './role-definition';

const labelsSchema = z.strictObject({ en: z.string().trim().min(1).max(100), fr: z.string().trim().min(1).max(100).optional() });

export const newRoleSchema = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or _, starting with a letter'),
  labels: labelsSchema,
  definition: roleDefinitionSchema,
});
export const roleChangeSchema = z.strictObject({ labels: labelsSchema.optional(), definition: roleDefinitionSchema.optional() });

export interface RoleView {
  key: string;
  labels: { en: string; fr?: string };
  definition: RoleDefinition;
  /** A preset ships with Rapport; an edited preset can be reset to its default by deleting it. */
  preset: boolean;
  edited: boolean;
  members: number;
}

/** Roles, editable at run time; every change is audited and takes effect at once on every server. */
export class RoleService {
  constructor(
    private readonly database: Database,
    private readonly registry: MetadataRegistry,
    private readonly resolver: AccessResolver,
  ) {}

  async list(access: Access): Promise<RoleView[]> {
    const workspaceId = access.actor.workspaceId;
    const stored = await this.database.db.select().from(role).where(eq(role.workspaceId, workspaceId));
    const counts = new Map(
      (await this.database.db.select({ role: workspaceMember.role, members: count() }).from(workspaceMember).where(eq(workspaceMember.workspaceId, workspaceId)).groupBy(workspaceMember.role)).map(
        (row) => [row.role, row.members],
      ),
    );
    const byKey = new Map(stored.map((row) => [row.key, row]));
    const views: RoleView[] = ROLE_PRESETS.map((preset) => {
      const row = byKey.get(preset.key);
      return {
        key: preset.key,
        labels: (row?.labels as RoleView['labels']) ?? preset.labels,
        definition: row ? roleDefinitionSchema.parse(row.definition) : preset.definition,
        preset: true,
        edited: Boolean(row),
        members: counts.get(preset.key) ?? 0,
      };
    });
    for (const row of stored) {
      if (presetByKey.has(row.key)) continue;
      views.push({ key: row.key, labels: row.labels as RoleView['labels'], definition: roleDefinitionSchema.parse(row.definition), preset: false, edited: true, members: counts.get(row.key) ?? 0 });
    }
    return views;
  }

  async get(access: Access, key: string): Promise<RoleView> {
    const found = (await this.list(access)).find((view) => view.key === key);
    if (!found) throw problems.notFound(`role ${key} does not exist`);
    return found;
  }

  /** Whether the role exists in this workspace (a preset or a stored one). */
  async exists(executor: Executor, workspaceId: string, key: string): Promise<boolean> {
    return (await this.resolver.roleDefinition(executor, workspaceId, key)) !== null;
  }

  async create(access: Access, body: unknown): Promise<RoleView> {
    access.assertAdmin('users');
    const input = parseOrThrow(newRoleSchema, body);
    const workspaceId = access.actor.workspaceId;
    await this.checkDefinition(access, input.definition, 'definition');
    await this.database.db.transaction(async (tx) => {
      if (presetByKey.has(input.key) || (await this.exists(tx, workspaceId, input.key))) {
        throw problems.conflict(`A role with the key ${input.key} already exists`, [{ field: 'key', code: 'taken', message: 'is taken' }]);
      }
      await tx.insert(role).values({ workspaceId, key: input.key, labels: input.labels, definition: input.definition });
      await writeAudit(tx, { workspaceId, action: 'role.created', actor: access.actor, target: `role:${input.key}`, detail: { definition: input.definition } });
      await this.resolver.changed(tx, workspaceId);
    });
    return this.get(access, input.key);
  }

  async update(access: Access, key: string, body: unknown): Promise<RoleView> {
    access.assertAdmin('users');
    const input = parseOrThrow(roleChangeSchema, body);
    const current = await this.get(access, key);
    const workspaceId = access.actor.workspaceId;
    if (input.definition) await this.checkDefinition(access, input.definition, 'definition');
    const labels = input.labels ?? current.labels;
    const definition = input.definition ?? current.definition;
    await this.database.db.transaction(async (tx) => {
      await tx
        .insert(role)
        .values({ workspaceId, key, labels, definition })
        .onConflictDoUpdate({ target: [role.workspaceId, role.key], set: { labels, definition, updatedAt: new Date() } });
      await writeAudit(tx, { workspaceId, action: 'role.updated', actor: access.actor, target: `role:${key}`, detail: { before: current.definition, after: definition } });
      await this.resolver.changed(tx, workspaceId);
    });
    return this.get(access, key);
  }

  /** Deletes a custom role nobody uses, or resets an edited preset to its default. */
  async delete(access: Access, key: string): Promise<void> {
    access.assertAdmin('users');
    const current = await this.get(access, key);
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      if (!current.preset) {
        const [members] = await tx.select({ n: count() }).from(workspaceMember).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.role, key)));
        const [keys] = await tx.select({ n: count() }).from(apiKey).where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.role, key)));
        if ((members?.n ?? 0) > 0 || (keys?.n ?? 0) > 0) {
          throw problems.conflict(`Role ${key} is still given to ${members?.n ?? 0} member(s) and ${keys?.n ?? 0} API key(s): give them another role first`);
        }
      }
      await tx.delete(role).where(and(eq(role.workspaceId, workspaceId), eq(role.key, key)));
      await writeAudit(tx, { workspaceId, action: 'role.deleted', actor: access.actor, target: `role:${key}`, detail: { preset: current.preset } });
      await this.resolver.changed(tx, workspaceId);
    });
  }

  /** Objects and fields must exist; and nobody grants more than they hold. */
  private async checkDefinition(access: Access, definition: RoleDefinition, prefix: string): Promise<void> {
    const metadata: WorkspaceMetadata = await this.registry.forWorkspace(this.database.db, access.actor.workspaceId);
    const unknown: FieldProblem[] = [];
    for (const [name, rights] of Object.entries(definition.objects)) {
      const object = name === ANY_OBJECT ? undefined : metadata.objects.get(name);
      if (name !== ANY_OBJECT && !object) {
        unknown.push({ field: `${prefix}.objects.${name}`, code: 'unknown_object', message: `no object "${name}"` });
        continue;
      }
      for (const fieldName of Object.keys(rights.fields)) {
        const known = object ? object.fields.some((field) => field.name === fieldName) : ['ownerId', 'createdAt', 'updatedAt'].includes(fieldName);
        if (!known) unknown.push({ field: `${prefix}.objects.${name}.fields.${fieldName}`, code: 'unknown_field', message: `no field "${fieldName}"${object ? ` on ${name}` : ' on every object'}` });
        if (fieldName === 'id') unknown.push({ field: `${prefix}.objects.${name}.fields.id`, code: 'not_allowed', message: 'the id of a readable record is always readable' });
      }
    }
    if (unknown.length > 0) throw problems.validation(unknown, 'The role names objects or fields that do not exist');
    assertMayGrant(access, definition, 'This role', prefix);
  }
}
