import crypto from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import { fieldTypes, type ValueKind } from '../metadata/field-types';
import { problems } from '../problems';
import { type FilterContext, resolveField } from './filter';
import { SQL_TYPES } from './object-store';

export interface SortKey {
  path: string;
  descending: boolean;
  expression: SQL;
  kind: ValueKind;
}

const MAX_SORT_KEYS = 4;

/** `-createdAt,lastName` → sort keys, each on a readable, sortable field. Newest first by default. */
export function parseSort(ctx: FilterContext, sort: string | undefined): SortKey[] {
  const parts = (sort ?? '').split(',').map((part) => part.trim()).filter(Boolean);
  if (parts.length > MAX_SORT_KEYS) throw problems.badRequest(`"sort" takes at most ${MAX_SORT_KEYS} fields`, [{ field: 'sort', code: 'too_big', message: `takes at most ${MAX_SORT_KEYS} fields` }]);
  const keys: SortKey[] = [];
  for (const part of parts) {
    const descending = part.startsWith('-');
    const path = descending ? part.slice(1) : part;
    const { field, subfield } = resolveField(ctx, path, 'sort');
    const type = fieldTypes[field.type];
    const sortable = field.storage.kind === 'system' || (subfield !== undefined ? true : type.sortable);
    if (!sortable || field.storage.kind === 'link' || field.storage.kind === 'reverse') {
      throw problems.badRequest(`Cannot sort by "${path}": a ${field.type} field is not sortable`, [
        { field: 'sort', code: 'not_sortable', message: `"${path}" is not sortable` },
      ]);
    }
    if (field.name === 'id') continue;
    const expression = ctx.store.expression(field, subfield);
    if (expression.kind === 'json' || expression.kind === 'textArray') {
      throw problems.badRequest(`Cannot sort by "${path}"`, [{ field: 'sort', code: 'not_sortable', message: `"${path}" is not sortable` }]);
    }
    keys.push({ path, descending, expression: expression.sql, kind: expression.kind });
  }
  return keys;
}

/** The id breaks ties, so that the order is total and a cursor is stable under inserts. */
export function idDescending(keys: SortKey[]): boolean {
  return keys.length === 0 ? true : false;
}

export function orderBy(keys: SortKey[], idColumn: SQL): SQL {
  const parts = keys.map((key) => sql`${key.expression} ${sql.raw(key.descending ? 'desc' : 'asc')} nulls last`);
  parts.push(sql`${idColumn} ${sql.raw(idDescending(keys) ? 'desc' : 'asc')}`);
  return sql.join(parts, sql`, `);
}

interface CursorData {
  s: string;
  v: unknown[];
  id: string;
}

function sortSignature(keys: SortKey[]): string {
  return crypto.createHash('sha1').update(keys.map((key) => `${key.descending ? '-' : ''}${key.path}`).join(',')).digest('base64url').slice(0, 8);
}

export function encodeCursor(keys: SortKey[], values: unknown[], id: string): string {
  const data: CursorData = {
    s: sortSignature(keys),
    v: values.map((value) => (value instanceof Date ? value.toISOString() : typeof value === 'bigint' ? value.toString() : value)),
    id,
  };
  return Buffer.from(JSON.stringify(data)).toString('base64url');
}

function badCursor(): never {
  throw problems.badRequest('"cursor" is not a cursor returned by this list (or the sort changed)', [
    { field: 'cursor', code: 'invalid_cursor', message: 'is not valid for this list' },
  ]);
}

export function decodeCursor(keys: SortKey[], cursor: string): CursorData {
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    badCursor();
  }
  if (
    !data ||
    typeof data !== 'object' ||
    data.s !== sortSignature(keys) ||
    !Array.isArray(data.v) ||
    data.v.length !== keys.length ||
    typeof data.id !== 'string' ||
    !/^[0-9a-f-]{36}$/i.test(data.id) ||
    data.v.some((value) => value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
  ) {
    badCursor();
  }
  return data;
}

/**
 * Rows strictly after the cursor in the order (each key ascending or descending, nulls last,
 * then the id): a keyset condition, so paging stays stable when rows are inserted meanwhile.
 */
export function afterCursor(keys: SortKey[], cursor: CursorData, idColumn: SQL): SQL {
  const typed = (value: unknown, kind: ValueKind) => sql`${value}::${sql.raw(SQL_TYPES[kind as keyof typeof SQL_TYPES] ?? 'text')}`;
  const branches: SQL[] = [];
  const equalities: SQL[] = [];
  keys.forEach((key, index) => {
    const value = cursor.v[index];
    let after: SQL | null;
    if (value === null) after = null; // nulls come last: nothing sorts after a null on this key
    else {
      const op = key.descending ? sql`<` : sql`>`;
      after = sql`(${key.expression} ${op} ${typed(value, key.kind)} or ${key.expression} is null)`;
    }
    if (after) branches.push(sql.join([...equalities, after], sql` and `));
    equalities.push(value === null ? sql`${key.expression} is null` : sql`${key.expression} = ${typed(value, key.kind)}`);
  });
  const idOp = idDescending(keys) ? sql`<` : sql`>`;
  branches.push(sql.join([...equalities, sql`${idColumn} ${idOp} ${cursor.id}::uuid`], sql` and `));
  return sql`(${sql.join(branches.map((branch) => sql`(${branch})`), sql` or `)})`;
}
