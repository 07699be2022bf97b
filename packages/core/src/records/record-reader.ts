import { and, eq, getTableColumns, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import type { Actor } from '../access/actor';
import type { Access, Verb } from '../access/access';
import { writeAudit } from '../access/access-audit';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { problems } from '../problems';
import { compileFilter, type FilterContext, type FilterNode, findDrivingCondition, parseFilter } from './filter';
import { fieldValueIndex } from '../schema/field-index';
import { type Link, loadLinks } from './links';
import { ObjectStore, type StoredRecord } from './object-store';
import { afterCursor, decodeCursor, encodeCursor, orderBy, parseSort } from './sort';

/** A record as the API shows it: `{ id, createdAt, updatedAt, ownerId, ...fields }`. */
export type ApiRecord = { id: string; createdAt: string; updatedAt: string; ownerId: string | null } & Record<string, unknown>;

export interface ReadOptions {
  fields?: string[];
  expand?: string[];
}

export interface ListOptions extends ReadOptions {
  filter?: unknown;
  sort?: string;
  limit?: number;
  cursor?: string;
  /** `only` lists the trash (soft-deleted records). */
  deleted?: 'exclude' | 'only';
}

export interface Page {
  data: ApiRecord[];
  pageInfo: { nextCursor: string | null; hasMore: boolean };
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
const REVERSE_LIMIT = 100;

export interface ReadContext {
  executor: Executor;
  actor: Actor;
  access: Access;
  metadata: WorkspaceMetadata;
}

function filterContext(ctx: ReadContext, store: ObjectStore): FilterContext {
  return { actor: ctx.actor, access: ctx.access, metadata: ctx.metadata, store, idColumn: sql`${store.idColumn}` };
}

function visibility(ctx: ReadContext, store: ObjectStore, verb: Verb = 'read'): SQL | undefined {
  return ctx.access.recordFilter(store.object, verb, { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` });
}

/**
 * Not a field: asked for in `fields=`, each record comes with the version its ETag quotes, so that a
 * write from a list (a card dragged on a board) can send `If-Match` and be refused if it changed since.
 */
const VERSION = 'version';

/** The fields shown: readable ones, narrowed by `fields=`; unknown or hidden names are refused. */
function shownFields(ctx: ReadContext, object: ObjectDefinition, options: ReadOptions): FieldDefinition[] {
  const readable = object.fields.filter((field) => ctx.access.canReadField(object, field));
  const expand = new Set(options.expand ?? []);
  for (const name of expand) {
    const field = readable.find((candidate) => candidate.name === name);
    if (!field || !field.config.relation) {
      throw problems.badRequest(`Cannot expand "${name}": it is not a relation of ${object.name}`, [
        { field: 'expand', code: 'not_a_relation', message: `"${name}" is not a relation of ${object.name}` },
      ]);
    }
  }
  if (!options.fields || options.fields.length === 0) {
    return readable.filter((field) => field.storage.kind !== 'reverse' || expand.has(field.name));
  }
  const wanted = new Set(options.fields.filter((name) => name !== VERSION));
  for (const name of wanted) {
    if (!readable.some((field) => field.name === name)) {
      throw problems.badRequest(`Unknown field "${name}" in "fields"`, [{ field: 'fields', code: 'unknown_field', message: `no field "${name}" on ${object.name}` }]);
    }
  }
  return readable.filter((field) => field.name === 'id' || wanted.has(field.name) || expand.has(field.name));
}

function present(record: StoredRecord, fields: FieldDefinition[], links: Map<string, Link[]> | undefined): ApiRecord {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field.storage.kind) {
      case 'system':
        out[field.name] =
          field.name === 'id' ? record.id : field.name === 'ownerId' ? record.ownerId : (record[field.name as 'createdAt' | 'updatedAt'] as Date).toISOString();
        break;
      case 'link':
        out[field.name] = links?.get(field.name) ?? [];
        break;
      case 'reverse':
        out[field.name] = [];
        break;
      default:
        out[field.name] = record.values[field.name] ?? null;
    }
  }
  if (record.deletedAt) out.deletedAt = record.deletedAt.toISOString();
  return out as ApiRecord;
}

/** Reads records of one object through the same permission checks for every caller. */
export async function presentRecords(
  ctx: ReadContext,
  object: ObjectDefinition,
  records: StoredRecord[],
  options: ReadOptions,
  knownLinks?: Map<string, Map<string, Link[]>>,
): Promise<ApiRecord[]> {
  const fields = shownFields(ctx, object, options);
  const linkFields = fields.filter((field) => field.storage.kind === 'link');
  const links = knownLinks ?? (await loadLinks(ctx.executor, ctx.metadata, object, linkFields, records.map((record) => record.id)));
  const out = records.map((record) => present(record, fields, links.get(record.id)));
  if (options.fields?.includes(VERSION)) out.forEach((shown, index) => (shown.version = records[index]!.version));
  await auditSensitiveReads(ctx, object, fields, out);
  for (const name of options.expand ?? []) await expand(ctx, object, ctx.metadata.field(object, name)!, out);
  return out;
}

/** Fields marked sensitive are audited when shown: who saw which of them, on which records. */
async function auditSensitiveReads(ctx: ReadContext, object: ObjectDefinition, fields: FieldDefinition[], shown: ApiRecord[]): Promise<void> {
  const sensitive = fields.filter((field) => field.sensitive).map((field) => field.name);
  if (sensitive.length === 0 || shown.length === 0) return;
  await writeAudit(ctx.executor, {
    workspaceId: ctx.metadata.workspaceId,
    action: 'field.sensitiveRead',
    actor: ctx.actor,
    target: object.name,
    detail: { fields: sensitive, count: shown.length, records: shown.slice(0, 100).map((record) => record.id) },
  });
}

/** Loads visible records of `target` by id, shown without further expansion. */
async function fetchTargets(ctx: ReadContext, targetName: string, ids: string[]): Promise<Map<string, ApiRecord>> {
  const result = new Map<string, ApiRecord>();
  if (ids.length === 0) return result;
  const target = ctx.metadata.object(targetName);
  try {
    await ctx.access.assertObject(target, 'read');
  } catch {
    return result;
  }
  const store = new ObjectStore(target);
  const rows = await store.selectRows(
    ctx.executor,
    ctx.executor
      .select()
      .from(store.table)
      .where(and(store.scope(ctx.metadata.workspaceId), inArray(store.idColumn, [...new Set(ids)]), visibility(ctx, store))),
  );
  const fields = shownFields(ctx, target, {}).filter((field) => field.storage.kind !== 'link');
  for (const row of rows) {
    const record = store.fromRow(row);
    result.set(record.id, present(record, fields, undefined));
  }
  await auditSensitiveReads(ctx, target, fields, [...result.values()]);
  return result;
}

/** One query per expanded relation, whatever the page size (never one per record). */
async function expand(ctx: ReadContext, object: ObjectDefinition, field: FieldDefinition, records: ApiRecord[]): Promise<void> {
  const relation = field.config.relation!;
  if (relation.kind === 'manyToOne') {
    const ids = records.map((record) => record[field.name]).filter((id): id is string => typeof id === 'string');
    const targets = await fetchTargets(ctx, relation.target, ids);
    for (const record of records) {
      const id = record[field.name];
      if (typeof id === 'string' && targets.has(id)) record[field.name] = targets.get(id);
    }
    return;
  }
  if (relation.kind === 'manyToMany') {
    const ids = records.flatMap((record) => ((record[field.name] as Link[]) ?? []).map((link) => link.id));
    const targets = await fetchTargets(ctx, relation.target, ids);
    for (const record of records) {
      record[field.name] = ((record[field.name] as Link[]) ?? []).map((link) => ({ ...link, record: targets.get(link.id) ?? null }));
    }
    return;
  }
  // oneToMany: the records of `target` whose relation field points at these records.
  const source = ctx.metadata.object(relation.target);
  try {
    await ctx.access.assertObject(source, 'read');
  } catch {
    return;
  }
  const store = new ObjectStore(source);
  const pointerField = ctx.metadata.field(source, relation.inverseOf!)!;
  const pointer = store.expression(pointerField).sql;
  const ids = records.map((record) => record.id);
  if (ids.length === 0) return;
  const ranked = ctx.executor
    .select({
      ...getTableColumns(store.table),
      __parent: sql<string>`(${pointer})::text`.as('__parent'),
      __rank: sql<number>`row_number() over (partition by ${pointer} order by ${store.idColumn} desc)`.as('__rank'),
    })
    .from(store.table)
    .where(and(store.scope(ctx.metadata.workspaceId), sql`${pointer} in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`, visibility(ctx, store)))
    .as('ranked');
  const rows = (await ctx.executor.select().from(ranked).where(sql`${sql.identifier('ranked')}.${sql.identifier('__rank')} <= ${REVERSE_LIMIT}`)) as Record<string, unknown>[];
  const fields = shownFields(ctx, source, {}).filter((candidate) => candidate.storage.kind !== 'link');
  const grouped = new Map<string, ApiRecord[]>();
  for (const row of rows) {
    const list = grouped.get(row.__parent as string) ?? [];
    grouped.set(row.__parent as string, list);
    list.push(present(store.fromRow(row), fields, undefined));
  }
  await auditSensitiveReads(ctx, source, fields, [...grouped.values()].flat());
  for (const record of records) record[field.name] = grouped.get(record.id) ?? [];
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw problems.badRequest(`"limit" must be a whole number from 1 to ${MAX_LIMIT}`, [
      { field: 'limit', code: 'out_of_range', message: `must be from 1 to ${MAX_LIMIT}` },
    ]);
  }
  return limit;
}

/** The SQL of a list page, kept apart so that tests can EXPLAIN exactly what the API runs. */
export function buildListQuery(ctx: ReadContext, object: ObjectDefinition, options: ListOptions) {
  const store = new ObjectStore(object);
  const filterCtx = filterContext(ctx, store);
  const limit = clampLimit(options.limit);
  const keys = parseSort(filterCtx, options.sort);
  const conditions: (SQL | undefined)[] = [store.scope(ctx.metadata.workspaceId, { deleted: options.deleted ?? 'exclude' }), visibility(ctx, store)];
  const node: FilterNode | undefined = options.filter !== undefined && options.filter !== null && options.filter !== '' ? parseFilter(options.filter) : undefined;
  const driver = node && keys.length === 0 ? findDrivingCondition(filterCtx, node) : null;
  const filter = driver ? driver.rest : node;
  if (filter) conditions.push(compileFilter(filterCtx, filter));
  // The order's tie-breaker: the record id, or the mirror's copy of it when the mirror drives.
  const orderId = driver ? sql`${fieldValueIndex.recordId}` : sql`${store.idColumn}`;
  if (options.cursor) conditions.push(afterCursor(keys, decodeCursor(keys, options.cursor), orderId));
  const sortColumns = keys.map((key, index) => sql`, (${key.expression})::text as ${sql.identifier(`__s${index}`)}`);
  const from = driver
    ? sql`${fieldValueIndex} inner join ${store.table} on ${and(eq(store.column('workspaceId'), fieldValueIndex.workspaceId), eq(store.idColumn, fieldValueIndex.recordId))}`
    : sql`${store.table}`;
  // Written as SQL rather than through drizzle's select builder, which rebuilt the list of the table's
  // columns chunk by chunk at every request (a quarter of what a list allocated); read by selectRows.
  const query = sql`select ${store.columnList}${sql.join(sortColumns)} from ${from} where ${and(...(driver ? [driver.mirror] : []), ...conditions)} order by ${orderBy(keys, orderId)} limit ${limit + 1}`;
  return { query, store, keys, limit };
}

export async function listRecords(ctx: ReadContext, object: ObjectDefinition, options: ListOptions): Promise<Page> {
  await ctx.access.assertObject(object, 'read');
  const { query, store, keys, limit } = buildListQuery(ctx, object, options);
  shownFields(ctx, object, options); // refuse bad `fields`/`expand` before running anything
  const rows = await store.selectRows(ctx.executor, query);
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const records = page.map((row) => store.fromRow(row));
  const last = page.at(-1);
  const nextCursor = hasMore && last ? encodeCursor(keys, keys.map((_, index) => last[`__s${index}`] ?? null), last.id as string) : null;
  return { data: await presentRecords(ctx, object, records, options), pageInfo: { nextCursor, hasMore } };
}

/** One record the actor may see (for `verb`), or a 404 that does not tell whether it exists. */
export async function loadRecord(
  ctx: ReadContext,
  object: ObjectDefinition,
  id: string,
  options: { deleted?: 'exclude' | 'include' } = {},
): Promise<StoredRecord> {
  await ctx.access.assertObject(object, 'read');
  const store = new ObjectStore(object);
  const rows = await store.selectRows(
    ctx.executor,
    ctx.executor
      .select()
      .from(store.table)
      .where(and(store.scope(ctx.metadata.workspaceId, { deleted: options.deleted ?? 'exclude' }), sql`${store.idColumn} = ${id}::uuid`, visibility(ctx, store))),
  );
  if (rows.length === 0) throw problems.notFound(`${object.name} ${id} does not exist`);
  return store.fromRow(rows[0]!);
}
