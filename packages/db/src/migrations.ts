import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { type Database, type Executor, rows } from './database';

/** A package's migrations: a drizzle-kit output folder (`meta/_journal.json` + `NNNN_tag.sql`). */
export interface MigrationSource {
  /** Ledger name: the package's id (`core`, a plugin id). Tracked in table `__migrations_<id>`. */
  id: string;
  folder: string;
}

export interface Migration {
  source: string;
  tag: string;
  hash: string;
  statements: string[];
}

export interface MigrationPlan {
  pending: Migration[];
  applied: { source: string; tag: string }[];
  /** Applied files whose content changed since: reported, never re-run. */
  modified: { source: string; tag: string }[];
}

export class MigrationError extends Error {}

/** Arbitrary constant shared by every Rapport process: one migrator at a time per database. */
const MIGRATION_LOCK = 7_325_001;

function ledgerTable(id: string): string {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(id)) throw new MigrationError(`invalid migration source id "${id}"`);
  return `__migrations_${id}`;
}

export function readMigrations(source: MigrationSource): Migration[] {
  const journalPath = path.join(source.folder, 'meta', '_journal.json');
  if (!fs.existsSync(journalPath)) return [];
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map((entry) => {
      const text = fs.readFileSync(path.join(source.folder, `${entry.tag}.sql`), 'utf8');
      return {
        source: source.id,
        tag: entry.tag,
        hash: crypto.createHash('sha256').update(text).digest('hex'),
        statements: text
          .split('--> statement-breakpoint')
          .map((statement) => statement.trim())
          .filter(Boolean),
      };
    });
}

async function ensureLedger(executor: Executor, table: string): Promise<void> {
  await executor.execute(
    sql.raw(
      `create table if not exists "${table}" (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
    ),
  );
}

async function appliedIn(executor: Executor, table: string): Promise<Map<string, string>> {
  const exists = await rows<{ found: boolean }>(executor, sql`select to_regclass(${`"${table}"`}) is not null as found`);
  if (!exists[0]?.found) return new Map();
  const applied = await rows<{ tag: string; hash: string }>(executor, sql.raw(`select tag, hash from "${table}"`));
  return new Map(applied.map((row) => [row.tag, row.hash]));
}

async function planWith(executor: Executor, sources: MigrationSource[]): Promise<MigrationPlan> {
  const plan: MigrationPlan = { pending: [], applied: [], modified: [] };
  for (const source of sources) {
    const migrations = readMigrations(source);
    const applied = await appliedIn(executor, ledgerTable(source.id));
    const known = new Set(migrations.map((migration) => migration.tag));
    const unknown = [...applied.keys()].filter((tag) => !known.has(tag));
    if (unknown.length > 0) {
      throw new MigrationError(
        `the database has migration ${source.id}/${unknown[0]} that this version does not know: it was upgraded by a newer Rapport; run that version or newer`,
      );
    }
    for (const migration of migrations) {
      const hash = applied.get(migration.tag);
      if (hash === undefined) plan.pending.push(migration);
      else {
        plan.applied.push({ source: source.id, tag: migration.tag });
        if (hash !== migration.hash) plan.modified.push({ source: source.id, tag: migration.tag });
      }
    }
  }
  return plan;
}

/** What `migrate` would run, without running it. */
export function planMigrations(database: Database, sources: MigrationSource[]): Promise<MigrationPlan> {
  return planWith(database.db, sources);
}

/**
 * Applies every pending migration of every source, in the order given (dependency order), in one
 * transaction under an advisory lock: servers starting together migrate once, and a failure leaves
 * the database as it was. An upgrade that skipped versions simply has more pending migrations.
 */
export async function migrate(database: Database, sources: MigrationSource[]): Promise<MigrationPlan> {
  return database.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    const plan = await planWith(tx, sources);
    for (const migration of plan.pending) {
      const table = ledgerTable(migration.source);
      await ensureLedger(tx, table);
      for (const statement of migration.statements) {
        try {
          await tx.execute(sql.raw(statement));
        } catch (error) {
          throw new MigrationError(
            `migration ${migration.source}/${migration.tag} failed: ${(error as Error).message}`,
          );
        }
      }
      await tx.execute(
        sql`insert into ${sql.identifier(table)} (tag, hash) values (${migration.tag}, ${migration.hash})`,
      );
    }
    return plan;
  });
}
