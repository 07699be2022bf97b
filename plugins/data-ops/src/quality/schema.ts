import { boolean, date, index, jsonb, numeric, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { dataOpsSchema } from '../import/schema';
import type { QualityMetrics } from './metrics';

/**
 * Objects whose quality is recorded every day, as the user who asked for it (their rights at each run):
 * the day's run is their job run again, and `jobId` follows it from one day to the next.
 */
export const qualityTracking = dataOpsSchema.table(
  'quality_tracking',
  {
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    startedBy: text('started_by').notNull(),
    jobId: text('job_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('quality_tracking_object_idx').on(t.workspaceId, t.object)],
);

/** One day's figures for an object (the last measure of the day wins). */
export const qualitySnapshot = dataOpsSchema.table(
  'quality_snapshot',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    day: date('day').notNull(),
    takenAt: timestamp('taken_at', { withTimezone: true }).notNull(),
    takenBy: text('taken_by').notNull(),
    metrics: jsonb('metrics').$type<QualityMetrics>().notNull(),
  },
  (t) => [uniqueIndex('quality_snapshot_day_idx').on(t.workspaceId, t.object, t.day)],
);

/** A user's threshold on a metric: told in the app when a measure crosses it (not again until it crosses back). */
export const qualityAlert = dataOpsSchema.table(
  'quality_alert',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    ownerId: uuid('owner_id').notNull(),
    object: text('object').notNull(),
    metric: text('metric').notNull(),
    /** For `completeness`: the field measured. */
    field: text('field'),
    direction: text('direction').$type<'above' | 'below'>().notNull(),
    unit: text('unit').$type<'count' | 'percent'>().notNull(),
    threshold: numeric('threshold', { mode: 'number' }).notNull(),
    /** Whether the last measure was past the threshold (null before the first). */
    breached: boolean('breached'),
    lastValue: numeric('last_value', { mode: 'number' }),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('quality_alert_object_idx').on(t.workspaceId, t.object)],
);
