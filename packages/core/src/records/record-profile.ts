import { and, type SQL, sql } from 'drizzle-orm';
import { rows } from '@rapport/db';
import type { FieldDefinition, FieldTypeName, ObjectDefinition } from '../metadata/types';
import { problems } from '../problems';
import { compileFilter, parseFilter } from './filter';
import { ObjectStore } from './object-store';
import type { ReadContext } from './record-reader';

/** What to measure beside every readable field's fill rate. */
export interface ProfileOptions {
  /** Named counts, each a filter of the list language (`{ "noEmail": { "field": "email", "op": "isNull", "value": true } }`). */
  counts?: Record<string, unknown>;
  /** Fields whose equal values (case and spaces aside) mark records as duplicates of each other. */
  duplicateKeys?: string[];
}

export interface FieldProfile {
  name: string;
  type: FieldTypeName;
  /** Records with a value. */
  filled: number;
  /** Values today's rules for the field would refuse (set before a rule was added, or written around the API); null when the type has no rule to check. */
  invalid: number | null;
  /** Records sharing their value with another record: only for `duplicateKeys`. */
  duplicated: number | null;
}

/** Aggregates over the records the actor may read: counts only, never values. */
export interface RecordProfile {
  object: string;
  total: number;
  fields: FieldProfile[];
  counts: Record<string, number>;
  /** Records sharing at least one duplicate key's value with another record. */
  duplicateRecords: number;
}

const MAX_COUNTS = 30;
const MAX_KEYS = 10;
const COUNT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,59}$/;
const EMAIL = '^[^[:space:]@]+@[^[:space:]@]+\\.[^[:space:]@]+$';
const E164 = '^\\+[1-9][0-9]{6,14}$';
const HTTP_URL = '^https?://[^[:space:]]+$';
/** Postgres: invalid_regular_expression, for an admin's rule that JavaScript accepts and Postgres does not. */
const INVALID_REGEX = '2201B';

/** Fields with a value of their own on the row (not system, not lists of related records). */
function profiled(field: FieldDefinition): boolean {
  return field.storage.kind === 'column' || field.storage.kind === 'custom';
}

function isJson(field: FieldDefinition): boolean {
  return field.storage.kind === 'custom' || ['currency', 'address', 'json', 'multiSelect'].includes(field.type);
}

function filledCondition(store: ObjectStore, field: FieldDefinition): SQL {
  if (isJson(field)) {
    const value = store.jsonValue(field);
    return sql`(${value} is not null and ${value} not in ('null'::jsonb, '""'::jsonb, '[]'::jsonb, '{}'::jsonb))`;
  }
  const { sql: value, kind } = store.expression(field);
  return kind === 'text' ? sql`(${value} is not null and ${value} <> '')` : sql`(${value} is not null)`;
}

/** The refusal today's rules would give a filled value, in SQL; null when nothing can be checked. */
function invalidCondition(store: ObjectStore, field: FieldDefinition, withRegexRules: boolean): SQL | null {
  const typed = store.expression(field);
  if (typed.kind === 'json') return null;
  const text = sql`(${typed.sql})::text`;
  const checks: SQL[] = [];
  if (field.type === 'email') checks.push(sql`${text} !~ ${EMAIL}`);
  if (field.type === 'phone') checks.push(sql`${text} !~ ${E164}`);
  if (field.type === 'url') checks.push(sql`${text} !~* ${HTTP_URL}`);
  for (const rule of field.rules) {
    if (rule.rule === 'regex' && withRegexRules) checks.push(sql`${text} !~ ${rule.pattern}`);
    if (rule.rule === 'minLength') checks.push(sql`char_length(${text}) < ${rule.value}`);
    if (rule.rule === 'maxLength') checks.push(sql`char_length(${text}) > ${rule.value}`);
    if (typed.kind === 'numeric' && rule.rule === 'min') checks.push(sql`${typed.sql} < ${rule.value}`);
    if (typed.kind === 'numeric' && rule.rule === 'max') checks.push(sql`${typed.sql} > ${rule.value}`);
  }
  if (field.type === 'select' && field.config.options?.length) {
    checks.push(sql`${text} not in (${sql.join(field.config.options.map((option) => sql`${option.value}`), sql`, `)})`);
  }
  return checks.length ? sql`(${sql.join(checks, sql` or `)})` : null;
}

function parseOptions(ctx: ReadContext, object: ObjectDefinition, readable: FieldDefinition[], options: ProfileOptions) {
  const counts = Object.entries(options.counts ?? {});
  if (counts.length > MAX_COUNTS) throw problems.badRequest(`At most ${MAX_COUNTS} counts`, [{ field: 'counts', code: 'too_big', message: `at most ${MAX_COUNTS} counts` }]);
  for (const [name] of counts) {
    if (!COUNT_NAME.test(name)) throw problems.badRequest(`"${name}" is not a count name`, [{ field: `counts.${name}`, code: 'invalid_name', message: 'must be letters, digits and _ (at most 60), starting with a letter' }]);
  }
  const keys = [...new Set(options.duplicateKeys ?? [])];
  if (keys.length > MAX_KEYS) throw problems.badRequest(`At most ${MAX_KEYS} duplicate keys`, [{ field: 'duplicateKeys', code: 'too_big', message: `at most ${MAX_KEYS} fields` }]);
  const keyFields = keys.map((name) => {
    const field = readable.find((candidate) => candidate.name === name);
    if (!field || isJson(field)) {
      throw problems.badRequest(`"${name}" cannot be a duplicate key of ${object.name}`, [{ field: 'duplicateKeys', code: 'unknown_field', message: `no readable field "${name}" with single values on ${object.name}` }]);
    }
    return field;
  });
  return { counts: counts.map(([name, filter]) => ({ name, filter: parseFilter(filter) })), keyFields };
}

