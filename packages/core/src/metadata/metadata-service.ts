import { and, eq, inArray, max, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '@rapport/db';
import type { Access } from '../access/access';
import type { AccessResolver } from '../access/access-resolver';
import type { Actor } from '../access/actor';
import { newId } from '../ids';
import { type FieldProblem, parseOrThrow, ProblemError, problems } from '../problems';
import {
  countMissing,
  countRecords,
  disableIndexMirror,
  disableUniqueMirror,
  dropFieldData,
  enableIndexMirror,
  enableUniqueMirror,
  optionsInUse,
  reindexSearchField,
} from '../records/field-maintenance';
import { ObjectStore } from '../records/object-store';
import { fieldDefinition, metadataOverride, objectDefinition } from '../schema/metadata';
import { savedView } from '../schema/views';
import { forgetViewField } from '../views/view-service';
import { fieldTypes } from './field-types';
import { buildFieldDefinition, canBeLabel, canBeUnique, checkObjectRules, checkTitleFields } from './field-validation';
import { fieldInput, fieldPatch, objectInput, objectPatch, RESERVED_OBJECT_NAMES } from './definition-schemas';
import type { MetadataRegistry, OverridePatch, StoredField, StoredObject } from './registry';
import type { FieldDefinition, ObjectDefinition } from './types';
import type { WorkspaceMetadata } from './workspace-metadata';

export const METADATA_CHANNEL = 'rapport_metadata';

/** The metadata API's view of an object: everything but storage internals. */
function presentVisible(access: Access, object: ObjectDefinition) {
  const fields = object.fields.filter((field) => access.canReadField(object, field));
  return presentObject({ ...object, fields, titleFields: object.titleFields.filter((name) => fields.some((field) => field.name === name)) });
}

export function presentObject(object: ObjectDefinition) {
  return {
    key: object.key,
    name: object.name,
    labels: object.labels,
    icon: object.icon,
    labelField: object.labelField,
    titleFields: object.titleFields,
    owner: object.owner,
    custom: object.storage.kind === 'customRecord',
    rules: object.rules,
    fields: object.fields.map(presentField),
  };
}

export function presentField(field: FieldDefinition): Record<string, unknown> {
  const { storage, config, ...rest } = field;
  return {
    ...rest,
    sensitive: Boolean(field.sensitive),
    // What a list may do with the field, so that clients offer only what the API accepts.
    operators: fieldTypes[field.type].operators,
    sortable: fieldTypes[field.type].sortable,
    custom: storage.kind === 'custom' || (storage.kind === 'link' && field.owner === 'workspace'),
    ...(config.options ? { options: config.options } : {}),
    ...(config.max !== undefined ? { max: config.max } : {}),
    ...(config.integer !== undefined ? { integer: config.integer } : {}),
    ...(config.currencies ? { currencies: config.currencies } : {}),
    ...(config.defaultCountry ? { defaultCountry: config.defaultCountry } : {}),
    ...(config.relation
      ? {
          relation: {
            kind: config.relation.kind,
            target: config.relation.target,
            ...(config.relation.reverse ? { reverse: config.relation.reverse } : {}),
            ...(config.relation.inverseOf ? { inverseOf: config.relation.inverseOf } : {}),
            ...(config.relation.attributes ? { attributes: config.relation.attributes.map(presentField) } : {}),
          },
        }
      : {}),
  };
}

function storedField(field: FieldDefinition): StoredField {
  const { key: _key, name: _name, owner: _owner, storage: _storage, ...stored } = field;
  return JSON.parse(JSON.stringify(stored));
}

/**
 * Custom objects and fields, created and changed at run time. Each change runs in one transaction
 * (a failure leaves nothing half-made), never runs DDL, and refreshes every server's cache.
 */
export class MetadataService {
  constructor(
    private readonly database: Database,
    private readonly registry: MetadataRegistry,
    private readonly resolver: AccessResolver,
  ) {}

  private async change<T>(actor: Actor, work: (tx: Executor, metadata: WorkspaceMetadata) => Promise<T>): Promise<T> {
    (await this.resolver.resolve(actor)).assertAdmin('settings');
    try {
      return await this.database.db.transaction(async (tx) => {
        // One metadata change at a time per workspace, so that two concurrent ones cannot both pass their checks.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`metadata:${actor.workspaceId}`}))`);
        const metadata = await this.registry.loadFresh(tx, actor.workspaceId);
        const result = await work(tx, metadata);
        await tx.execute(sql`select pg_notify(${METADATA_CHANNEL}, ${actor.workspaceId})`);
        return result;
      });
    } finally {
      this.registry.invalidate(actor.workspaceId);
    }
  }

  /** The objects the actor may read, without the fields their role hides. */
  async list(actor: Actor) {
    const metadata = await this.registry.forWorkspace(this.database.db, actor.workspaceId);
    const access = await this.resolver.resolve(actor);
    return [...metadata.objects.values()].filter((object) => access.rights(object).read !== 'none').map((object) => presentVisible(access, object));
  }

  async get(actor: Actor, name: string) {
    const metadata = await this.registry.forWorkspace(this.database.db, actor.workspaceId);
    const access = await this.resolver.resolve(actor);
    const object = metadata.object(name);
    if (access.rights(object).read === 'none') throw problems.notFound(`There is no object "${name}" in this workspace`);
    return presentVisible(access, object);
  }

  private async fresh(actor: Actor, name: string) {
    this.registry.invalidate(actor.workspaceId);
    return this.get(actor, name);
  }

  /** Which of these names a workspace already gave to one of its custom objects (a plugin may not declare them). */
  async customObjectNamesTaken(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.database.db.selectDistinct({ name: objectDefinition.name }).from(objectDefinition).where(inArray(objectDefinition.name, names));
    return rows.map((row) => row.name);
  }

  /** Fields (`object.field`) some workspace already added itself, among those a plugin would add. */
  async customFieldNamesTaken(fields: { object: string; name: string }[]): Promise<string[]> {
    if (fields.length === 0) return [];
    const rows = await this.database.db
      .selectDistinct({ object: fieldDefinition.object, name: fieldDefinition.name })
      .from(fieldDefinition)
      .where(or(...fields.map((field) => and(eq(fieldDefinition.object, field.object), eq(fieldDefinition.name, field.name)))));
    return rows.map((row) => `${row.object}.${row.name}`);
  }

  async createObject(actor: Actor, body: unknown) {
    const input = parseOrThrow(objectInput, body);
    await this.change(actor, async (tx, metadata) => {
      if (RESERVED_OBJECT_NAMES.has(input.name)) throw problems.validation([{ field: 'name', code: 'reserved', message: `"${input.name}" is reserved` }]);
      if (metadata.findObject(input.name)) throw problems.conflict(`An object named "${input.name}" already exists`, [{ field: 'name', code: 'taken', message: 'is taken' }]);
      const key = `workspace:${input.name}`;
      const fieldsInput = input.fields.length > 0 ? input.fields : [parseOrThrow(fieldInput, { name: 'name', type: 'text', labels: { en: 'Name', fr: 'Nom' }, required: true })];
      const shell: Pick<ObjectDefinition, 'key' | 'name' | 'fields'> = { key, name: input.name, fields: [] };
      // Every field is checked, so that one answer lists all the problems of the definition.
      const found: FieldProblem[] = [];
      const fields: FieldDefinition[] = [];
      fieldsInput.forEach((field, index) => {
        try {
          const definition = buildFieldDefinition(metadata, shell, field, 'workspace', `fields.${index}`, [input.name]);
          shell.fields.push(definition);
          fields.push(definition);
        } catch (error) {
          if (!(error instanceof ProblemError) || !error.errors) throw error;
          found.push(...error.errors);
        }
      });
      if (found.length > 0) throw problems.validation(found);
      const labelField = input.labelField ?? fields.find((field) => canBeLabel(field.type))?.name;
      const label = fields.find((field) => field.name === labelField);
      if (!label || !canBeLabel(label.type)) {
        throw problems.validation([{ field: 'labelField', code: 'invalid', message: 'must name a text, email, phone, url or number field of the object' }]);
      }
      const titleProblems = checkTitleFields(fields, input.titleFields ?? []);
      if (titleProblems.length > 0) throw problems.validation(titleProblems);
      const rules = checkObjectRules([...fields, ...systemLike()], input.rules);
      const stored: StoredObject = { labels: input.labels, icon: input.icon, labelField: label.name, ...(input.titleFields ? { titleFields: input.titleFields } : {}), rules };
      await tx.insert(objectDefinition).values({ workspaceId: actor.workspaceId, id: newId(), key, name: input.name, owner: 'workspace', definition: stored as never });
      await this.insertFields(tx, actor.workspaceId, input.name, fields, 0);
    });
    return this.fresh(actor, input.name);
  }

  private async insertFields(tx: Executor, workspaceId: string, objectName: string, fields: FieldDefinition[], start: number) {
    if (fields.length === 0) return;
    await tx.insert(fieldDefinition).values(
      fields.map((field, index) => ({
        workspaceId,
        id: newId(),
        object: objectName,
        key: field.key,
        name: field.name,
        owner: field.owner,
        position: start + index,
        definition: storedField(field) as never,
      })),
    );
  }

  async updateObject(actor: Actor, name: string, body: unknown) {
    const patch = parseOrThrow(objectPatch, body);
    await this.change(actor, async (tx, metadata) => {
      const object = metadata.object(name);
      if (patch.labelField) {
        const field = metadata.field(object, patch.labelField);
        if (!field || !canBeLabel(field.type)) throw problems.validation([{ field: 'labelField', code: 'invalid', message: 'must name a text, email, phone, url or number field' }]);
      }
      const titleProblems = checkTitleFields(object.fields, patch.titleFields ?? []);
      if (titleProblems.length > 0) throw problems.validation(titleProblems);
      // A new label field without title fields: the records are named by it alone from then on.
      const titleFields = patch.titleFields ?? (patch.labelField && patch.labelField !== object.labelField ? [patch.labelField] : undefined);
      const rules = patch.rules ? checkObjectRules(object.fields, patch.rules) : undefined;
      if (object.storage.kind === 'customRecord') {
        const [row] = await tx.select().from(objectDefinition).where(and(eq(objectDefinition.workspaceId, actor.workspaceId), eq(objectDefinition.name, name)));
        const stored = row!.definition as unknown as StoredObject;
        const next: StoredObject = {
          labels: patch.labels ?? stored.labels,
          icon: patch.icon ?? stored.icon,
          labelField: patch.labelField ?? stored.labelField,
          ...((titleFields ?? stored.titleFields) ? { titleFields: titleFields ?? stored.titleFields } : {}),
          rules: rules ?? stored.rules,
        };
        await tx.update(objectDefinition).set({ definition: next as never, updatedAt: new Date() }).where(and(eq(objectDefinition.workspaceId, actor.workspaceId), eq(objectDefinition.name, name)));
      } else {
        await this.mergeOverride(tx, actor.workspaceId, object.key, { labels: patch.labels, icon: patch.icon, labelField: patch.labelField, titleFields, rules });
      }
    });
    return this.fresh(actor, name);
  }

  async deleteObject(actor: Actor, name: string) {
    await this.change(actor, async (tx, metadata) => {
      const object = metadata.object(name);
      if (object.storage.kind !== 'customRecord') throw problems.dependency(`${name} is declared by ${object.owner} and cannot be deleted`);
      for (const other of metadata.objects.values()) {
        for (const field of other.fields) {
          if (other.name !== name && field.config.relation?.target === name && !field.config.relation.inverseOf) {
            throw problems.dependency(`${other.name}.${field.name} points at ${name}: delete that field first`);
          }
        }
      }
      const count = await countRecords(tx, actor.workspaceId, object);
      if (count > 0) throw problems.dependency(`${name} still has ${count} record(s), in the trash included: delete them first`);
      for (const field of object.fields) await dropFieldData(tx, actor.workspaceId, object, field);
      await tx.delete(fieldDefinition).where(and(eq(fieldDefinition.workspaceId, actor.workspaceId), eq(fieldDefinition.object, name)));
      await tx.delete(objectDefinition).where(and(eq(objectDefinition.workspaceId, actor.workspaceId), eq(objectDefinition.name, name)));
      // Its saved views go with it: a view of an object that no longer exists is of no use to anyone.
      await tx.delete(savedView).where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.object, name)));
      // Other objects' views forget the other sides of its relations.
      for (const other of metadata.objects.values()) {
        for (const field of other.fields) {
          if (other.name !== name && field.config.relation?.target === name && field.config.relation.inverseOf) await forgetViewField(tx, actor.workspaceId, other.name, field.name);
        }
      }
    });
  }

  async addField(actor: Actor, objectName: string, body: unknown) {
    const input = parseOrThrow(fieldInput, body);
    await this.change(actor, async (tx, metadata) => {
      const object = metadata.object(objectName);
      const keyBase = object.storage.kind === 'customRecord' ? object.key : `workspace:${object.name}`;
      const definition = buildFieldDefinition(metadata, { ...object, key: keyBase }, input, 'workspace', 'field');
      if (definition.required) {
        const missing = await countRecords(tx, actor.workspaceId, object);
        if (missing > 0 && definition.default === undefined) {
          throw problems.conflict(`${objectName} has ${missing} record(s) that would have no ${definition.name}: give the field a default, or add it as optional first`, [
            { field: 'required', code: 'records_missing_value', message: `${missing} existing record(s) have no value` },
          ]);
        }
      }
      const [position] = await tx.select({ value: max(fieldDefinition.position) }).from(fieldDefinition).where(and(eq(fieldDefinition.workspaceId, actor.workspaceId), eq(fieldDefinition.object, objectName)));
      await this.insertFields(tx, actor.workspaceId, objectName, [definition], (position?.value ?? 0) + 1);
      if (definition.required && definition.default !== undefined) {
        // Existing records take the default, so that the new rule holds for them too.
        await this.fillDefault(tx, actor, objectName, definition);
      }
    });
    return this.fresh(actor, objectName);
  }

  private async fillDefault(tx: Executor, actor: Actor, objectName: string, field: FieldDefinition) {
    const metadata = await this.registry.loadFresh(tx, actor.workspaceId);
    const object = metadata.object(objectName);
    const store = new ObjectStore(object);
    await tx.execute(
      sql`update ${store.table} set custom = jsonb_set(custom, ${`{${field.name}}`}::text[], ${JSON.stringify(field.default)}::jsonb) where ${store.scope(actor.workspaceId, { deleted: 'include' })}`,
    );
    await enableIndexMirrorIfNeeded(tx, actor.workspaceId, object, metadata.field(object, field.name)!);
    await reindexSearchField(tx, actor.workspaceId, object, metadata.field(object, field.name)!);
  }

  async updateField(actor: Actor, objectName: string, fieldName: string, body: unknown) {
    const patch = parseOrThrow(fieldPatch, body);
    await this.change(actor, async (tx, metadata) => {
      const object = metadata.object(objectName);
      const field = metadata.field(object, fieldName);
      if (!field) throw problems.notFound(`${objectName} has no field "${fieldName}"`);
      if (field.storage.kind === 'system' || field.storage.kind === 'reverse') throw problems.forbidden(`${fieldName} is computed and cannot be changed`);
      const next: FieldDefinition = { ...field, config: { ...field.config } };
      if (patch.labels) next.labels = patch.labels;
      if (patch.description !== undefined) next.description = patch.description ?? undefined;
      if (patch.searchable !== undefined) next.searchable = patch.searchable;
      if (patch.personalData !== undefined) next.personalData = patch.personalData;
      if (patch.sensitive !== undefined) next.sensitive = patch.sensitive;
      if (patch.rules) next.rules = [...(field.owner === 'workspace' ? [] : field.rules), ...patch.rules];
      if (patch.options) {
        if (field.type !== 'select' && field.type !== 'multiSelect') throw problems.validation([{ field: 'options', code: 'not_applicable', message: 'only select and multiSelect fields have options' }]);
        const dropped = await optionsInUse(tx, actor.workspaceId, object, field, patch.options.map((option) => option.value));
        if (dropped.length > 0) throw problems.conflict(`Options still in use cannot be removed: ${dropped.join(', ')}`, [{ field: 'options', code: 'option_in_use', message: `in use: ${dropped.join(', ')}` }]);
        next.config.options = patch.options;
      }
      if (patch.default !== undefined) {
        const valid = patch.default === null ? { success: true as const, data: undefined } : fieldTypes[field.type].value(next).safeParse(patch.default);
        if (!valid.success) throw problems.validation([{ field: 'default', code: 'invalid_default', message: `is not a valid ${field.type} value` }]);
        next.default = valid.data;
      }
      if (patch.required !== undefined && patch.required !== field.required) {
        if (patch.required) {
          const missing = await countMissing(tx, actor.workspaceId, object, field);
          if (missing > 0) throw problems.conflict(`${missing} ${objectName} record(s) have no ${fieldName}: fill them first`, [{ field: 'required', code: 'records_missing_value', message: `${missing} record(s) have no value` }]);
        } else if (field.owner !== 'workspace') {
          throw problems.forbidden(`${fieldName} is required by ${field.owner}`);
        }
        next.required = patch.required;
      }
      if (patch.unique !== undefined && patch.unique !== field.unique) {
        if (patch.unique && !canBeUnique(field.type)) throw problems.validation([{ field: 'unique', code: 'not_applicable', message: `a ${field.type} field cannot be unique` }]);
        next.unique = patch.unique;
        if (patch.unique) await enableUniqueMirror(tx, actor.workspaceId, object, field);
        else await disableUniqueMirror(tx, actor.workspaceId, object, field);
      }
      if (patch.indexed !== undefined && patch.indexed !== field.indexed) {
        if (field.storage.kind !== 'custom') throw problems.validation([{ field: 'indexed', code: 'not_applicable', message: `${fieldName} is a column with its own index` }]);
        if (patch.indexed && !fieldTypes[field.type].indexColumn) throw problems.validation([{ field: 'indexed', code: 'not_applicable', message: `a ${field.type} field cannot be indexed` }]);
        next.indexed = patch.indexed;
        if (patch.indexed) await enableIndexMirrorIfNeeded(tx, actor.workspaceId, object, next, field);
        else await disableIndexMirror(tx, actor.workspaceId, object, next);
      }
      if (field.owner === 'workspace') {
        await tx
          .update(fieldDefinition)
          .set({ definition: storedField(next) as never, updatedAt: new Date() })
          .where(and(eq(fieldDefinition.workspaceId, actor.workspaceId), eq(fieldDefinition.key, field.key)));
      } else {
        await this.mergeOverride(tx, actor.workspaceId, field.key, {
          labels: patch.labels,
          description: patch.description,
          required: patch.required,
          unique: patch.unique,
          searchable: patch.searchable,
          personalData: patch.personalData,
          sensitive: patch.sensitive,
          default: patch.default,
          rules: patch.rules,
          options: patch.options,
        });
      }
      if (patch.searchable !== undefined && patch.searchable !== field.searchable) await reindexSearchField(tx, actor.workspaceId, object, next);
    });
    return this.fresh(actor, objectName);
  }

  async deleteField(actor: Actor, objectName: string, fieldName: string) {
    await this.change(actor, async (tx, metadata) => {
      const object = metadata.object(objectName);
      const field = metadata.field(object, fieldName);
      if (!field) throw problems.notFound(`${objectName} has no field "${fieldName}"`);
      if (field.owner !== 'workspace' || field.storage.kind === 'system') throw problems.dependency(`${fieldName} is declared by ${field.owner} and cannot be deleted`);
      if (field.storage.kind === 'reverse' || field.config.relation?.inverseOf) throw problems.dependency(`${fieldName} is the other side of ${field.config.relation?.target}.${field.config.relation?.inverseOf}: delete that field instead`);
      if (object.labelField === fieldName) throw problems.dependency(`${fieldName} is the label of ${objectName}: choose another label field first`);
      if (object.titleFields.includes(fieldName)) throw problems.dependency(`${fieldName} names the records of ${objectName}: take it out of its title fields first`);
      for (const rule of object.rules) {
        const names = rule.rule === 'compare' ? [rule.left, rule.right] : [rule.field, rule.when.field];
        if (names.includes(fieldName)) throw problems.dependency(`a rule of ${objectName} uses ${fieldName}: remove the rule first`);
      }
      await dropFieldData(tx, actor.workspaceId, object, field);
      await tx.delete(fieldDefinition).where(and(eq(fieldDefinition.workspaceId, actor.workspaceId), eq(fieldDefinition.key, field.key)));
      // Saved views forget it, and the other side of a relation with it.
      await forgetViewField(tx, actor.workspaceId, objectName, fieldName);
      for (const other of metadata.objects.values()) {
        for (const candidate of other.fields) {
          if (candidate.config.relation?.inverseOf === fieldName && candidate.config.relation.target === objectName) await forgetViewField(tx, actor.workspaceId, other.name, candidate.name);
        }
      }
    });
  }

  private async mergeOverride(tx: Executor, workspaceId: string, entityKey: string, patch: OverridePatch) {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    if (Object.keys(defined).length === 0) return;
    const [existing] = await tx.select().from(metadataOverride).where(and(eq(metadataOverride.workspaceId, workspaceId), eq(metadataOverride.entityKey, entityKey)));
    const merged = { ...(existing?.patch ?? {}), ...defined };
    await tx
      .insert(metadataOverride)
      .values({ workspaceId, entityKey, patch: merged })
      .onConflictDoUpdate({ target: [metadataOverride.workspaceId, metadataOverride.entityKey], set: { patch: merged, updatedAt: new Date() } });
  }
}

async function enableIndexMirrorIfNeeded(tx: Executor, workspaceId: string, object: ObjectDefinition, field: FieldDefinition, previous?: FieldDefinition) {
  if (field.storage.kind !== 'custom') return;
  if (previous && previous.config.relation?.kind === 'manyToOne') return; // already mirrored
  if (field.indexed || field.config.relation?.kind === 'manyToOne') await enableIndexMirror(tx, workspaceId, object, field);
}

/** createdAt and updatedAt, which object rules may compare with (`closeDate >= createdAt`). */
function systemLike(): FieldDefinition[] {
  const base = { required: false, unique: false, indexed: false, searchable: false, personalData: false, sensitive: false, readOnly: true, config: {}, rules: [], owner: 'core' as const, storage: { kind: 'system' as const, property: '' } };
  return [
    { ...base, key: 'createdAt', name: 'createdAt', type: 'datetime', labels: { en: 'Created' } },
    { ...base, key: 'updatedAt', name: 'updatedAt', type: 'datetime', labels: { en: 'Updated' } },
  ];
}
