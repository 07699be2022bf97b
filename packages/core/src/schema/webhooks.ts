import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns';

/** A URL told of a workspace's events, with its creator's rights: what they may not read is not sent. */
export const webhook = pgTable(
  'webhook',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    url: text('url').notNull(),
    /** Event types (`record.created`, `record.*`). */
    events: text('events').array().notNull(),
    /** Only events of these objects; all when null. */
    objects: text('objects').array(),
    /** Signs each delivery (HMAC-SHA256); sealed with the server key, shown once at creation. */
    secret: text('secret').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] })],
);

/** One event to send to one webhook: sent at least once, retried with back-off, its outcome kept. */
export const webhookDelivery = pgTable(
  'webhook_delivery',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    webhookId: uuid('webhook_id').notNull(),
    eventId: uuid('event_id').notNull(),
    /** The body as sent (already filtered by the creator's rights). */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** pending → delivered | failed */
    status: text('status').notNull(),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: createdAt(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('webhook_delivery_event_idx').on(t.webhookId, t.eventId), index('webhook_delivery_due_idx').on(t.status, t.nextAttemptAt), index('webhook_delivery_webhook_idx').on(t.workspaceId, t.webhookId, t.createdAt)],
);
