import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import type { DeliveredEvent } from '../src';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

describeDb('event delivery', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(() => t?.close());

  it('delivers each event once per subscriber (a batch\'s events from one row), retries a failing one without calling the others again', async () => {
    const seenByA: DeliveredEvent[] = [];
    const seenByB: string[] = [];
    const onlyUpdates: string[] = [];
    let failuresLeft = 1;
    t.core.events.subscribe({ name: 'test:a', handle: async (event) => void seenByA.push(event) });
    t.core.events.subscribe({
      name: 'test:b',
      handle: async (event) => {
        if (failuresLeft-- > 0) throw new Error('flaky');
        seenByB.push(event.id);
      },
    });
    t.core.events.subscribe({ name: 'test:updates', types: ['record.updated'], handle: async (event) => void onlyUpdates.push(event.type) });

    const created = await t.core.records.batch(t.admin, 'company', { operation: 'create', records: [{ name: 'E1' }, { name: 'E2' }, { name: 'E3' }] });
    await t.core.records.update(t.admin, 'company', created.data[0]!.id, { name: 'E1 bis' });
    await t.core.events.drain();
    expect(seenByA.map((event) => event.type)).toEqual(['record.created', 'record.created', 'record.created', 'record.updated']);
    expect(seenByA[0]!.payload).toMatchObject({ object: 'company', id: created.data[0]!.id, actor: { kind: 'user', id: t.admin.id } });
    expect(new Set(seenByA.map((event) => event.id)).size).toBe(4);
    expect(seenByA.slice(0, 3).map((event) => event.recordId)).toEqual(created.data.map((record) => record.id));
    // The batch's three events are one outbox row: B failed on its first, so the three wait for B's retry; the update went through.
    const stored = await rows<{ type: string; events: number }>(t.core.database.db, sql`select type, coalesce(jsonb_array_length(batch), 1)::int as events from outbox_event order by seq`);
    expect(stored).toEqual([{ type: 'record.created', events: 3 }, { type: 'record.updated', events: 1 }]);
    // What the batch's events share (object, actor, here the changed fields too) is stored once and given back to each of them.
    // Each event keeps only its own: its id, its record and the new value of each field it set (see batch-encoding.ts).
    const [createdRow] = await rows<{ common: unknown; item: unknown }>(t.core.database.db, sql`select payload->'common' as common, batch->1 as item from outbox_event where type = 'record.created'`);
    expect(createdRow!.common).toEqual({ object: 'company', actor: { kind: 'user', id: t.admin.id }, changes: ['name'] });
    expect(createdRow!.item).toEqual([seenByA[1]!.id, created.data[1]!.id, {}, ['E2']]);
    expect(seenByA.slice(0, 3).map((event) => event.payload)).toEqual(
      created.data.map((record) => ({ object: 'company', id: record.id, actor: { kind: 'user', id: t.admin.id }, changes: expect.arrayContaining(['name']), values: expect.objectContaining({ name: { old: null, new: record.name } }) })),
    );
    expect(seenByB).toHaveLength(1);
    expect(onlyUpdates).toEqual(['record.updated']);

    // The failed row is due again after its back-off; only B gets it, all three events of it.
    await t.core.database.db.execute(sql`update outbox_event set next_attempt_at = now() where delivered_at is null`);
    await t.core.events.drain();
    expect(seenByB).toHaveLength(4);
    expect(seenByA).toHaveLength(4);
    const [pending] = await rows<{ count: number }>(t.core.database.db, sql`select count(*)::int as count from outbox_event where delivered_at is null`);
    expect(pending!.count).toBe(0);
  });

  it('a subscriber registered again under its name replaces the first and keeps its place (a plugin reloaded)', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const removeFirst = t.core.events.subscribe({ name: 'test:reloaded', types: ['record.created'], handle: async (event) => void first.push(event.id) });
    await t.core.records.create(t.admin, 'company', { name: 'Before the reload' });
    await t.core.events.drain();
    expect(first).toHaveLength(1);
    t.core.events.subscribe({ name: 'test:reloaded', types: ['record.created'], handle: async (event) => void second.push(event.id) });
    removeFirst(); // the old code's disposal leaves the new subscriber alone
    await t.core.records.create(t.admin, 'company', { name: 'After the reload' });
    await t.core.events.drain();
    expect([first.length, second.length]).toEqual([1, 1]); // nothing delivered twice, nothing replayed
  });

  it('writes no event for a refused write', async () => {
    const count = async () => (await rows<{ count: number }>(t.core.database.db, sql`select count(*)::int as count from outbox_event`))[0]!.count;
    const before = await count();
    await expect(t.core.records.batch(t.admin, 'company', { operation: 'create', records: [{ name: 'ok' }, { name: '' }] })).rejects.toMatchObject({ status: 422 });
    expect(await count()).toBe(before);
  });
});
