import type { Database, Executor } from '@rapport/db';
import type { Actor } from '../access/actor';
import type { Access } from '../access/access';
import type { Scope } from '../access/role-definition';
import type { AccessResolver } from '../access/access-resolver';
import type { MetadataRegistry } from '../metadata/registry';
import type { ObjectDefinition } from '../metadata/types';
import { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { problems } from '../problems';
import { writeAudit } from '../access/access-audit';
import { parseFilter } from './filter';
import { type ApiRecord, buildListQuery, listRecords, loadRecord, type ListOptions, type Page, presentRecords, type ReadContext, type ReadOptions } from './record-reader';
import { applyWrites, type WriteGuard, type WriteOperation, type WriteResult } from './record-writer';
import { buildSearchQueries, searchRecords } from './search';
import { readTimeline, type TimelineSource } from './timeline';
import { ObjectStore } from './object-store';
import { purgeDeclaredFieldData, purgeObjectData } from './object-purge';
import { profileRecords, type ProfileOptions, type RecordProfile } from './record-profile';
import { listMerges, type MergeContext, mergeRecords, undoMerge } from './record-merge';
import { systemActor } from '../access/actor';
import { and, inArray, type SQL, sql } from 'drizzle-orm';
import { auditEntry } from '../schema/audit';
import { searchEntry } from '../schema/search';
import { isSearchIndexed } from './search-index';
import { TableStatistics } from './table-statistics';

export interface RecordResult {
  record: ApiRecord;
  version: number;
}

export interface CallOptions {
  /** Runs inside this transaction instead of opening one (to compose with other writes). */
  tx?: Executor;
}

export type BatchOperation = 'create' | 'update' | 'upsert';

export interface BatchInput {
  operation: BatchOperation;
  records: unknown[];
  /** For upsert: the field identifying an existing record when no `id` is given. */
  matchOn?: string;
}

export const MAX_BATCH = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertId(object: string, id: string): void {
  if (!UUID.test(id)) throw problems.notFound(`${object} ${id} does not exist`);
}

/**
 * The data-access layer: the only way to read or write records. Every method takes the acting
 * identity, consults the access policy, and (for writes) validates, audits and emits events.
 */
export interface ExportOptions {
  filter?: unknown;
  sort?: string;
  fields?: string[];
  expand?: string[];
  /** Only these records (the selected ones), within the filter. */
  ids?: string[];
}

export class RecordService {
  private readonly guards = new Set<WriteGuard>();
  private readonly timelineSources = new Set<TimelineSource>();
  /** The planner's statistics of the tables writes grow (see TableStatistics). */
  readonly statistics: TableStatistics;

  constructor(
    private readonly database: Database,
    private readonly registry: MetadataRegistry,
    private readonly resolver: AccessResolver,
  ) {
    this.statistics = new TableStatistics(database);
  }

  /** Registers a check every write goes through (a plugin's `before` hook); returns its removal. */
  addWriteGuard(guard: WriteGuard): () => void {
    this.guards.add(guard);
    return () => void this.guards.delete(guard);
  }

  metadata(actor: Actor, executor: Executor = this.database.db): Promise<WorkspaceMetadata> {
    return this.registry.forWorkspace(executor, actor.workspaceId);
  }

  /** Runs `work` in one transaction (or in the one given). */
  async transaction<T>(work: (tx: Executor) => Promise<T>, options: CallOptions = {}): Promise<T> {
    if (options.tx) return work(options.tx);
    let transaction: Executor | undefined;
    const result = await this.database.db.transaction((tx) => work((transaction = tx)));
    this.statistics.committed(transaction!);
    return result;
  }

  /** Counts the rows a write added or changed, for the statistics of their tables. */
  private grew(tx: Executor, object: ObjectDefinition, results: WriteResult[]): void {
    this.statistics.note(tx, new ObjectStore(object).table, results.length);
    this.statistics.note(tx, auditEntry, results.length, true);
    this.statistics.note(tx, searchEntry, results.filter((result) => result.action === 'created').length * object.fields.filter(isSearchIndexed).length, true);
  }

  /**
   * The metadata as this actor may know it: objects they cannot read and fields hidden from them
   * are left out (the OpenAPI document of a caller is built from this).
   */
  async visibleMetadata(actor: Actor): Promise<WorkspaceMetadata> {
    const [metadata, access] = await Promise.all([this.metadata(actor), this.access(actor)]);
    const readable = [...metadata.objects.values()].filter((object) => access.rights(object).read !== 'none');
    const names = new Set(readable.map((object) => object.name));
    return new WorkspaceMetadata(
      metadata.workspaceId,
      readable.map((object) => {
        const fields = object.fields.filter((field) => access.canReadField(object, field) && (!field.config.relation || names.has(field.config.relation.target)));
        return { ...object, fields, titleFields: object.titleFields.filter((name) => fields.some((field) => field.name === name)) };
      }),
    );
  }

  /**
   * Deletes the records of objects a purged plugin declared, and everything pointing at them, in
   * every workspace (admins of plugins only).
   */
  async purgeDeclaredObjects(access: Access, objectNames: string[], options: CallOptions = {}): Promise<number> {
    access.assertAdmin('plugins');
    return this.transaction(async (tx) => {
      let purged = 0;
      for (const name of objectNames) purged += await purgeObjectData(tx, name);
      return purged;
    }, options);
  }

  /** Deletes the values of the fields a purged plugin added to other objects, in every workspace (admins of plugins only). */
  async purgeDeclaredFields(access: Access, fields: readonly { object: string; field: { name: string } }[], options: CallOptions = {}): Promise<void> {
    access.assertAdmin('plugins');
    await this.transaction((tx) => purgeDeclaredFieldData(tx, this.registry.declaredOnly(), fields), options);
  }

  /** The actor's rights, as every method here applies them. */
  access(actor: Actor, executor: Executor = this.database.db): Promise<Access> {
    return this.resolver.resolve(actor, executor);
  }

  private async readContext(actor: Actor, executor: Executor = this.database.db): Promise<ReadContext> {
    return { executor, actor, access: await this.access(actor, executor), metadata: await this.metadata(actor, executor) };
  }

  async list(actor: Actor, objectName: string, options: ListOptions = {}, call: CallOptions = {}): Promise<Page> {
    const ctx = await this.readContext(actor, call.tx);
    return listRecords(ctx, ctx.metadata.object(objectName), options);
  }

  /**
   * Every record of a list (its filter and sort, and only those `ids` when given), page by page, for an
   * export: needs the role's export right, and is recorded in the access audit before the first page.
   * The list's own rules apply to each page (records the actor may reach, readable fields only).
   */
  async *export(actor: Actor, objectName: string, options: ExportOptions = {}): AsyncGenerator<ApiRecord[]> {
    const ctx = await this.readContext(actor);
    const object = ctx.metadata.object(objectName);
    ctx.access.assertObject(object, 'read');
    ctx.access.assertRight('export');
    const ids = options.ids?.filter((id) => UUID.test(id));
    if (options.ids && (ids!.length !== options.ids.length || ids!.length > 10_000)) throw problems.badRequest('"ids" must be at most 10,000 record ids', [{ field: 'ids', code: 'invalid', message: 'must be at most 10000 record ids (UUIDs)' }]);
    const byId = ids ? { field: 'id', op: 'in', value: ids } : undefined;
    const filter = options.filter === undefined || options.filter === null ? byId : byId ? { and: [parseFilter(options.filter), byId] } : options.filter;
    const list = { filter, sort: options.sort, fields: options.fields, expand: options.expand, limit: 500 };
    // The first page checks the query (fields, filter, sort) before anything is recorded or sent.
    let page = await listRecords(ctx, object, list);
    await writeAudit(this.database.db, { workspaceId: actor.workspaceId, action: 'records.exported', actor, target: objectName, detail: { filter: filter ?? null, sort: options.sort ?? null, fields: options.fields ?? null, ids: ids?.length ?? null } });
    yield page.data;
    while (page.pageInfo.hasMore && page.pageInfo.nextCursor) {
      page = await listRecords(await this.readContext(actor), object, { ...list, cursor: page.pageInfo.nextCursor });
      yield page.data;
    }
  }

  /**
   * An import into `objectName` by the actor, before any row is written: needs the role's import right
   * and the right to create records of the object, and is recorded in the access audit.
   */
  async recordImport(actor: Actor, objectName: string, detail: Record<string, unknown>, options: CallOptions = {}): Promise<void> {
    const ctx = await this.readContext(actor);
    const object = ctx.metadata.object(objectName);
    ctx.access.assertRight('import');
    ctx.access.assertObject(object, 'create');
    await writeAudit(options.tx ?? this.database.db, { workspaceId: actor.workspaceId, action: 'records.imported', actor, target: objectName, detail });
  }

  /** Counts over the records the actor may read: fill rate and invalid values per readable field, named counts, exact duplicates. */
  async profile(actor: Actor, objectName: string, options: ProfileOptions = {}): Promise<RecordProfile> {
    const ctx = await this.readContext(actor);
    return profileRecords(ctx, ctx.metadata.object(objectName), options);
  }

  /**
   * What of a record event the actor may know (webhooks, plugin subscribers): nothing of an object they
   * may not read, nor of a record out of their reach (checked on the record as it is now, in the trash
   * too; an erased record only for who reads all); of the changed fields, only those they may read.
   */
  async visibleEvent<E extends { object: string | null; recordId: string | null; payload: Record<string, unknown> }>(actor: Actor, event: E, executor: Executor = this.database.db): Promise<E | null> {
    if (!event.object) return event;
    const access = await this.access(actor, executor).catch(() => null);
    if (!access) return null; // deactivated or gone
    const metadata = await this.metadata(actor, executor);
    const object = metadata.findObject(event.object);
    if (!object) return null;
    const scope = access.rights(object).read;
    if (scope === 'none') return null;
    if (scope !== 'all') {
      if (!event.recordId || !UUID.test(event.recordId)) return null;
      const store = new ObjectStore(object);
      const reached = await executor
        .select({ id: store.idColumn })
        .from(store.table)
        .where(and(store.scope(actor.workspaceId, { deleted: 'include' }), sql`${store.idColumn} = ${event.recordId}::uuid`, access.recordFilter(object, 'read', { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` })));
      if (reached.length === 0) return null;
    }
    const readable = (name: string) => {
      const field = metadata.field(object, name);
      return field ? access.canReadField(object, field) : false;
    };
    const payload = { ...event.payload };
    if (Array.isArray(payload.changes)) payload.changes = (payload.changes as string[]).filter(readable);
    if (payload.values && typeof payload.values === 'object') payload.values = Object.fromEntries(Object.entries(payload.values as Record<string, unknown>).filter(([name]) => readable(name)));
    return { ...event, payload };
  }

  /** Which records of the object each verb reaches for the actor (`none`, `own`, `team`, `all`). */
  async reach(actor: Actor, objectName: string): Promise<{ read: Scope; create: boolean; update: Scope; delete: Scope }> {
    const ctx = await this.readContext(actor);
    const rights = ctx.access.rights(ctx.metadata.object(objectName));
    return { read: rights.read, create: rights.create, update: rights.update, delete: rights.delete };
  }

  async get(actor: Actor, objectName: string, id: string, options: ReadOptions & { deleted?: 'exclude' | 'include' } = {}): Promise<RecordResult> {
    const ctx = await this.readContext(actor);
    const object = ctx.metadata.object(objectName);
    assertId(objectName, id);
    const record = await loadRecord(ctx, object, id, { deleted: options.deleted });
    const [presented] = await presentRecords(ctx, object, [record], options);
    return { record: presented!, version: record.version };
  }

  /** Several records by id in one query (the ones the actor may not see are left out). */
  async getMany(actor: Actor, objectName: string, ids: string[], options: ReadOptions = {}): Promise<ApiRecord[]> {
    const ctx = await this.readContext(actor);
    const object = ctx.metadata.object(objectName);
    ctx.access.assertObject(object, 'read');
    const valid = ids.filter((id) => UUID.test(id));
    if (valid.length === 0) return [];
    const store = new ObjectStore(object);
    const visible = ctx.access.recordFilter(object, 'read', { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` });
    const rows = await store.selectRows(ctx.executor, ctx.executor.select().from(store.table).where(and(store.scope(actor.workspaceId), inArray(store.idColumn, valid), visible)));
    return presentRecords(ctx, object, rows.map((row) => store.fromRow(row)), options);
  }

  /** Whether the actor may use `verb` on this live record (it exists and their rules reach it). */
  async canReach(actor: Actor, objectName: string, id: string, verb: 'read' | 'update' | 'delete'): Promise<boolean> {
    if (!UUID.test(id)) return false;
    const ctx = await this.readContext(actor);
    const object = ctx.metadata.object(objectName);
    if (ctx.access.scope(object, verb) === 'none') return false;
    const store = new ObjectStore(object);
    const columns = { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` };
    const rows = await ctx.executor
      .select({ id: store.idColumn })
      .from(store.table)
      .where(and(store.scope(actor.workspaceId), sql`${store.idColumn} = ${id}::uuid`, ctx.access.recordFilter(object, 'read', columns), ctx.access.recordFilter(object, verb, columns)));
    return rows.length > 0;
  }

  private async write(actor: Actor, objectName: string, operations: WriteOperation[], options: CallOptions & { prefixOf?: (index: number) => string | undefined }): Promise<{ results: WriteResult[]; object: ObjectDefinition; ctx: ReadContext }> {
    return this.transaction(async (tx) => {
      const metadata = await this.metadata(actor, tx);
      const object = metadata.object(objectName);
      const access = await this.access(actor, tx);
      const results = await applyWrites({ tx, actor, access, metadata, object, prefixOf: options.prefixOf, guards: [...this.guards] }, operations);
      this.grew(tx, object, results);
      return { results, object, ctx: { executor: tx, actor, access, metadata } };
    }, options);
  }

  private async present(ctx: ReadContext, object: ObjectDefinition, results: WriteResult[]): Promise<RecordResult[]> {
    const links = new Map(results.map((result) => [result.record.id, result.links]));
    const records = await presentRecords(ctx, object, results.map((result) => result.record), {}, links);
    return records.map((record, index) => ({ record, version: results[index]!.record.version }));
  }

  async create(actor: Actor, objectName: string, input: unknown, options: CallOptions = {}): Promise<RecordResult> {
    const { results, object, ctx } = await this.write(actor, objectName, [{ kind: 'create', input }], options);
    return (await this.present(options.tx ? ctx : await this.readContext(actor), object, results))[0]!;
  }

  async update(actor: Actor, objectName: string, id: string, input: unknown, options: CallOptions & { ifMatch?: number } = {}): Promise<RecordResult> {
    assertId(objectName, id);
    const { results, object, ctx } = await this.write(actor, objectName, [{ kind: 'update', id, input, ifMatch: options.ifMatch }], options);
    return (await this.present(options.tx ? ctx : await this.readContext(actor), object, results))[0]!;
  }

  /** Soft delete: the record goes to the trash, from where `restore` brings it back. */
  async delete(actor: Actor, objectName: string, id: string, options: CallOptions & { ifMatch?: number } = {}): Promise<void> {
    assertId(objectName, id);
    await this.write(actor, objectName, [{ kind: 'delete', id, ifMatch: options.ifMatch }], options);
  }

  async restore(actor: Actor, objectName: string, id: string, options: CallOptions = {}): Promise<RecordResult> {
    assertId(objectName, id);
    const { results, object, ctx } = await this.write(actor, objectName, [{ kind: 'restore', id }], options);
    return (await this.present(options.tx ? ctx : await this.readContext(actor), object, results))[0]!;
  }

  /** Up to 1,000 creates, updates or upserts: all applied, or none. */
  async batch(actor: Actor, objectName: string, input: BatchInput, options: CallOptions = {}): Promise<{ data: ApiRecord[]; actions: WriteResult['action'][] }> {
    if (input.records.length > MAX_BATCH) throw problems.validation([{ field: 'records', code: 'too_big', message: `at most ${MAX_BATCH} records per batch` }]);
    const { results, object, ctx } = await this.transaction(async (tx) => {
      const metadata = await this.metadata(actor, tx);
      const object = metadata.object(objectName);
      const access = await this.access(actor, tx);
      const operations = await this.batchOperations(tx, access, metadata, object, input);
      const results = await applyWrites({ tx, actor, access, metadata, object, prefixOf: (index) => `records.${index}`, guards: [...this.guards] }, operations);
      this.grew(tx, object, results);
      return { results, object, ctx: { executor: tx, actor, access, metadata } as ReadContext };
    }, options);
    const presented = await this.present(options.tx ? ctx : await this.readContext(actor), object, results);
    return { data: presented.map((result) => result.record), actions: results.map((result) => result.action) };
  }

  private async batchOperations(tx: Executor, access: Access, metadata: WorkspaceMetadata, object: ObjectDefinition, input: BatchInput): Promise<WriteOperation[]> {
    const split = input.records.map((record, index) => {
      if (record === null || typeof record !== 'object' || Array.isArray(record)) {
        throw problems.validation([{ field: `records.${index}`, code: 'invalid_type', message: 'must be a JSON object' }]);
      }
      const { id, ...fields } = record as Record<string, unknown>;
      if (id !== undefined && (typeof id !== 'string' || !UUID.test(id))) {
        throw problems.validation([{ field: `records.${index}.id`, code: 'invalid_format', message: 'must be a record id (UUID)' }]);
      }
      return { id: id as string | undefined, fields };
    });
    if (input.operation === 'create') {
      return split.map(({ id, fields }, index) => {
        if (id !== undefined) throw problems.validation([{ field: `records.${index}.id`, code: 'unknown_field', message: 'ids are given by the server on create; use upsert to choose one' }]);
        return { kind: 'create', input: fields };
      });
    }
    if (input.operation === 'update') {
      return split.map(({ id, fields }, index) => {
        if (!id) throw problems.validation([{ field: `records.${index}.id`, code: 'required', message: 'is required to update' }]);
        return { kind: 'update', id, input: fields };
      });
    }
    // upsert: by id, or by the value of `matchOn`.
    const matchField = input.matchOn ? metadata.field(object, input.matchOn) : undefined;
    if (input.matchOn && (!matchField || matchField.storage.kind === 'link' || matchField.storage.kind === 'reverse' || !access.canReadField(object, matchField))) {
      throw problems.validation([{ field: 'matchOn', code: 'unknown_field', message: `no field "${input.matchOn}" to match on` }]);
    }
    const existingByValue = new Map<string, string>();
    if (matchField) {
      const values = split.map(({ fields }) => fields[matchField.name]).filter((value) => typeof value === 'string' || typeof value === 'number');
      if (values.length > 0) {
        const store = new ObjectStore(object);
        const expression = store.expression(matchField).sql;
        const normalize = (value: unknown) => (matchField.type === 'email' ? String(value).toLowerCase() : String(value));
        const found = (await tx
          .select({ id: store.idColumn, value: sql<string>`(${expression})::text` })
          .from(store.table)
          // Only records the actor may update are matched: the others are not theirs to know of.
          .where(and(store.scope(metadata.workspaceId), access.recordFilter(object, 'update', { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` }), sql`(${expression})::text in (${sql.join(values.map((value) => sql`${normalize(value)}`), sql`, `)})`))) as { id: string; value: string }[];
        for (const row of found) {
          if (existingByValue.has(row.value) && existingByValue.get(row.value) !== row.id) {
            throw problems.conflict(`Several ${object.name} records have ${matchField.name} "${row.value}": cannot tell which to update`);
          }
          existingByValue.set(row.value, row.id);
        }
      }
    }
    const idsToCheck = split.filter((item) => item.id).map((item) => item.id!);
    const existingIds = new Set<string>();
    if (idsToCheck.length > 0) {
      const store = new ObjectStore(object);
      const found = (await tx.select({ id: store.idColumn }).from(store.table).where(and(store.scope(metadata.workspaceId), inArray(store.idColumn, idsToCheck)))) as { id: string }[];
      for (const row of found) existingIds.add(row.id);
    }
    return split.map(({ id, fields }, index): WriteOperation => {
      if (id) return existingIds.has(id) ? { kind: 'update', id, input: fields } : { kind: 'create', id, input: fields };
      if (!matchField) throw problems.validation([{ field: `records.${index}.id`, code: 'required', message: 'upsert needs an id, or "matchOn"' }]);
      const raw = fields[matchField.name];
      const key = raw === undefined || raw === null ? undefined : matchField.type === 'email' ? String(raw).toLowerCase() : String(raw);
      const match = key === undefined ? undefined : existingByValue.get(key);
      return match ? { kind: 'update', id: match, input: fields } : { kind: 'create', input: fields };
    });
  }

  async timeline(actor: Actor, objectName: string, id: string, options: { limit?: number; cursor?: string } = {}) {
    const ctx = await this.readContext(actor);
    const object = ctx.metadata.object(objectName);
    assertId(objectName, id);
    await loadRecord(ctx, object, id, { deleted: 'include' });
    const own = await readTimeline(ctx, object, id, options);
    if (this.timelineSources.size === 0) return own;
    // Merged by id (time-ordered): each source gives its newest entries before the cursor.
    const limit = options.limit ?? 50;
    const query = { actor, workspaceId: actor.workspaceId, object: objectName, recordId: id, before: options.cursor, limit: limit + 1 };
    const extra = (await Promise.all([...this.timelineSources].map((source) => source(query).catch(() => [])))).flat();
    const merged = [...own.data, ...extra.filter((entry) => !options.cursor || entry.id < options.cursor)].sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const hasMore = own.pageInfo.hasMore || merged.length > limit;
    const page = merged.slice(0, limit);
    return { data: page, pageInfo: { nextCursor: hasMore ? page.at(-1)!.id : null, hasMore } };
  }

  /** Runs `work` with what a merge needs, in one transaction (or the one given). */
  private mergeContext<T>(actor: Actor, work: (ctx: MergeContext) => Promise<T>, options: CallOptions): Promise<T> {
    return this.transaction(async (tx) => {
      const [metadata, access, system] = await Promise.all([this.metadata(actor, tx), this.access(actor, tx), this.access(systemActor(actor.workspaceId), tx)]);
      return work({ tx, actor, access, system, metadata, guards: [...this.guards] });
    }, options);
  }

  /**
   * Merges records into a survivor (see `mergeRecords`): `{ survivorId, mergedIds, values }`, all or
   * nothing; needs the right to update the survivor and delete the merged records.
   */
  merge(actor: Actor, objectName: string, input: unknown, options: CallOptions = {}) {
    return this.mergeContext(actor, (ctx) => mergeRecords(ctx, ctx.metadata.object(objectName), input), options);
  }

  /** Takes a merge back while its merged records are in the trash (see `undoMerge`). */
  undoMerge(actor: Actor, mergeId: string, options: CallOptions = {}) {
    return this.mergeContext(actor, (ctx) => undoMerge(ctx, mergeId), options);
  }

  /** The merges into a record, newest first (for a reader of that record). */
  merges(actor: Actor, objectName: string, survivorId: string) {
    assertId(objectName, survivorId);
    return this.mergeContext(actor, (ctx) => listMerges(ctx, ctx.metadata.object(objectName), survivorId), {});
  }

  /** Adds a source of timeline entries (a plugin's); returns its removal. */
  addTimelineSource(source: TimelineSource): () => void {
    this.timelineSources.add(source);
    return () => void this.timelineSources.delete(source);
  }

  /** The SQL a list runs (to EXPLAIN it: tests check that it uses indexes). */
  async listQuery(actor: Actor, objectName: string, options: ListOptions = {}): Promise<SQL> {
    const ctx = await this.readContext(actor);
    const { query } = buildListQuery(ctx, ctx.metadata.object(objectName), options);
    return sql`${query}`;
  }

  /** The SQL of a search's two candidate stages, prefix then words (to EXPLAIN them). */
  async searchQueries(actor: Actor, query: string): Promise<SQL[]> {
    return buildSearchQueries(await this.readContext(actor), query);
  }

  async search(actor: Actor, query: string, options: { objects?: string[]; limit?: number } = {}) {
    return searchRecords(await this.readContext(actor), query, options);
  }
}
