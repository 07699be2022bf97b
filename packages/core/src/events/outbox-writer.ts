import { sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import { insertRows } from '../bulk-insert';
import { encodeBatch } from './batch-encoding';
import { newId } from '../ids';
import { outboxEvent } from '../schema/outbox';

export const OUTBOX_CHANNEL = 'rapport_outbox';

export interface NewEvent {
  workspaceId: string;
  type: string;
  object?: string;
  recordId?: string;
  payload: Record<string, unknown>;
}

type OutboxRow = typeof outboxEvent.$inferInsert;

/**
 * One row per kind of event of a write: the events of a 500-record batch share one row, so that
 * delivering them costs one claim and one commit per subscriber instead of 500 (see `batch`).
 */
function rowsOf(events: NewEvent[]): OutboxRow[] {
  const groups = new Map<string, NewEvent[]>();
  for (const event of events) {
    const key = `${event.workspaceId}\u0000${event.type}\u0000${event.object ?? ''}`;
    const group = groups.get(key);
    if (group) group.push(event);
    else groups.set(key, [event]);
  }
  return [...groups.values()].map((group) => {
    const [first] = group as [NewEvent];
    if (group.length === 1) return { ...first, id: newId() };
    const { header, batch } = encodeBatch(
      group.map((event) => ({ recordId: event.recordId ?? null, payload: event.payload })),
      commonEntries(group.map((event) => event.payload)),
      newId,
    );
    return { id: newId(), workspaceId: first.workspaceId, type: first.type, object: first.object, payload: { ...header }, batch };
  });
}

/**
 * The payload entries all events of a batch share (the object, the actor), kept once in the row's
 * payload and given back to each event on delivery (`eventsOf`): they were a sixth of a batch's row.
 */
function commonEntries(payloads: Record<string, unknown>[]): Record<string, unknown> {
  const [first, ...others] = payloads as [Record<string, unknown>, ...Record<string, unknown>[]];
  const common: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : undefined;
    const same = (other: unknown) => (text === undefined ? other === value : typeof other === 'object' && other !== null && JSON.stringify(other) === text);
    if (others.every((payload) => key in payload && same(payload[key]))) common[key] = value;
  }
  return common;
}

/**
 * Writes events in the caller's transaction. The notification is delivered by Postgres only if
 * the transaction commits, which wakes every server's dispatcher at once.
 */
export async function writeEvents(tx: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertRows(tx, outboxEvent, rowsOf(events));
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
