import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';
import { pluginRecords } from '../src/plugins/plugin-records';

describeDb('records.advance: a date moves forward, never back', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(() => t?.close());

  const at = (day: number) => new Date(Date.UTC(2026, 0, day)).toISOString();

  it('writes a later date, leaves the same or an earlier one alone, and says which', async () => {
    const records = pluginRecords(t.core, t.admin);
    const id = String((await records.create('person', { lastName: 'Advance' })).id);
    expect(await records.advance('person', id, 'optInAt', at(10))).toBe(true);
    expect(await records.advance('person', id, 'optInAt', new Date(at(5)))).toBe(false);
    expect(await records.advance('person', id, 'optInAt', at(10))).toBe(false);
    expect((await records.get('person', id)).optInAt).toBe(at(10));
    expect(await records.advance('person', '01a24141-0000-7000-8000-000000000000', 'optInAt', at(11))).toBe(false);
    await expect(records.advance('person', id, 'optInAt', 'not a date')).rejects.toMatchObject({ status: 422 });
  });

  it('ends at the latest date when writers race, and no write in between moved it back', async () => {
    const records = pluginRecords(t.core, t.admin);
    const id = String((await records.create('person', { lastName: 'Raced' })).id);
    const days = [14, 21, 12, 28, 17, 25, 11, 19];
    await Promise.all(days.map((day) => records.advance('person', id, 'optInAt', at(day))));
    expect((await records.get('person', id)).optInAt).toBe(at(28));
    const writes = await rows<{ changes: { field: string; old: string | null; new: string }[] }>(t.core.database.db, sql`select changes from audit_entry where record_id = ${id}::uuid and action = 'updated' order by id`);
    expect(writes.length).toBeGreaterThan(0);
    for (const { changes } of writes) {
      const change = changes.find((candidate) => candidate.field === 'optInAt')!;
      if (change.old) expect(new Date(change.new).getTime()).toBeGreaterThan(new Date(change.old).getTime());
    }
  });
});
