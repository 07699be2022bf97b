import type { Actor } from '../access/actor';
import { and, desc, eq, inArray, lt, ne, or } from 'drizzle-orm';
import type { ObjectDefinition } from '../metadata/types';
import { problems } from '../problems';
import { auditEntry, type FieldChange, readChange } from '../schema/audit';
import { apiKey } from '../schema/identity';
import type { ReadContext } from './record-reader';
import { mergedInto } from './record-merge';

export interface TimelineEntry {
  id: string;
  at: string;
  /** created, updated, deleted, restored, merged, unmerged — or `<plugin>.<kind>` for an entry a plugin adds. */
  action: string;
  /** For an API key: its name and the user accountable for it (who made it), so that people see who acted. */
  actor: { kind: string; id: string | null; name?: string; userId?: string | null };
  changes: FieldChange[];
  /** For entries of a record merged into this one: that record's id. */
  mergedFrom?: string;
  /** For entries from a timeline source: who added it and what to show. */
  source?: string;
  title?: { en: string; fr?: string };
  body?: { en: string; fr?: string };
}

export interface TimelineQuery {
  /** Who reads the timeline: a source shows them only what they may read. */
  actor: Actor;
  workspaceId: string;
  object: string;
  recordId: string;
  /** Entries older than this id (ids are time-ordered UUIDs), for the next page. */
  before?: string;
  limit: number;
}

/** Adds entries to records' timelines (a plugin's calls, meetings…): newest first, ids time-ordered (UUID v7). */
export type TimelineSource = (query: TimelineQuery) => Promise<TimelineEntry[]>;

/**
 * A record's history from its audit entries, newest first, showing only the fields the caller may
 * read; with the history of the records merged into it (but their move to the trash).
 */
export async function readTimeline(
  ctx: ReadContext,
  object: ObjectDefinition,
  recordId: string,
  options: { limit?: number; cursor?: string },
): Promise<{ data: TimelineEntry[]; pageInfo: { nextCursor: string | null; hasMore: boolean } }> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw problems.badRequest('"limit" must be from 1 to 500');
  if (options.cursor && !/^[0-9a-f-]{36}$/i.test(options.cursor)) {
    throw problems.badRequest('"cursor" is not valid', [{ field: 'cursor', code: 'invalid_cursor', message: 'is not valid for this list' }]);
  }
  const merged = await mergedInto(ctx.executor, ctx.metadata.workspaceId, object.name, recordId);
  const rows = await ctx.executor
    .select()
    .from(auditEntry)
    .where(
      and(
        eq(auditEntry.workspaceId, ctx.metadata.workspaceId),
        eq(auditEntry.object, object.name),
        merged.length === 0
          ? eq(auditEntry.recordId, recordId)
          : or(eq(auditEntry.recordId, recordId), and(inArray(auditEntry.recordId, merged), ne(auditEntry.action, 'deleted'))),
        options.cursor ? lt(auditEntry.id, options.cursor) : undefined,
      ),
    )
    .orderBy(desc(auditEntry.id))
    .limit(limit + 1);
  const readable = (name: string) => {
    const field = ctx.metadata.field(object, name);
    return !field || ctx.access.canReadField(object, field);
  };
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const keyIds = [...new Set(page.filter((row) => row.actorKind === 'apiKey' && row.actorId).map((row) => row.actorId!))];
  const keys = new Map(
    keyIds.length === 0
      ? []
      : (await ctx.executor.select({ id: apiKey.id, name: apiKey.name, userId: apiKey.createdBy }).from(apiKey).where(and(eq(apiKey.workspaceId, ctx.metadata.workspaceId), inArray(apiKey.id, keyIds)))).map((key) => [key.id, key]),
  );
  const actorOf = (kind: string, id: string | null): TimelineEntry['actor'] => {
    const key = kind === 'apiKey' && id ? keys.get(id) : undefined;
    return key ? { kind, id, name: key.name, userId: key.userId } : { kind, id };
  };
  return {
    data: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      action: row.action,
      actor: actorOf(row.actorKind, row.actorId),
      changes: row.changes.filter((change) => readable(change.field)).map(readChange),
      ...(row.recordId === recordId ? {} : { mergedFrom: row.recordId }),
    })),
    pageInfo: { nextCursor: hasMore ? page.at(-1)!.id : null, hasMore },
  };
}
