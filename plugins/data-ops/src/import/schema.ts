import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgSchema, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const dataOpsSchema = pgSchema('plugin_data_ops');

/**
 * One import: the file as received (its format, headers and row count), how it maps onto an object,
 * where the run is, and its totals. Rows wait in `import_row` until the run writes them.
 */
export const dataImport = dataOpsSchema.table(
  'import',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    /** Who uploaded it (kind:id), to list "my imports" and to check who may change it. */
    createdBy: text('created_by').notNull(),
    fileName: text('file_name').notNull(),
    format: text('format').notNull(),
    encoding: text('encoding'),
    delimiter: text('delimiter'),
    headers: jsonb('headers').$type<string[]>().notNull(),
    rowCount: integer('row_count').notNull().default(0),
    /** uploading → ready → running → done | failed; done → undoing → undone */
    status: text('status').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    processed: integer('processed').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** The run's job, run again when its lease lapses (the server running it died). */
    jobId: text('job_id'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('import_workspace_idx').on(t.workspaceId, t.createdAt), index('import_status_idx').on(t.status, t.leaseUntil)],
);

/** A row of an imported file, and what became of it: the record it made or updated, or why not. */
export const importRow = dataOpsSchema.table(
  'import_row',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => dataImport.id, { onDelete: 'cascade' }),
    /** 1 for the first row after the header, as a spreadsheet user counts them (plus one). */
    rowNo: integer('row_no').notNull(),
    cells: jsonb('cells').$type<string[]>().notNull(),
    /** pending → created | updated | skipped | rejected; created/updated → undone */
    status: text('status').notNull().default('pending'),
    recordId: uuid('record_id'),
    /** An updated record's values before the import, for undo. */
    previous: jsonb('previous').$type<Record<string, unknown>>(),
    reason: text('reason'),
    /** The duplicate found: the record, the score and the fields that matched. */
    match: jsonb('match').$type<{ recordId: string; score: number; fields: string[]; inFile: boolean }>(),
    /** Normalised identifying values (email, phone), to find rows of the same file typed twice. */
    keys: text('keys').array(),
    /** For a record it made: where similar names are looked for (company and initials), and the name compared. */
    block: text('block'),
    name: text('name'),
  },
  (t) => [
    primaryKey({ columns: [t.importId, t.rowNo] }),
    index('import_row_status_idx').on(t.importId, t.status, t.rowNo),
    index('import_row_block_idx').on(t.importId, t.block),
    // Is a matched record one this import made? Only rows that made or touched a record are in it.
    index('import_row_record_idx').on(t.importId, t.recordId).where(sql`${t.recordId} is not null`),
  ],
);

/** A saved mapping and cleaning choice, reused for the next file of the same shape. */
export const importTemplate = dataOpsSchema.table(
  'import_template',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id').notNull(),
    object: text('object').notNull(),
    name: text('name').notNull(),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_template_name_idx').on(t.workspaceId, t.object, t.name)],
);

/** Records an import made beside its rows' (a person's company named in the file): undo removes them too. */
export const importRelated = dataOpsSchema.table(
  'import_related',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => dataImport.id, { onDelete: 'cascade' }),
    object: text('object').notNull(),
    recordId: uuid('record_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.object, t.recordId] })],
);
