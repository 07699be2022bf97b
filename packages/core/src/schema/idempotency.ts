import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** The answer given to a creating request, replayed when the same key comes again. */
export const idempotencyKey = pgTable(
  'idempotency_key',
  {
    workspaceId: uuid('workspace_id').notNull(),
    actorId: text('actor_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status'),
    response: jsonb('response'),
    headers: jsonb('headers').$type<Record<string, string>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.actorId, t.key] }), index('idempotency_key_created_idx').on(t.createdAt)],
);