/**
 * Profiles the records of `object` the actor may read: how many, how many fill each readable field,
 * how many values today's rules refuse, named counts and exact duplicates — in two queries, whatever
 * the number of fields. Hidden fields are neither measured nor usable in counts.
 */
export async function profileRecords(ctx: ReadContext, object: ObjectDefinition, options: ProfileOptions = {}): Promise<RecordProfile> {
  await ctx.access.assertObject(object, 'read');
  const store = new ObjectStore(object);
  const readable = object.fields.filter((field) => ctx.access.canReadField(object, field));
  const { counts, keyFields } = parseOptions(ctx, object, readable, options);
  const fields = readable.filter(profiled);
  const filterCtx = { actor: ctx.actor, access: ctx.access, metadata: ctx.metadata, store, idColumn: sql`${store.idColumn}` };
  const visible = and(store.scope(ctx.metadata.workspaceId), ctx.access.recordFilter(object, 'read', { id: sql`${store.idColumn}`, ownerId: sql`${store.column('ownerId')}` }));
  const countConditions = counts.map(({ name, filter }) => {
    try {
      return compileFilter(filterCtx, filter);
    } catch (error) {
      const problem = error as { status?: number; errors?: { field: string; code: string; message: string }[]; detail?: string };
      if (problem.status === 400) throw problems.badRequest(`Count "${name}": ${problem.detail ?? 'invalid filter'}`, (problem.errors ?? []).map((item) => ({ ...item, field: `counts.${name}.${item.field}` })));
      throw error;
    }
  });

  const aggregate = async (withRegexRules: boolean) => {
    const columns: SQL[] = [sql`count(*)::int`];
    const invalid = fields.map((field) => invalidCondition(store, field, withRegexRules));
    fields.forEach((field, index) => {
      const filled = filledCondition(store, field);
      columns.push(sql`count(*) filter (where ${filled})::int`);
      columns.push(invalid[index] ? sql`count(*) filter (where ${filled} and ${invalid[index]})::int` : sql`null::int`);
    });
    for (const condition of countConditions) columns.push(sql`count(*) filter (where ${condition})::int`);
    // Aliased by position: unnamed aggregates would all be called "count".
    const named = columns.map((column, index) => sql`${column} as ${sql.identifier(`c${index}`)}`);
    const [result] = await rows<Record<string, number | null>>(ctx.executor, sql`select ${sql.join(named, sql`, `)} from ${store.table} where ${visible}`);
    return columns.map((_, index) => (result?.[`c${index}`] === null || result?.[`c${index}`] === undefined ? null : Number(result[`c${index}`])));
  };
  let row: (number | null)[];
  try {
    row = await aggregate(true);
  } catch (error) {
    // A pattern JavaScript takes and Postgres does not: those rules go unchecked rather than the profile failing.
    const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    if (code !== INVALID_REGEX) throw error;
    row = await aggregate(false);
  }
  const duplicates = await duplicateCounts(ctx, store, visible, keyFields);
  let at = 1;
  const profiles: FieldProfile[] = fields.map((field) => {
    const filled = row[at++] ?? 0;
    const invalid = row[at++] ?? null;
    return { name: field.name, type: field.type, filled, invalid, duplicated: keyFields.includes(field) ? (duplicates.perField.get(field.name) ?? 0) : null };
  });
  return {
    object: object.name,
    total: row[0] ?? 0,
    fields: profiles,
    counts: Object.fromEntries(counts.map(({ name }) => [name, row[at++] ?? 0])),
    duplicateRecords: duplicates.records,
  };
}

/** Records whose key value (lower case, trimmed) another visible record has too, per key and overall. */
async function duplicateCounts(ctx: ReadContext, store: ObjectStore, visible: SQL | undefined, keyFields: FieldDefinition[]) {
  const perField = new Map<string, number>();
  if (keyFields.length === 0) return { perField, records: 0 };
  const keys = sql.join(
    keyFields.map((field, index) => {
      const value = store.expression(field).sql;
      return sql`select ${store.idColumn} as id, ${index}::int as key, lower(btrim((${value})::text)) as value from ${store.table} where ${visible} and ${value} is not null and btrim((${value})::text) <> ''`;
    }),
    sql` union all `,
  );
  const found = await rows<{ key: number | null; records: number }>(ctx.executor, sql`
    with keyed as (${keys}),
    shared as (select key, value from keyed group by key, value having count(*) > 1)
    select keyed.key, count(distinct keyed.id)::int as records
    from keyed join shared on shared.key = keyed.key and shared.value = keyed.value
    group by grouping sets ((keyed.key), ())`);
  let records = 0;
  for (const row of found) {
    if (row.key === null) records = Number(row.records);
    else perField.set(keyFields[Number(row.key)]!.name, Number(row.records));
  }
  return { perField, records };
}
