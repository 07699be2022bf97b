import { sql } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { type Database, type Executor, rows } from '@rapport/db';

/** Rows written since a table's last analysis that call for the next one: as many as it had, at least this many. */
export const ANALYZE_AT_LEAST = 1000;

/** The rows to write to a table of `size` rows (as last analyzed) before it is analyzed again. */
export const analysisThreshold = (size: number) => Math.max(ANALYZE_AT_LEAST, size);

/**
 * Keeps the planner's statistics of the tables that writes grow. Autovacuum analyzes a table once a
 * tenth of it changed, but the embedded database has no autovacuum, an operator may turn it off,
 * and a table that grows from nothing within one import is planned as empty until then: a 1M-row
 * import's lookups by email became scans of the workspace and the run fell to a third of its speed.
 * After a transaction that wrote records commits, each table it grew is analyzed once the rows this
 * server wrote to it since its last analysis reach its size (it doubled) — 10 times over a 1M-row
 * load, each a sample of 30,000 rows. In the background, one at a time: never in the writer's way,
 * but on the database's cores: at every half-size step (17 times) the analyses of a 100k-row import's
 * tables took a quarter of the database's time, and a plan chosen with a size off by 2× is the same plan.
 */
export class TableStatistics {
  /** Rows written per table by transactions still open. */
  private readonly open = new WeakMap<Executor, Map<string, number>>();
  private readonly written = new Map<string, number>();
  private readonly sizes = new Map<string, number>();
  private readonly tables = new Map<string, PgTable>();
  private readonly readLater = new Set<string>();
  private autovacuum: Promise<boolean> | undefined;
  private queue: Promise<void> = Promise.resolve();
  private readonly queued = new Set<string>();

  constructor(private readonly database: Database) {}

  /**
   * `count` rows were written to `table` in the transaction `tx` (counted once it commits).
   * `readLater`: the writes themselves do not read the table (audit, search entries), so its plans
   * only matter after a load; where autovacuum runs it is left to autovacuum, whose analyses of it
   * had been a tenth of the database's time in a 100k-row import on top of these.
   */
  note(tx: Executor, table: PgTable, count: number, readLater = false): void {
    if (count <= 0) return;
    const name = qualifiedName(table);
    this.tables.set(name, table);
    if (readLater) this.readLater.add(name);
    const counts = this.open.get(tx) ?? new Map<string, number>();
    counts.set(name, (counts.get(name) ?? 0) + count);
    this.open.set(tx, counts);
  }

  /** The transaction `tx` committed: its rows count, and the tables grown enough are analyzed. */
  committed(tx: Executor): void {
    const counts = this.open.get(tx);
    if (!counts) return;
    this.open.delete(tx);
    for (const [name, count] of counts) {
      const written = (this.written.get(name) ?? 0) + count;
      this.written.set(name, written);
      if (written >= analysisThreshold(this.sizes.get(name) ?? 0) && !this.queued.has(name)) this.analyze(name);
    }
  }

  /** Resolves when the analyses asked for so far are done (before the database closes). */
  idle(): Promise<void> {
    return this.queue;
  }

  private analyze(name: string): void {
    const { schema, name: tableName } = getTableConfig(this.tables.get(name)!);
    const identifier = schema ? sql`${sql.identifier(schema)}.${sql.identifier(tableName)}` : sql.identifier(tableName);
    this.queued.add(name);
    this.queue = this.queue.then(async () => {
      this.written.set(name, 0);
      try {
        if (this.readLater.has(name) && (await this.autovacuumRuns())) return;
        await this.database.db.execute(sql`analyze ${identifier}`);
        const [size] = await rows<{ n: number }>(this.database.db, sql`select reltuples::float8 as n from pg_class where oid = to_regclass(${name})`);
        this.sizes.set(name, Math.max(0, Number(size?.n ?? 0)));
      } catch {
        // Statistics only steer plans: a failed analysis (the database closing) is tried again at the next threshold.
      } finally {
        this.queued.delete(name);
      }
    });
  }

  /** Whether the database analyzes tables by itself: the embedded one has no autovacuum. */
  private autovacuumRuns(): Promise<boolean> {
    this.autovacuum ??=
      this.database.driver === 'pglite'
        ? Promise.resolve(false)
        : rows<{ on: boolean }>(this.database.db, sql`select current_setting('autovacuum') = 'on' and current_setting('track_counts') = 'on' as on`).then(([row]) => row?.on === true, () => false);
    return this.autovacuum;
  }
}

function qualifiedName(table: PgTable): string {
  const { schema, name } = getTableConfig(table);
  return schema ? `${schema}.${name}` : name;
}
