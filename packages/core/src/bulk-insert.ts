import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '@rapport/db';

/**
 * Inserts many rows as ONE jsonb parameter expanded by Postgres (jsonb_populate_recordset),
 * instead of one parameter per value: a 1,000-row insert of drizzle's builder binds tens of
 * thousands of parameters and spends most of its time building them. Only the given columns are
 * inserted, so the others keep their defaults. Table and column names come from the drizzle schema.
 */
export async function insertRows<T extends PgTable>(executor: Executor, table: T, values: Partial<T['$inferInsert']>[], chunkSize = 2000): Promise<void> {
  if (values.length === 0) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const used = Object.keys(columns).filter((property) => values.some((row) => (row as Record<string, unknown>)[property] !== undefined));
  const names = used.map((property) => columns[property]!.name);
  const list = sql.join(names.map((name) => sql.identifier(name)), sql`, `);
  for (let start = 0; start < values.length; start += chunkSize) {
    const rows = values.slice(start, start + chunkSize).map((row) => {
      const out: Record<string, unknown> = {};
      used.forEach((property, index) => {
        const value = (row as Record<string, unknown>)[property];
        out[names[index]!] = value instanceof Date ? value.toISOString() : (value ?? null);
      });
      return out;
    });
    await executor.execute(
      sql`insert into ${table} (${list}) select ${list} from jsonb_populate_recordset(null::${sql.identifier(getTableName(table))}, ${JSON.stringify(rows)}::jsonb)`,
    );
  }
}
