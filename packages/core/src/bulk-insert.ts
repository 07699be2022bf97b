import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '@rapport/db';

type Scalar = string | number | boolean | null;

/** A value as the jsonb parameter carries it; `undefined` (a column some rows leave out) is null. */
function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

const isScalar = (value: unknown): value is Scalar => value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * Inserts many rows as ONE jsonb parameter expanded by Postgres (jsonb_populate_recordset),
 * instead of one parameter per value: a 1,000-row insert of drizzle's builder binds tens of
 * thousands of parameters and spends most of its time building them. A column with the same
 * scalar value in every row of a chunk (the workspace, the actor, the time of the write) is sent
 * once, beside the rows: the rows of an import's batch were a third such repeated columns, sent,
 * parsed and collected again for each row. Values take the table's own column types either way
 * (jsonb_populate_record), so no type is named here. Only the given columns are inserted, so the
 * others keep their defaults. Table and column names come from the drizzle schema.
 */
export async function insertRows<T extends PgTable>(executor: Executor, table: T, values: Partial<T['$inferInsert']>[], chunkSize = 2000): Promise<void> {
  if (values.length === 0) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const used = Object.keys(columns).filter((property) => values.some((row) => (row as Record<string, unknown>)[property] !== undefined));
  const type = sql.identifier(getTableName(table));
  for (let start = 0; start < values.length; start += chunkSize) {
    const chunk = (values.slice(start, start + chunkSize) as Record<string, unknown>[]).map((row) => used.map((property) => jsonValue(row[property])));
    const first = chunk[0]!;
    const isConstant = used.map((_, index) => isScalar(first[index]) && chunk.every((row) => row[index] === first[index]));
    const constants: Record<string, unknown> = {};
    const varying: string[] = [];
    used.forEach((property, index) => {
      if (isConstant[index]) constants[columns[property]!.name] = first[index];
      else varying.push(columns[property]!.name);
    });
    const rows = chunk.map((row) => {
      const out: Record<string, unknown> = {};
      let at = 0;
      used.forEach((_, index) => {
        if (!isConstant[index]) out[varying[at++]!] = row[index];
      });
      return out;
    });
    const names = [...varying, ...Object.keys(constants)];
    const selected = [...varying.map((name) => sql`r.${sql.identifier(name)}`), ...Object.keys(constants).map((name) => sql`c.${sql.identifier(name)}`)];
    await executor.execute(
      sql`insert into ${table} (${sql.join(names.map((name) => sql.identifier(name)), sql`, `)})
        select ${sql.join(selected, sql`, `)}
        from jsonb_populate_recordset(null::${type}, ${JSON.stringify(rows)}::jsonb) as r, jsonb_populate_record(null::${type}, ${JSON.stringify(constants)}::jsonb) as c`,
    );
  }
}
