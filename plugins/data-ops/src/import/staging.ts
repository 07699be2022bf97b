import { sql } from 'drizzle-orm';
import type { Executor } from '@rapport/sdk/server';
import { importRow } from './schema';

const ROWS_PER_INSERT = 5000;
/** A file of this many rows or more is followed by an analysis of the staging table. */
const ANALYZE_AFTER_ROWS = 1000;
export const SAMPLE_ROWS = 20;

/** One statement for many rows: their cells as one jsonb parameter, numbered in SQL. (Async: a drizzle query runs each time it is awaited.) */
async function insertRows(db: Executor, importId: string, firstRowNo: number, rows: string[][]): Promise<void> {
  await db.execute(sql`insert into ${importRow} (import_id, row_no, cells)
    select ${importId}::uuid, ${firstRowNo - 1}::int + cells.n::int, cells.value
    from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as cells(value, n)`);
}

/**
 * Keeps a file's rows in the staging table as they are read, five thousand per statement, so that a
 * file of any size goes through in constant memory; the next rows are read while the last ones are
 * written; then the table is analyzed for the run's plans. Returns how many, and the first rows as samples.
 */
export async function stageRows(db: Executor, importId: string, rows: AsyncIterable<string[]>): Promise<{ count: number; samples: string[][] }> {
  let count = 0;
  const samples: string[][] = [];
  let pending: string[][] = [];
  let writing: Promise<unknown> = Promise.resolve();
  try {
    for await (const cells of rows) {
      count += 1;
      if (samples.length < SAMPLE_ROWS) samples.push(cells);
      pending.push(cells);
      if (pending.length === ROWS_PER_INSERT) {
        await writing;
        writing = insertRows(db, importId, count - pending.length + 1, pending);
        // Its failure is thrown where it is awaited, not reported as unhandled in between.
        writing.catch(() => {});
        pending = [];
      }
    }
  } finally {
    // A file that turns out bad half way: its last rows are in before the caller removes the import.
    await writing.catch(() => {});
  }
  await writing;
  if (pending.length) await insertRows(db, importId, count - pending.length + 1, pending);
  // The run's queries are planned on the table's statistics: without this they see none of the rows
  // just staged until autovacuum comes by (never, on the embedded database or where it is off).
  if (count >= ANALYZE_AFTER_ROWS) await db.execute(sql`analyze ${importRow}`);
  return { count, samples };
}
