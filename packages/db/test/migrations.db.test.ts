import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeDb, type TestDatabase } from '@rapport/testing';
import { migrate, MigrationError, planMigrations, rows } from '../src';

function writeMigrations(folder: string, migrations: [tag: string, sql: string][]) {
  fs.mkdirSync(path.join(folder, 'meta'), { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'meta', '_journal.json'),
    JSON.stringify({ version: '7', dialect: 'postgresql', entries: migrations.map(([tag], idx) => ({ idx, version: '7', when: idx, tag, breakpoints: true })) }),
  );
  for (const [tag, text] of migrations) fs.writeFileSync(path.join(folder, `${tag}.sql`), text);
}

describeDb('migrations', () => {
  let t: TestDatabase;
  let folder: string;
  beforeAll(async () => {
    t = await createTestDatabase();
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-migrations-'));
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const source = () => ({ id: 'sample', folder });
  const v1: [string, string] = ['0000_first', 'create table sample_a (id int primary key);'];
  const v2: [string, string] = ['0001_second', 'alter table sample_a add column name text;--> statement-breakpoint\ncreate table sample_b (id int);'];
  const v3: [string, string] = ['0002_third', 'insert into sample_b values (1);'];

  it('plans, applies, and skips versions on upgrade', async () => {
    writeMigrations(folder, [v1]);
    expect((await planMigrations(t.database, [source()])).pending.map((m) => m.tag)).toEqual(['0000_first']);
    await migrate(t.database, [source()]);
    // An upgrade from v1 straight to v3 runs both missing migrations, in order.
    writeMigrations(folder, [v1, v2, v3]);
    const plan = await planMigrations(t.database, [source()]);
    expect(plan.pending.map((m) => m.tag)).toEqual(['0001_second', '0002_third']);
    expect(plan.applied.map((m) => m.tag)).toEqual(['0000_first']);
    const done = await migrate(t.database, [source()]);
    expect(done.pending.map((m) => m.tag)).toEqual(['0001_second', '0002_third']);
    expect((await planMigrations(t.database, [source()])).pending).toEqual([]);
    const [row] = await rows<{ count: number }>(t.database.db, sql`select count(*)::int as count from sample_b`);
    expect(row!.count).toBe(1);
    const ledger = await rows<{ tag: string }>(t.database.db, sql`select tag from "__migrations_sample" order by tag`);
    expect(ledger.map((entry) => entry.tag)).toEqual(['0000_first', '0001_second', '0002_third']);
  });

  it('rolls everything back when one statement fails', async () => {
    writeMigrations(folder, [v1, v2, v3, ['0003_ok', 'create table sample_c (id int);'], ['0004_broken', 'create table sample_d (id int);--> statement-breakpoint\nselect * from no_such_table;']]);
    await expect(migrate(t.database, [source()])).rejects.toThrow(/0004_broken failed/);
    const [exists] = await rows<{ found: boolean }>(t.database.db, sql`select to_regclass('sample_c') is not null as found`);
    expect(exists!.found).toBe(false);
  });

  it('refuses a database migrated by a newer version', async () => {
    writeMigrations(folder, [v1]);
    await expect(planMigrations(t.database, [source()])).rejects.toThrow(MigrationError);
    await expect(planMigrations(t.database, [source()])).rejects.toThrow(/newer Rapport/);
  });

  it('reports an applied migration whose file changed', async () => {
    writeMigrations(folder, [v1, v2, ['0002_third', 'insert into sample_b values (2);']]);
    expect((await planMigrations(t.database, [source()])).modified.map((m) => m.tag)).toEqual(['0002_third']);
  });

  it('lets concurrent migrators apply each migration once', async () => {
    if (t.driver !== 'postgres') return; // one PGlite connection: nothing can run concurrently
    const second = await createTestDatabase('postgres');
    try {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-migrations-'));
      writeMigrations(other, [['0000_slow', 'select pg_sleep(0.3);--> statement-breakpoint\ncreate table raced (id int);']]);
      const { openPostgres } = await import('../src');
      const a = await openPostgres({ url: second.location, max: 1 });
      const b = await openPostgres({ url: second.location, max: 1 });
      const results = await Promise.all([migrate(a, [{ id: 'race', folder: other }]), migrate(b, [{ id: 'race', folder: other }])]);
      expect(results.map((plan) => plan.pending.length).sort()).toEqual([0, 1]);
      await a.close();
      await b.close();
    } finally {
      await second.close();
    }
  });
});
