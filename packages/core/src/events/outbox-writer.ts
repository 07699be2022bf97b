import { sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import { insertRows } from '../bulk-insert';
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

/**
 * Writes events in the caller's transaction. The notification is delivered by Postgres only if
 * the transaction commits, which wakes every server's dispatcher at once.
 */
export async function writeEvents(tx: Executor, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await insertRows(tx, outboxEvent, events.map((event) => ({ ...event, id: newId() })));
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, '')`);
}
