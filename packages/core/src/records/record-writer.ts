import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import type { Actor } from '../access/actor';
import type { Access, Verb } from '../access/access';
import { writeEvents, type NewEvent } from '../events/outbox-writer';
import { insertRows } from '../bulk-insert';
import { newId } from '../ids';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { type FieldProblem, PROBLEM_BASE, ProblemError, problems } from '../problems';
import { auditEntry, type FieldChange, storeChange } from '../schema/audit';
import { workspaceMember } from '../schema/identity';
import { clearFieldMirrors, type MirroredRecord, writeFieldMirrors } from './field-mirrors';
import { type Link, loadLinks, replaceLinks } from './links';
import { ObjectStore, type StoredRecord } from './object-store';
import { clearSearchEntries, writeSearchEntries } from './search-index';
import { applyDefaults, checkRecord, isWritable, parseInput } from './validation';

export type WriteOperation =
  | { kind: 'create'; input: unknown; id?: string }
  /** `inTrash`: the record may be in the trash (a merge moves what trashed records refer to, for when they come back). */
  | { kind: 'update'; id: string; input: unknown; ifMatch?: number; inTrash?: boolean }
  | { kind: 'delete'; id: string; ifMatch?: number }
  | { kind: 'restore'; id: string };

/** A write about to happen, as guards see it (before anything is written). */
export interface PlannedWrite {
  object: string;
  action: 'create' | 'update' | 'delete' | 'restore';
  id: string;
  /** The record's values before (null on create) and after, with its ownerId. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
  changed: string[];
  actor: Actor;
  workspaceId: string;
}

/**
 * Checks a write in its transaction and may refuse it by throwing a problem: nothing of the batch is
 * written then, and the problem names the write (`records.3.email`). Guards get the write only; they
 * must not query (they run inside the write).
 */
export type WriteGuard = (write: PlannedWrite) => void | Promise<void>;

export interface WriteContext {
  tx: Executor;
  /** Plugins' `before` hooks. */
  guards?: readonly WriteGuard[];
  actor: Actor;
  access: Access;
  metadata: WorkspaceMetadata;
  object: ObjectDefinition;
  /** Names each operation in error details (`records.3`), for batches. */
  prefixOf?: (index: number) => string | undefined;
}

export interface WriteResult {
  record: StoredRecord;
  links: Map<string, Link[]>;
  action: 'created' | 'updated' | 'deleted' | 'restored';
}

const VERB: Record<WriteOperation['kind'], Verb> = { create: 'create', update: 'update', delete: 'delete', restore: 'delete' };
const ACTION = { create: 'created', update: 'updated', delete: 'deleted', restore: 'restored' } as const;

function prefixed(prefix: string | undefined, field: string): string {
  return prefix ? `${prefix}.${field}` : field;
}

/** A guard's refusal of one write of a batch names that write, as validation does (`records.3.email`). */
function refusalOf(error: unknown, prefix: string | undefined): unknown {
  if (!prefix || !(error instanceof ProblemError) || !error.type.startsWith(PROBLEM_BASE)) return error;
  const errors = error.errors?.length ? error.errors.map((item) => ({ ...item, field: prefixed(prefix, item.field) })) : [{ field: prefix, code: 'refused', message: error.detail ?? error.title }];
  return new ProblemError({ status: error.status, slug: error.type.slice(PROBLEM_BASE.length), title: error.title, detail: error.detail, errors, headers: error.headers, extensions: error.extensions });
}

function sameValue(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (left === null || right === null || left === undefined || right === undefined) return false;
  return JSON.stringify(left) === JSON.stringify(right);
}

/** Refuses fields the actor may not see (as unknown, so a hidden field leaks nothing) or not write. */
function checkFieldAccess(ctx: WriteContext, values: Record<string, unknown>, prefix?: string): void {
  const unknown: FieldProblem[] = [];
  for (const name of Object.keys(values)) {
    const field = ctx.metadata.field(ctx.object, name)!;
    if (!ctx.access.canReadField(ctx.object, field)) {
      unknown.push({ field: prefixed(prefix, name), code: 'unknown_field', message: `unknown field "${name}"` });
    } else if (!ctx.access.canWriteField(ctx.object, field)) {
      throw problems.forbidden(`You may not change ${ctx.object.name}.${name}`);
    }
  }
  if (unknown.length > 0) throw problems.validation(unknown);
}

interface Planned {
  index: number;
  operation: WriteOperation;
  before: StoredRecord | null;
  beforeLinks: Map<string, Link[]>;
  after: StoredRecord;
  afterLinks: Map<string, Link[]>;
  changed: Set<string>;
  /** Custom values of the row before the write, kept so that an update rewrites only what changed. */
  previousCustom: Record<string, unknown>;
}

/**
 * The write path every caller uses: permissions, validation, relations, the row itself, its
 * index and unique mirrors, search entries, links, an audit entry and an event, all in the
 * caller's transaction. Anything refused throws before commit, so nothing is half-written.
 */
export async function applyWrites(ctx: WriteContext, operations: WriteOperation[]): Promise<WriteResult[]> {
  const { tx, actor, access, metadata, object } = ctx;
  const workspaceId = metadata.workspaceId;
  const store = new ObjectStore(object);
  const prefixOf = ctx.prefixOf ?? (() => undefined);
  for (const verb of new Set(operations.map((operation) => VERB[operation.kind]))) {
    access.assertObject(object, verb);
  }
  const linkFields = object.fields.filter((field) => field.storage.kind === 'link' && !field.config.relation?.inverseOf);

  // Existing rows, locked for the rest of the transaction.
  const existingIds = operations.filter((operation) => operation.kind !== 'create').map((operation) => (operation as { id: string }).id);
  const existing = new Map<string, { record: StoredRecord; custom: Record<string, unknown> }>();
  if (existingIds.length > 0) {
    const columns = { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` };
    for (let index = 0; index < existingIds.length; index += 1000) {
      const part = existingIds.slice(index, index + 1000);
      const conditions = [store.scope(workspaceId, { deleted: 'include' }), inArray(store.idColumn, part)];
      for (const verb of new Set(operations.filter((operation) => operation.kind !== 'create').map((operation) => VERB[operation.kind]))) {
        const visible = access.recordFilter(object, verb, columns);
        if (visible) conditions.push(visible);
      }
      const rows = await tx
        .select()
        .from(store.table)
        .where(and(...conditions))
        .for('update');
      for (const row of rows as Record<string, unknown>[]) {
        existing.set(row.id as string, { record: store.fromRow(row), custom: store.customOf(row) });
      }
    }
  }
  const existingLinks = await loadLinks(tx, metadata, object, linkFields, [...existing.keys()]);

  const now = new Date();
  const planned: Planned[] = [];
  const seenIds = new Set<string>();
  operations.forEach((operation, index) => {
    const prefix = prefixOf(index);
    if (operation.kind === 'create') {
      const values = parseInput(metadata, object, operation.input, prefix, actor, (field) => access.canReadField(object, field));
      checkFieldAccess(ctx, values, prefix);
      const complete = applyDefaults(object, values);
      for (const field of object.fields) {
        if (isWritable(field) && field.storage.kind !== 'system' && complete[field.name] === undefined) complete[field.name] = null;
      }
      const ownerId = (complete.ownerId as string | null | undefined) ?? actor.userId ?? null;
      delete complete.ownerId;
      const id = operation.id ?? newId();
      if (seenIds.has(id)) throw problems.validation([{ field: prefixed(prefix, 'id'), code: 'duplicate', message: 'appears twice in the batch' }]);
      seenIds.add(id);
      const linkValues = new Map<string, Link[]>();
      for (const field of linkFields) {
        linkValues.set(field.name, (complete[field.name] as Link[] | null) ?? []);
        delete complete[field.name];
      }
      checkRecord(object, { ...complete, ...Object.fromEntries(linkValues), createdAt: now.toISOString(), updatedAt: now.toISOString() }, 'all', prefix);
      planned.push({
        index,
        operation,
        before: null,
        beforeLinks: new Map(),
        after: { id, ownerId, createdAt: now, updatedAt: now, deletedAt: null, version: 1, values: complete },
        afterLinks: linkValues,
        changed: new Set([...Object.keys(complete), ...linkValues.keys()]),
        previousCustom: {},
      });
      return;
    }
    const found = existing.get(operation.id);
    const trashedAllowed = operation.kind === 'restore' || (operation.kind === 'update' && operation.inTrash === true);
    const gone = !found || (!trashedAllowed && found.record.deletedAt !== null);
    if (gone) throw problems.notFound(`${object.name} ${operation.id} does not exist${prefix ? ` (${prefix})` : ''}`);
    if (seenIds.has(operation.id)) throw problems.validation([{ field: prefixed(prefix, 'id'), code: 'duplicate', message: 'appears twice in the batch' }]);
    seenIds.add(operation.id);
    const before = found.record;
    if ('ifMatch' in operation && operation.ifMatch !== undefined && operation.ifMatch !== before.version) {
      throw problems.preconditionFailed(`${object.name} ${before.id} is at version ${before.version}, not ${operation.ifMatch}: reload it and try again`);
    }
    const beforeLinks = existingLinks.get(before.id) ?? new Map<string, Link[]>();
    const after: StoredRecord = { ...before, values: { ...before.values }, updatedAt: now, version: before.version + 1 };
    const afterLinks = new Map(beforeLinks);
    const changed = new Set<string>();
    if (operation.kind === 'update') {
      const values = parseInput(metadata, object, operation.input, prefix, actor, (field) => access.canReadField(object, field));
      checkFieldAccess(ctx, values, prefix);
      if ('ownerId' in values) {
        if (values.ownerId === null) throw problems.validation([{ field: prefixed(prefix, 'ownerId'), code: 'required', message: 'a record keeps an owner' }]);
        if (values.ownerId !== before.ownerId) {
          after.ownerId = values.ownerId as string;
          changed.add('ownerId');
        }
        delete values.ownerId;
      }
      for (const [name, value] of Object.entries(values)) {
        const field = metadata.field(object, name)!;
        if (field.storage.kind === 'link') {
          const links = (value as Link[] | null) ?? [];
          if (!sameValue(beforeLinks.get(name) ?? [], links)) changed.add(name);
          afterLinks.set(name, links);
        } else {
          if (!sameValue(before.values[name], value)) changed.add(name);
          after.values[name] = value;
        }
      }
      checkRecord(
        object,
        { ...after.values, ...Object.fromEntries(afterLinks), createdAt: before.createdAt.toISOString(), updatedAt: now.toISOString() },
        new Set(Object.keys(values)),
        prefix,
      );
    } else if (operation.kind === 'delete') {
      after.deletedAt = now;
    } else {
      if (before.deletedAt === null) {
        planned.push({ index, operation, before, beforeLinks, after: before, afterLinks: beforeLinks, changed, previousCustom: found.custom });
        return;
      }
      after.deletedAt = null;
      for (const field of object.fields) changed.add(field.name);
    }
    planned.push({ index, operation, before, beforeLinks, after, afterLinks, changed, previousCustom: found.custom });
  });

  await checkReferences(ctx, planned);
  if (ctx.guards && ctx.guards.length > 0) {
    for (const plan of planned) {
      const write: PlannedWrite = {
      object: object.name,
      action: plan.operation.kind,
      id: plan.after.id,
      before: plan.before ? { ...plan.before.values, ownerId: plan.before.ownerId } : null,
      after: { ...plan.after.values, ownerId: plan.after.ownerId, ...Object.fromEntries(plan.afterLinks) },
      changed: [...plan.changed],
      actor,
      workspaceId,
      };
      for (const guard of ctx.guards) {
        try {
          await guard(write);
        } catch (error) {
          throw refusalOf(error, prefixOf(plan.index));
        }
      }
    }
  }

  // The rows themselves.
  const creates = planned.filter((plan) => plan.operation.kind === 'create');
  await insertRows(
    tx,
    store.table,
    creates.map((plan) => ({
      custom: {},
      ...store.toColumns(plan.after.values),
      workspaceId,
      id: plan.after.id,
      ownerId: plan.after.ownerId,
      createdAt: now,
      updatedAt: now,
      version: 1,
      ...(store.isCustomRecord ? { object: object.name } : {}),
    })) as never,
  );
  for (const plan of planned) {
    if (plan.operation.kind === 'create' || !plan.before) continue;
    if (plan.after === plan.before) continue; // restoring a live record: nothing to do
    const changedValues = Object.fromEntries([...plan.changed].filter((name) => name in plan.after.values).map((name) => [name, plan.after.values[name]]));
    const set: Record<string, unknown> = {
      ...store.toColumns(changedValues, plan.previousCustom),
      updatedAt: now,
      version: plan.after.version,
      deletedAt: plan.after.deletedAt,
      ownerId: plan.after.ownerId,
    };
    await tx
      .update(store.table)
      .set(set as never)
      .where(and(store.scope(workspaceId, { deleted: 'include' }), eq(store.idColumn, plan.before.id), eq(store.column('version'), plan.before.version)));
  }

  // Links of many-to-many fields.
  for (const plan of planned) {
    if (plan.operation.kind !== 'create' && plan.operation.kind !== 'update') continue;
    for (const field of linkFields) {
      if (plan.changed.has(field.name)) await replaceLinks(tx, workspaceId, field, plan.after.id, plan.afterLinks.get(field.name) ?? []);
    }
  }

  // Mirrors and search entries.
  const live = planned.filter((plan) => plan.after.deletedAt === null && plan.changed.size > 0);
  const mirrored: MirroredRecord[] = live.map((plan) => ({ id: plan.after.id, values: plan.after.values, changed: plan.changed, isNew: plan.operation.kind === 'create' }));
  await writeFieldMirrors(tx, workspaceId, object, mirrored, (recordIndex) => prefixOf(live[recordIndex]!.index));
  await writeSearchEntries(tx, workspaceId, object, mirrored);
  const deleted = planned.filter((plan) => plan.operation.kind === 'delete').map((plan) => plan.after.id);
  if (deleted.length > 0) {
    await clearFieldMirrors(tx, workspaceId, object, deleted);
    await clearSearchEntries(tx, workspaceId, object, deleted);
  }

  // Audit and events.
  const audits: (typeof auditEntry.$inferInsert)[] = [];
  const events: NewEvent[] = [];
  for (const plan of planned) {
    if (plan.after === plan.before) continue;
    const changes: FieldChange[] = [];
    if (plan.operation.kind === 'create' || plan.operation.kind === 'update') {
      for (const name of plan.changed) {
        const field = metadata.field(object, name);
        if (name === 'ownerId') changes.push({ field: name, old: plan.before?.ownerId ?? null, new: plan.after.ownerId });
        else if (field?.storage.kind === 'link') changes.push({ field: name, old: plan.beforeLinks.get(name) ?? [], new: plan.afterLinks.get(name) ?? [] });
        else if (plan.operation.kind === 'update' || plan.after.values[name] !== null) {
          changes.push({ field: name, old: plan.before?.values[name] ?? null, new: plan.after.values[name] ?? null });
        }
      }
      if (plan.operation.kind === 'update' && changes.length === 0) continue;
    }
    const action = ACTION[plan.operation.kind];
    audits.push({
      workspaceId,
      id: newId(),
      object: object.name,
      recordId: plan.after.id,
      action,
      actorKind: actor.kind,
      actorId: actor.id,
      at: now,
      changes: changes.map(storeChange),
    });
    events.push({
      workspaceId,
      type: `record.${action}`,
      object: object.name,
      recordId: plan.after.id,
      // The changed fields and their values, old and new: a subscriber knows what happened without reading the record again (which may have changed since).
      payload: { object: object.name, id: plan.after.id, actor: { kind: actor.kind, id: actor.id }, changes: changes.map((change) => change.field), values: Object.fromEntries(changes.map((change) => [change.field, { old: change.old, new: change.new }])) },
    });
  }
  await insertRows(tx, auditEntry, audits);
  await writeEvents(tx, events);

  return planned.map((plan) => ({ record: plan.after, links: plan.afterLinks, action: ACTION[plan.operation.kind] }));
}

/**
 * Relations must point at live records of the right object in this workspace that the actor may
 * see (a record they cannot see is, to them, a record that does not exist); owners at its active
 * members, and only at those whose records the actor may update.
 */
async function checkReferences(ctx: WriteContext, planned: Planned[]): Promise<void> {
  const { tx, metadata, object, access } = ctx;
  const prefixOf = ctx.prefixOf ?? (() => undefined);
  const wanted = new Map<string, Map<string, { plan: Planned; field: string }>>();
  const want = (target: string, id: string, plan: Planned, field: string) => {
    const perTarget = wanted.get(target) ?? new Map();
    wanted.set(target, perTarget);
    if (!perTarget.has(id)) perTarget.set(id, { plan, field });
  };
  const owners = new Map<string, Planned>();
  for (const plan of planned) {
    if (plan.operation.kind !== 'create' && plan.operation.kind !== 'update') continue;
    for (const name of plan.changed) {
      if (name === 'ownerId') continue;
      const field: FieldDefinition | undefined = metadata.field(object, name);
      const relation = field?.config.relation;
      if (!field || !relation) continue;
      if (relation.kind === 'manyToOne') {
        const value = plan.after.values[name];
        if (typeof value === 'string') want(relation.target, value, plan, name);
      } else if (relation.kind === 'manyToMany') {
        (plan.afterLinks.get(name) ?? []).forEach((link, position) => want(relation.target, link.id, plan, `${name}.${position}`));
      }
    }
    if (plan.after.ownerId && (plan.operation.kind === 'create' || plan.changed.has('ownerId'))) owners.set(plan.after.ownerId, plan);
  }
  for (const [targetName, ids] of wanted) {
    const targetObject = metadata.object(targetName);
    const target = new ObjectStore(targetObject);
    const found = new Set<string>();
    const visible = access.rights(targetObject).read === 'none' ? sql`false` : access.recordFilter(targetObject, 'read', { id: sql`${target.idColumn}`, ownerId: sql`${target.column('ownerId')}` });
    const list = [...ids.keys()];
    for (let index = 0; index < list.length; index += 1000) {
      const rows = await tx
        .select({ id: target.idColumn })
        .from(target.table)
        .where(and(target.scope(metadata.workspaceId), inArray(target.idColumn, list.slice(index, index + 1000)), visible));
      for (const row of rows) found.add(row.id as string);
    }
    const missing = list.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw problems.validation(
        missing.slice(0, 20).map((id) => {
          const { plan, field } = ids.get(id)!;
          return { field: prefixed(prefixOf(plan.index), field), code: 'relation_not_found', message: `no ${targetName} with id ${id}` };
        }),
      );
    }
  }
  if (owners.size > 0) {
    const members = await tx
      .select({ userId: workspaceMember.userId })
      .from(workspaceMember)
      .where(and(eq(workspaceMember.workspaceId, metadata.workspaceId), inArray(workspaceMember.userId, [...owners.keys()]), isNull(workspaceMember.deactivatedAt)));
    const known = new Set(members.map((member) => member.userId));
    for (const [ownerId, plan] of owners) {
      if (!known.has(ownerId)) {
        throw problems.validation([{ field: prefixed(prefixOf(plan.index), 'ownerId'), code: 'relation_not_found', message: `no active member of this workspace with id ${ownerId}` }]);
      }
      if (!access.canAssignOwner(object, ownerId)) {
        throw problems.forbidden(`You may not give ${object.name} records to user ${ownerId}: only to yourself${access.rights(object).update === 'none' ? '' : ' or the people whose records you manage'}`);
      }
    }
  }
}
