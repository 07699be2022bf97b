import { sql } from 'drizzle-orm';
import { boolean, date, integer, jsonb, numeric, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';
import { newId } from '../src/ids';
import { ObjectStore } from '../src/records/object-store';
import type { ObjectDefinition } from '../src/metadata/types';

const scratch = pgTable('select_rows_scratch', {
  id: uuid('id').primaryKey(),
  count: integer('count_of'),
  label: text('label'),
  at: timestamp('at_time', { withTimezone: true }),
  day: date('day'),
  amount: numeric('amount'),
  data: jsonb('data'),
  flag: boolean('flag'),
});

/*
 * ObjectStore.selectRows decodes a select's rows itself (drizzle's decoding of a select allocated a
 * third of a list's memory): the rows must be exactly what drizzle's own select gives, on both drivers.
 */
describeDb('ObjectStore.selectRows: the rows drizzle would give, decoded per table', () => {
  let t: TestCore;
  const store = new ObjectStore({ name: 'scratch', fields: [], storage: { kind: 'table', table: scratch } } as unknown as ObjectDefinition);
  beforeAll(async () => {
    t = await createTestCore();
    await t.core.database.db.execute(
      sql`create table select_rows_scratch (id uuid primary key, count_of integer, label text, at_time timestamptz, day date, amount numeric, data jsonb, flag boolean)`,
    );
    await t.core.database.db.insert(scratch).values([
      { id: newId(), count: 1, label: 'Éloïse "quoted"', at: new Date('2026-12-05T01:02:03.456Z'), day: '2026-02-28', amount: '12.50', data: { a: [1, 'deux'] }, flag: true },
      { id: newId(), count: null, label: null, at: null, day: null, amount: null, data: null, flag: null },
      { id: newId(), count: -7, label: '', at: new Date('1999-12-31T23:59:59.999Z'), day: '1999-01-01', amount: '-0.001', data: 'a string', flag: false },
    ]);
  });
  afterAll(() => t?.close());

  it('gives every column under its property name, decoded as drizzle decodes it, and other selected expressions under their alias', async () => {
    const db = t.core.database.db;
    const expected = await db.select().from(scratch).orderBy(scratch.id);
    const found = await store.selectRows(db, db.select().from(scratch).orderBy(scratch.id));
    expect(found).toEqual(expected);
    expect(found[0]!.at).toBeInstanceOf(Date);
    expect(Object.keys(found[0]!)).toEqual(Object.keys(expected[0]!));

    const listed = await store.selectRows(db, sql`select ${store.columnList}, upper(${scratch.label}) as "__s0" from ${scratch} order by ${scratch.id}`);
    expect(listed.map(({ __s0, ...row }) => row)).toEqual(expected);
    expect(listed.map((row) => row.__s0)).toEqual(expected.map((row) => (row.label === null ? null : row.label.toUpperCase())));
  });
});
