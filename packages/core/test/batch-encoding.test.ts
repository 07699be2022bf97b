import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../src/events/batch-encoding';

let counter = 0;
const nextId = () => `event-${++counter}`;
const actor = { kind: 'user', id: 'u1' };
const created = (id: string, values: Record<string, unknown>) => ({
  recordId: id,
  payload: { object: 'person', id, actor, changes: Object.keys(values), values: Object.fromEntries(Object.entries(values).map(([field, value]) => [field, { old: null, new: value }])) },
});
const roundTrip = (events: ReturnType<typeof created>[] | { recordId: string | null; payload: Record<string, unknown> }[], common: Record<string, unknown>) => {
  const { header, batch } = encodeBatch(events, common, nextId);
  // Stored as jsonb: what is read back is what JSON keeps.
  const stored = JSON.parse(JSON.stringify({ header, batch })) as { header: Record<string, unknown>; batch: Parameters<typeof decodeBatch>[1] };
  return { header, batch, delivered: decodeBatch(stored.header, stored.batch) };
};

describe('batch events as stored in their outbox row', () => {
  it('gives each created record its payload back, without storing its id twice or wrapping each new value', () => {
    const events = [created('r1', { firstName: 'Zoé', lastName: 'Durand', score: 3, tags: ['a'] }), created('r2', { firstName: 'Léa', lastName: 'Petit', score: null, tags: [] })];
    const { header, batch, delivered } = roundTrip(events, { object: 'person', actor, changes: ['firstName', 'lastName', 'score', 'tags'] });
    expect(delivered.map((event) => event.payload)).toEqual(events.map((event) => event.payload));
    expect(delivered.map((event) => event.recordId)).toEqual(['r1', 'r2']);
    expect(new Set(delivered.map((event) => event.id)).size).toBe(2);
    expect(header.idIsRecord).toBe(true);
    expect(batch[0]).toEqual([expect.any(String), 'r1', {}, ['Zoé', 'Durand', 3, ['a']]]);
    // Field order is the one `changes` gives, as the writer built it.
    expect(Object.keys(delivered[0]!.payload.values as object)).toEqual(['firstName', 'lastName', 'score', 'tags']);
  });

  it('keeps changes of its own per event when they differ (a field left empty), and values that are not only set as they are', () => {
    const updated = { recordId: 'r3', payload: { object: 'person', id: 'r3', actor, changes: ['lastName'], values: { lastName: { old: 'Durant', new: 'Durand' } } } };
    const events = [created('r1', { firstName: 'Zoé', email: 'zoe@example.com' }), created('r2', { firstName: 'Léa' }), updated];
    const { batch, delivered } = roundTrip(events, { object: 'person', actor });
    expect(delivered.map((event) => event.payload)).toEqual(events.map((event) => event.payload));
    expect(batch[1]).toEqual([expect.any(String), 'r2', { changes: ['firstName'] }, ['Léa']]);
    expect(batch[2]![3]).toBeUndefined();
  });

  it('keeps an id that is not the record\'s, other payloads as they are, and reads rows in the earlier form', () => {
    const events = [
      { recordId: 'r1', payload: { id: 'something-else', note: 'x', values: { a: { old: null, new: 1 } } } },
      { recordId: null, payload: { id: 'n1', note: 'y' } },
    ];
    const { header, delivered } = roundTrip(events, {});
    expect(header.idIsRecord).toBeUndefined();
    expect(delivered.map((event) => event.payload)).toEqual(events.map((event) => event.payload));
    const earlier = decodeBatch({ count: 1, common: { object: 'company' } }, [{ id: 'e1', recordId: 'c1', payload: { id: 'c1', changes: ['name'] } }]);
    expect(earlier).toEqual([{ id: 'e1', recordId: 'c1', payload: { object: 'company', id: 'c1', changes: ['name'] } }]);
  });
});
