import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import { fieldTypes } from '../metadata/field-types';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import { searchEntry } from '../schema/search';
import { INDEXABLE_BYTES, truncateUtf8 } from '../text/utf8';
import type { MirroredRecord } from './field-mirrors';

const CHUNK = 5000;

export function isSearchIndexed(field: FieldDefinition): boolean {
  return field.searchable && (field.storage.kind === 'column' || field.storage.kind === 'custom');
}

const FOLDED: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i', þ: 'th', ð: 'd' };

/**
 * How entries and queries are compared: lower case, accents and ligatures folded ("Éloïse" and
 * "eloise", "Œuvre" and "oeuvre" are the same). Done here rather than by SQL unaccent(), so that
 * the query's prefix is a constant the planner can match against the btree prefix index.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[œæßøđłıþð]/g, (char) => FOLDED[char] ?? char);
}

/**
 * An entry's document is made of the normalized text itself (so that an e-mail or a domain stays one
 * token) and its words split on punctuation (so that "jean" finds "jean.dupont@exemple.fr"): `text`
 * then `wordsOf(text)`. Split here rather than by SQL regexp_replace, which cost a third of an entry's
 * insert; sent only where they differ from the text (one word: most names), the database repeating it.
 */
export const wordsOf = (text: string) => text.replace(/[^\p{L}\p{N}]+/gu, ' ');

/**
 * What an entry keeps of a field's text: the start that fits the prefix index's btree row (folding
 * can lengthen a text: "ﬃ" becomes "ffi"), so that a long field in any script is still written.
 */
const searchableStart = (text: string) => truncateUtf8(normalizeForSearch(text.slice(0, 4000)), INDEXABLE_BYTES);

/** Keeps one search entry per (record, searchable field), in the write's transaction. */
export async function writeSearchEntries(
  tx: Executor,
  workspaceId: string,
  object: ObjectDefinition,
  records: MirroredRecord[],
): Promise<void> {
  const fields = object.fields.filter(isSearchIndexed);
  const removals: { id: string; field: string }[] = [];
  const entries: { id: string; field: string; text: string; isNew: boolean }[] = [];
  for (const record of records) {
    for (const field of fields) {
      if (!record.changed.has(field.name)) continue;
      const value = record.values[field.name];
      const text = value === null || value === undefined ? null : fieldTypes[field.type].searchText(value, field);
      if (text && text.trim()) entries.push({ id: record.id, field: field.name, text: searchableStart(text), isNew: record.isNew === true });
      else if (!record.isNew) removals.push({ id: record.id, field: field.name });
    }
  }
  const byField = new Map<string, string[]>();
  for (const removal of removals) byField.set(removal.field, [...(byField.get(removal.field) ?? []), removal.id]);
  for (const [field, ids] of byField) {
    await tx
      .delete(searchEntry)
      .where(
        and(
          eq(searchEntry.workspaceId, workspaceId),
          eq(searchEntry.object, object.name),
          inArray(searchEntry.recordId, ids),
          eq(searchEntry.field, field),
        ),
      );
  }
  // A record created by this write has no entries yet (they go with it: trash purges and object
  // deletions remove them), so its own are inserted plainly; the others replace what was there. The
  // conflict check cost a sixth of an entry's insert, and an import makes five entries a record.
  await insertEntries(tx, workspaceId, object, entries.filter((entry) => entry.isNew), false);
  await insertEntries(tx, workspaceId, object, entries.filter((entry) => !entry.isNew), true);
}

async function insertEntries(tx: Executor, workspaceId: string, object: ObjectDefinition, entries: { id: string; field: string; text: string }[], replace: boolean): Promise<void> {
  // One jsonb parameter for all the entries (see bulk-insert.ts), with one-letter keys: an import sends
  // five entries a record, and their keys were a fifth of what was sent.
  for (let index = 0; index < entries.length; index += CHUNK) {
    const part = entries.slice(index, index + CHUNK).map((entry) => {
      const words = wordsOf(entry.text);
      return words === entry.text ? { r: entry.id, f: entry.field, t: entry.text } : { r: entry.id, f: entry.field, t: entry.text, w: words };
    });
    await tx.execute(sql`insert into ${searchEntry} (workspace_id, object, record_id, field, text, document)
      select ${workspaceId}::uuid, ${object.name}, e.r, e.f, e.t, to_tsvector('simple', e.t || ' ' || coalesce(e.w, e.t))
      from jsonb_to_recordset(${JSON.stringify(part)}::jsonb) as e(r uuid, f text, t text, w text)
      ${replace ? sql`on conflict (workspace_id, object, record_id, field) do update set text = excluded.text, document = excluded.document` : sql``}`);
  }
}

export async function clearSearchEntries(tx: Executor, workspaceId: string, object: ObjectDefinition, ids: string[]): Promise<void> {
  for (let index = 0; index < ids.length; index += 1000) {
    await tx
      .delete(searchEntry)
      .where(
        and(eq(searchEntry.workspaceId, workspaceId), eq(searchEntry.object, object.name), inArray(searchEntry.recordId, ids.slice(index, index + 1000))),
      );
  }
}

/** Turns what a person typed into a prefix query over its words: "Éloïse Dup" → "eloise:* & dup:*". */
export function toPrefixQuery(text: string): string | null {
  const words = normalizeForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  if (words.length === 0) return null;
  return words.map((word) => `${word}:*`).join(' & ');
}
