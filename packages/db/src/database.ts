import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';

/** Drizzle over either driver; both share the pg-core query builder. */
export type Db = PgDatabase<PgQueryResultHKT, Record<string, unknown>>;
/** A transaction, or the database itself: everything that can run a query. */
export type Executor = Db | PgTransaction<PgQueryResultHKT, Record<string, unknown>, any>;

export type DriverName = 'pglite' | 'postgres';

export interface QueryListener {
  (query: string, params: unknown[]): void;
}

export interface Database {
  readonly driver: DriverName;
  readonly db: Db;
  /** Human-readable location (a folder or a URL without its password), for logs and `doctor`. */
  readonly location: string;
  /** Observes every statement sent through drizzle; returns an unsubscribe function. */
  onQuery(listener: QueryListener): () => void;
  /** LISTEN on a channel; notifications sent in a transaction arrive only if it commits. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /**
   * Raw SQL for libraries that bring their own (the job queue): several statements when there are
   * no parameters, one with them.
   */
  executeRaw(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
  close(): Promise<void>;
}

/** Runs a raw statement and returns its rows, whatever the driver's result shape. */
export async function rows<T = Record<string, unknown>>(executor: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await executor.execute(query);
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export class QueryListeners {
  private readonly listeners = new Set<QueryListener>();
  add(listener: QueryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  readonly logger = {
    logQuery: (query: string, params: unknown[]) => {
      for (const listener of this.listeners) listener(query, params);
    },
  };
}
