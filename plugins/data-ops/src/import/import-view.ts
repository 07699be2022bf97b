import type { ObjectDescription } from '@rapport/sdk/server';
import type { dataImport } from './schema';
import { mappingTargets, suggestMapping } from './mapping';

type ImportRecord = typeof dataImport.$inferSelect;

/** Where a run is: rows done of all, the rate since it started, and the time left at that rate. */
export function progressOf(row: ImportRecord, now = Date.now()) {
  const started = row.startedAt?.getTime();
  const end = row.finishedAt?.getTime() ?? now;
  const seconds = started ? Math.max(0.001, (end - started) / 1000) : 0;
  const rowsPerSecond = started && row.processed > 0 ? Math.round(row.processed / seconds) : null;
  const left = row.rowCount - row.processed;
  return {
    total: row.rowCount,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    rejected: row.rejected,
    rowsPerSecond,
    etaSeconds: row.status === 'running' && rowsPerSecond ? Math.ceil(left / rowsPerSecond) : null,
  };
}

/** An import as the API shows it: the file, its settings, suggestions for its columns, its progress. */
export function importView(row: ImportRecord, object: ObjectDescription | null, samples: string[][] = []) {
  return {
    id: row.id,
    object: row.object,
    fileName: row.fileName,
    format: row.format,
    encoding: row.encoding,
    delimiter: row.delimiter,
    headers: row.headers,
    status: row.status,
    settings: row.settings,
    suggestions: object ? suggestMapping(row.headers, object, samples) : [],
    /** What columns may map to: fields and parts of structured fields, with their labels. */
    targets: object ? mappingTargets(object) : [],
    samples,
    progress: progressOf(row),
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
