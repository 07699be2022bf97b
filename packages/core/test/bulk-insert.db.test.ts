import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';
import { insertRows } from '../src/bulk-insert';
import { newId } from '../src/ids';

const scratch = pgTable('bulk_insert_scratch', {
  id: uuid('id').primaryKey(),
  n: integer('n'),
  label: text('label'),
  at: timestamp('at', { withTimezone: true }),
  data: jsonb('data'),
  flag: boolean('flag'),
  note: text('note').default('kept'),
});

describeDb('insertRows: many rows in one statement, what every row of a chunk shares sent once', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
    await t.core.database.db.execute(
      sql`create table bulk_insert_scratch (id uuid primary key, n integer, label text, at timestamptz, data jsonb, flag boolean, note text default 'kept')`,
    );
  });
  afterAll(() => t?.close());

  it('stores each row as given, whether a column is the same in every row of a chunk or not', async () => {
    const at = new Date('2026-12-04T10:00:00.000Z');
    const ids = Array.from({ length: 5 }, () => newId());
    const given = [
      // First chunk (2 rows): label, at, flag and the jsonb string the same in both; n differs.
      { id: ids[0]!, n: 1, label: 'même', at, data: 'x', flag: true },
      { id: ids[1]!, n: 2, label: 'même', at, data: 'x', flag: true },
      // Second chunk: the same objects in jsonb (sent with the rows), a label left out in one row (null), n null in both.
      { id: ids[2]!, n: null, label: 'autre', at: new Date('2026-01-01T00:00:00.000Z'), data: { a: [1, 2] }, flag: false },
      { id: ids[3]!, n: null, at, data: { a: [1, 2] }, flag: false },
      // Third chunk: one row alone, every column "constant".
      { id: ids[4]!, n: 5, label: "l'apostrophe \"et\" \\", at, data: null, flag: null },
    ];
    const sent: unknown[][] = [];
    t.core.database.onQuery((query, params) => {
      if (query.startsWith('insert into "bulk_insert_scratch"')) sent.push(params);
    });
    await insertRows(t.core.database.db, scratch, given, 2);
    // The first chunk's shared values went once, beside rows that only carry what differs.
    expect(sent).toHaveLength(3);
    expect(JSON.parse(sent[0]![0] as string)).toEqual([{ id: ids[0], n: 1 }, { id: ids[1], n: 2 }]);
    expect(JSON.parse(sent[0]![1] as string)).toEqual({ label: 'même', at: at.toISOString(), data: 'x', flag: true });
    const stored = await rows<Record<string, unknown>>(
      t.core.database.db,
      sql`select id, n, label, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as at, data, flag, note from bulk_insert_scratch order by id`,
    );
    const iso = (date: Date) => date.toISOString().slice(0, 19);
    expect(stored).toEqual(
      given
        .map((row) => ({ id: row.id, n: row.n, label: row.label ?? null, at: iso(row.at), data: row.data, flag: row.flag, note: 'kept' }))
        .sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
  });
});
