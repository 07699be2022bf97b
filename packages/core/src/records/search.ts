import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { rows } from '@rapport/db';
import type { ObjectDefinition } from '../metadata/types';
import { problems } from '../problems';
import { searchEntry } from '../schema/search';
import { recordTitle } from './record-title';
import { ObjectStore } from './object-store';
import { type ApiRecord, presentRecords, type ReadContext } from './record-reader';
import { isSearchIndexed, normalizeForSearch, toPrefixQuery } from './search-index';

export interface SearchHit {
  object: string;
  id: string;
  label: string | null;
  score: number;
  matchedField: string;
  record: ApiRecord;
}

/** How many entries the full-text index hands over for ranking: bounded, so a one-letter query stays cheap. */
const CANDIDATES = 300;

/**
 * Search across objects: a full-text prefix query over the per-field entries (GIN index), limited
 * to the fields the caller may read, then a short list ranked by trigram similarity.
 */
export async function searchRecords(
  ctx: ReadContext,
  query: string,
  options: { objects?: string[]; limit?: number },
): Promise<{ data: SearchHit[] }> {
  const limit = options.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw problems.badRequest('"limit" must be from 1 to 100');
  if (query.length > 200) throw problems.badRequest('"q" must be at most 200 characters', [{ field: 'q', code: 'too_long', message: 'at most 200 characters' }]);
  const candidates = await searchCandidates(ctx, query, options.objects, limit * 2);
  if (candidates.length === 0) return { data: [] };

  // Best entry per record, then records loaded through the data-access layer's visibility rules.
  const best = new Map<string, { object: string; id: string; field: string; score: number }>();
  for (const candidate of candidates) {
    const key = `${candidate.object}:${candidate.record_id}`;
    if (!best.has(key)) best.set(key, { object: candidate.object, id: candidate.record_id, field: candidate.field, score: candidate.score });
  }
  const ranked = [...best.values()].sort((a, b) => b.score - a.score);
  // Records are loaded (through the visibility rules) in slices of the ranking, only as far as needed.
  const data: SearchHit[] = [];
  const slice = limit * 2;
  for (let start = 0; start < ranked.length && data.length < limit; start += slice) {
    const part = ranked.slice(start, start + slice);
    const byObject = new Map<string, string[]>();
    for (const hit of part) byObject.set(hit.object, [...(byObject.get(hit.object) ?? []), hit.id]);
    const records = new Map<string, ApiRecord>();
    for (const [name, ids] of byObject) {
      const object = ctx.metadata.object(name);
      const store = new ObjectStore(object);
      const visible = ctx.access.recordFilter(object, 'read', { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` });
      const found = await store.selectRows(ctx.executor, ctx.executor.select().from(store.table).where(and(store.scope(ctx.metadata.workspaceId), inArray(store.idColumn, ids), visible)));
      const presented = await presentRecords(ctx, object, found.map((row) => store.fromRow(row)), {});
      for (const record of presented) records.set(`${name}:${record.id}`, record);
    }
    for (const hit of part) {
      const record = records.get(`${hit.object}:${hit.id}`);
      if (!record) continue;
      const object = ctx.metadata.object(hit.object);
      data.push({ object: hit.object, id: hit.id, label: recordTitle(object, record), score: Math.round(hit.score * 1000) / 1000, matchedField: hit.field, record });
      if (data.length >= limit) break;
    }
  }
  return { data };
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

interface SearchPlan {
  words: string[];
  scopes: SQL;
  normalized: string;
}

/** The words typed, and which (object, field) entries the caller may search. */
async function planSearch(ctx: ReadContext, query: string, objectNames?: string[]): Promise<SearchPlan | null> {
  const tsquery = toPrefixQuery(query);
  if (!tsquery) return null;
  const objects: ObjectDefinition[] = [];
  for (const name of objectNames ?? [...ctx.metadata.objects.keys()]) {
    const object = ctx.metadata.object(name);
    try {
      await ctx.access.assertObject(object, 'read');
      objects.push(object);
    } catch (error) {
      if (objectNames) throw error;
    }
  }
  const scopes: SQL[] = [];
  for (const object of objects) {
    const fields = object.fields.filter((field) => isSearchIndexed(field) && ctx.access.canReadField(object, field)).map((field) => field.name);
    if (fields.length > 0) scopes.push(sql`(${searchEntry.object} = ${object.name} and ${inArray(searchEntry.field, fields)})`);
  }
  if (scopes.length === 0) return null;
  return { words: tsquery.split(' & '), scopes: sql`(${sql.join(scopes, sql` or `)})`, normalized: normalizeForSearch(query.trim()).slice(0, 200) };
}

/**
 * Stage 1: entries whose whole text starts with what was typed, from the btree prefix index
 * (bounded, whatever the number of records). Ranked by trigram similarity.
 */
function prefixStage(ctx: ReadContext, plan: SearchPlan): SQL {
  return sql`with hits as (
      select ${searchEntry.object} as object, ${searchEntry.recordId} as record_id, ${searchEntry.field} as field, ${searchEntry.text} as text
      from ${searchEntry}
      where ${searchEntry.workspaceId} = ${ctx.metadata.workspaceId} and ${plan.scopes}
        and ${searchEntry.text} like ${`${likeEscape(plan.normalized)}%`}
      limit ${CANDIDATES}
    )
    select object, record_id::text, field, (1 + similarity(text, ${plan.normalized}::text))::float8 as score
    from hits order by score desc, record_id desc`;
}

/**
 * Stage 2: records with every typed word as a word prefix in some field they may read (so that
 * "elo dup" finds Éloïse Dupont across first and last name). Candidates come from the GIN index
 * on the longest word, then all their readable entries are checked for the other words.
 */
function wordStage(ctx: ReadContext, plan: SearchPlan): SQL {
  const longest = [...plan.words].sort((a, b) => b.length - a.length)[0]!;
  const normalized = sql`${plan.normalized}::text`;
  const everyWord = sql.join(plan.words.map((word) => sql`bool_or(${searchEntry.document} @@ to_tsquery('simple', ${word}::text))`), sql` and `);
  // Whole-word matches of the longest word come first, so that a word typed in full is never
  // crowded out of the bounded candidate list by the many records it is merely a prefix of.
  const candidatesMatching = (tsquery: string, limit: number) => sql`(select ${searchEntry.object} as object, ${searchEntry.recordId} as record_id
      from ${searchEntry}
      where ${searchEntry.workspaceId} = ${ctx.metadata.workspaceId} and ${plan.scopes}
        and ${searchEntry.document} @@ to_tsquery('simple', ${tsquery}::text)
      limit ${limit})`;
  return sql`with candidates as (
      ${candidatesMatching(longest.replace(/:\*$/, ''), CANDIDATES)}
      union
      ${candidatesMatching(longest, CANDIDATES * 3)}
    ),
    ranked as (
      -- Per candidate, its readable entries through the primary key (a lateral probe, not a scan).
      select candidates.object, candidates.record_id, entry.score, entry.field, entry.complete
      from candidates cross join lateral (
        select similarity(string_agg(${searchEntry.text}, ' '), ${normalized}) as score,
          (array_agg(${searchEntry.field} order by similarity(${searchEntry.text}, ${normalized}) desc))[1] as field,
          ${everyWord} as complete
        from ${searchEntry}
        where ${searchEntry.workspaceId} = ${ctx.metadata.workspaceId} and ${searchEntry.object} = candidates.object
          and ${searchEntry.recordId} = candidates.record_id and ${plan.scopes}
      ) entry
    )
    select object, record_id::text, field, score::float8 as score from ranked where complete order by score desc, record_id desc limit ${CANDIDATES}`;
}

/** The SQL of both stages, to EXPLAIN them (tests check that they use their indexes). */
export async function buildSearchQueries(ctx: ReadContext, query: string): Promise<SQL[]> {
  const plan = await planSearch(ctx, query);
  return plan ? [prefixStage(ctx, plan), wordStage(ctx, plan)] : [];
}

type Candidate = { object: string; record_id: string; field: string; score: number };

async function searchCandidates(ctx: ReadContext, query: string, objectNames: string[] | undefined, wanted: number): Promise<Candidate[]> {
  const plan = await planSearch(ctx, query, objectNames);
  if (!plan) return [];
  const found = plan.words.length === 1 ? await rows<Candidate>(ctx.executor, prefixStage(ctx, plan)) : [];
  if (new Set(found.map((candidate) => candidate.record_id)).size >= wanted) return found;
  // Not enough whole-field prefixes: words anywhere, through the full-text index.
  return [...found, ...(await rows<Candidate>(ctx.executor, wordStage(ctx, plan)))];
}
