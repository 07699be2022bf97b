import { z } from 'zod';

/** Which records a verb reaches: none, the actor's own (and their reports'), their teams', or all. */
export const SCOPES = ['none', 'own', 'team', 'all'] as const;
export type Scope = (typeof SCOPES)[number];
export const FIELD_ACCESS = ['hidden', 'read', 'write'] as const;
export type FieldAccess = (typeof FIELD_ACCESS)[number];
export const ADMIN_AREAS = ['settings', 'users', 'plugins', 'audit'] as const;
export type AdminArea = (typeof ADMIN_AREAS)[number];

const scope = z.enum(SCOPES);

export const objectRightsSchema = z.strictObject({
  read: scope,
  create: z.boolean(),
  update: scope,
  delete: scope,
  /** Fields not listed are writable (when the record is) and readable. */
  fields: z.record(z.string(), z.enum(FIELD_ACCESS)).default({}),
});
export type ObjectRights = z.infer<typeof objectRightsSchema>;

/** The object name "*" gives the rights on every object the role does not name (custom ones included). */
export const ANY_OBJECT = '*';

export const roleDefinitionSchema = z
  .strictObject({
    objects: z.record(z.string(), objectRightsSchema),
    export: z.boolean(),
    import: z.boolean(),
    admin: z.strictObject({ settings: z.boolean(), users: z.boolean(), plugins: z.boolean(), audit: z.boolean() }),
    mfaRequired: z.boolean().default(false),
  })
  .superRefine((definition, ctx) => {
    for (const [name, rights] of Object.entries(definition.objects)) {
      for (const verb of ['update', 'delete'] as const) {
        if (rank(rights[verb]) > rank(rights.read)) {
          ctx.addIssue({ code: 'custom', path: ['objects', name, verb], message: `cannot reach more records (${rights[verb]}) than "read" does (${rights.read})` });
        }
      }
    }
  });
export type RoleDefinition = z.infer<typeof roleDefinitionSchema>;

export const rank = (value: Scope): number => SCOPES.indexOf(value);
const fieldRank = (value: FieldAccess): number => FIELD_ACCESS.indexOf(value);
const narrower = (a: Scope, b: Scope): Scope => (rank(a) <= rank(b) ? a : b);

export const NO_RIGHTS: ObjectRights = { read: 'none', create: false, update: 'none', delete: 'none', fields: {} };

export function objectRights(definition: RoleDefinition, objectName: string): ObjectRights {
  return definition.objects[objectName] ?? definition.objects[ANY_OBJECT] ?? NO_RIGHTS;
}

export function fieldAccess(rights: ObjectRights, fieldName: string): FieldAccess {
  return rights.fields[fieldName] ?? 'write';
}

/**
 * What both definitions allow: an API key acts with its own role narrowed by its creator's
 * current role, so that a key never exceeds the person who made it.
 */
export function intersect(a: RoleDefinition, b: RoleDefinition): RoleDefinition {
  const names = new Set([...Object.keys(a.objects), ...Object.keys(b.objects)]);
  const objects: Record<string, ObjectRights> = {};
  for (const name of names) {
    const left = objectRights(a, name);
    const right = objectRights(b, name);
    const fields: Record<string, FieldAccess> = {};
    for (const field of new Set([...Object.keys(left.fields), ...Object.keys(right.fields)])) {
      const l = fieldAccess(left, field);
      const r = fieldAccess(right, field);
      fields[field] = fieldRank(l) <= fieldRank(r) ? l : r;
    }
    objects[name] = {
      read: narrower(left.read, right.read),
      create: left.create && right.create,
      update: narrower(left.update, right.update),
      delete: narrower(left.delete, right.delete),
      fields,
    };
  }
  return {
    objects,
    export: a.export && b.export,
    import: a.import && b.import,
    admin: {
      settings: a.admin.settings && b.admin.settings,
      users: a.admin.users && b.admin.users,
      plugins: a.admin.plugins && b.admin.plugins,
      audit: a.admin.audit && b.admin.audit,
    },
    mfaRequired: a.mfaRequired || b.mfaRequired,
  };
}

/** Where `wanted` allows something `held` does not, as dotted paths (empty when it stays within). */
export function excess(wanted: RoleDefinition, held: RoleDefinition): string[] {
  const problems: string[] = [];
  const names = new Set([...Object.keys(wanted.objects), ...Object.keys(held.objects)]);
  for (const name of names) {
    const w = objectRights(wanted, name);
    const h = objectRights(held, name);
    for (const verb of ['read', 'update', 'delete'] as const) if (rank(w[verb]) > rank(h[verb])) problems.push(`objects.${name}.${verb}`);
    if (w.create && !h.create) problems.push(`objects.${name}.create`);
    for (const field of new Set([...Object.keys(w.fields), ...Object.keys(h.fields)])) {
      if (w.read !== 'none' && fieldRank(fieldAccess(w, field)) > fieldRank(fieldAccess(h, field))) problems.push(`objects.${name}.fields.${field}`);
    }
  }
  if (wanted.export && !held.export) problems.push('export');
  if (wanted.import && !held.import) problems.push('import');
  for (const area of ADMIN_AREAS) if (wanted.admin[area] && !held.admin[area]) problems.push(`admin.${area}`);
  return problems;
}
