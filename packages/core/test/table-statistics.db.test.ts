import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';
import { ANALYZE_AT_LEAST, analysisThreshold } from '../src/records/table-statistics';

describeDb('table statistics', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(() => t?.close());

  const estimated = async (table: string) => {
    const [row] = await rows<{ n: number }>(t.core.database.db, sql`select reltuples::float8 as n from pg_class where oid = to_regclass(${table})`);
    return Number(row!.n);
  };
  const analyses: string[] = [];
  beforeAll(() => {
    t.core.database.onQuery((query) => {
      if (query.startsWith('analyze')) analyses.push(query);
    });
  });
  const companies = (count: number, from: number) => Array.from({ length: count }, (_, index) => ({ name: `Statistics ${from + index}` }));

  it('analyzes a table once enough rows were written to it since its last analysis, not before, and not for a write rolled back', async () => {
    const before = await estimated('company');
    await t.core.records.batch(t.admin, 'company', { operation: 'create', records: companies(ANALYZE_AT_LEAST - 1, 0) });
    // A rolled-back batch (its last record invalid) counts for nothing.
    await expect(t.core.records.batch(t.admin, 'company', { operation: 'create', records: [...companies(10, 5000), { name: 42 }] })).rejects.toMatchObject({ status: 422 });
    await t.core.records.statistics.idle();
    expect(await estimated('company')).toBe(before);

    // Counted when the transaction commits. (Not awaited inside it: on the embedded database the
    // analysis waits for the transaction to end.)
    await t.core.records.transaction((tx) => t.core.records.create(t.admin, 'company', { name: 'The last one' }, { tx }));
    await t.core.records.statistics.idle();
    expect(await estimated('company')).toBeGreaterThanOrEqual(ANALYZE_AT_LEAST);
    // The audit and search entries the writes made grew their tables too (a company has more than one
    // searchable field: its search entries reached the threshold with the first batch). Only read
    // after a load, they are analyzed here on the embedded database, which has no autovacuum, and on a
    // PostgreSQL server with autovacuum off (this machine's); otherwise autovacuum does it.
    const analyzed = analyses.join('\n');
    expect(analyzed).toContain('analyze "company"');
    const [{ on: autovacuum }] = (await rows<{ on: boolean }>(t.core.database.db, sql`select current_setting('autovacuum') = 'on' as on`)) as [{ on: boolean }];
    for (const table of ['audit_entry', 'search_entry']) {
      if (t.core.database.driver === 'pglite' || !autovacuum) {
        expect(analyzed).toContain(`analyze "${table}"`);
        expect(await estimated(table)).toBeGreaterThanOrEqual(ANALYZE_AT_LEAST - 1);
      } else {
        expect(analyzed).not.toContain(`analyze "${table}"`);
      }
    }
  });

  it('analyzes again once the table doubled (ANALYZE_AT_LEAST rows, for a small one)', async () => {
    const size = await estimated('company');
    const threshold = analysisThreshold(size);
    expect(threshold).toBeGreaterThanOrEqual(size);
    for (let done = 0; done < threshold - 1; done += 500) {
      await t.core.records.batch(t.admin, 'company', { operation: 'create', records: companies(Math.min(500, threshold - 1 - done), 10_000 + done) });
    }
    await t.core.records.statistics.idle();
    expect(await estimated('company')).toBe(size);
    await t.core.records.batch(t.admin, 'company', { operation: 'create', records: companies(1, 20_000) });
    await t.core.records.statistics.idle();
    expect(await estimated('company')).toBeGreaterThanOrEqual(size + threshold);
  });
});
