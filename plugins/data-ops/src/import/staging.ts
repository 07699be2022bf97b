import type { Executor } from '@rapport/sdk/server';
import { importRow } from './schema';

const ROWS_PER_INSERT = 1000;
export const SAMPLE_ROWS = 20;

/**
 * Keeps a file's rows in the staging table as they are read, a thousand per statement, so that a
 * file of any size goes through in constant memory. Returns how many, and the first rows as samples.
 */
export async function stageRows(db: Executor, importId: string, rows: AsyncIterable<string[]>): Promise<{ count: number; samples: string[][] }> {
  let count = 0;
  const samples: string[][] = [];
  let pending: { importId: string; rowNo: number; cells: string[] }[] = [];
  for await (const cells of rows) {
    count += 1;
    if (samples.length < SAMPLE_ROWS) samples.push(cells);
    pending.push({ importId, rowNo: count, cells });
    if (pending.length === ROWS_PER_INSERT) {
      await db.insert(importRow).values(pending);
      pending = [];
    }
  }
  if (pending.length) await db.insert(importRow).values(pending);
  return { count, samples };
}
