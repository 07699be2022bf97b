import { sql } from 'drizzle-orm';
import type { StoredBatch } from '../events/batch-encoding';
import { bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Events written in the transaction of the change they describe, then handed to subscribers by the
 * dispatcher after commit. The dispatcher works across workspaces, hence its own pending index.
 */
export const outboxEvent = pgTable(
  'outbox_event',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().unique(),
    workspaceId: uuid('workspace_id').notNull(),
    type: text('type').notNull(),
    object: text('object'),
    recordId: uuid('record_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /**
     * A write of many records keeps their events in one row (type and object shared, each its own
     * id, record and payload): a 500-record batch costs one row, one claim and one delivery per
     * subscriber, not 500. Subscribers still get them one by one. The payload entries they all share are
     * kept once, in the row's `payload.common`; see events/batch-encoding.ts for the form of each.
     */
    batch: jsonb('batch').$type<StoredBatch>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_event_pending_idx').on(t.seq).where(sql`${t.deliveredAt} is null`)],
);

/** Which subscriber has handled which event: written with the subscriber's own effects, so each runs once. */
export const outboxDelivery = pgTable(
  'outbox_delivery',
  {
    subscriber: text('subscriber').notNull(),
    eventId: uuid('event_id').notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.subscriber, t.eventId] })],
);
