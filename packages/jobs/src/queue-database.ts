import { createRequire } from 'node:module';
import type { Database } from '@rapport/db';
import type { Logger } from 'pino';

interface QueueResult {
  rows: Record<string, unknown>[];
  rowCount: number;
}

// pg-boss marks a worker's job done or failed without awaiting it: a rejection there is unhandled and
// would end the process. These are its statements for that, as pg-boss itself writes them.
const plans = createRequire(import.meta.url)('pg-boss/src/plans.js') as { completeJobs(schema: string): string; failJobsById(schema: string): string };

/** pg-boss's statements that answer a count of the jobs they changed. */
const answersCount = (text: string) => /select count\(\*\) from \w+\s*$/i.test(text);
const nothing = (text: string): QueueResult => (answersCount(text) ? { rows: [{ count: '0' }], rowCount: 1 } : { rows: [], rowCount: 0 });

/**
 * The database as pg-boss uses it. Once the queue instance is stopped (`live` false), a job still running
 * past the stop's wait finishes into nothing. A job's end that the database refuses is logged, not
 * thrown: the job stays active, and pg-boss fails it by its expiry, then retries it.
 */
export function queueDatabase(database: Database, log: Logger, schema: string, live: () => boolean) {
  const endsOfJobs = new Set([plans.completeJobs(schema), plans.failJobsById(schema)]);
  return {
    async executeSql(text: string, values?: unknown[]): Promise<QueueResult> {
      if (!live()) return nothing(text);
      try {
        return await database.executeRaw(text, values);
      } catch (error) {
        if (!endsOfJobs.has(text)) throw error;
        log.warn({ err: error }, 'a job ended but the queue could not record it; it will be retried when it expires');
        return nothing(text);
      }
    },
  };
}
