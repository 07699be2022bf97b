/**
 * How the events of one write's batch are stored in their outbox row, and read back for delivery.
 *
 * A 500-record import batch's events were the largest thing it sent to the database (650 bytes a
 * record, more than the records themselves): each repeated its record's id inside its payload and
 * wrapped every new value of a created record as `{ old: null, new }` under its field's name, which
 * the shared `changes` already lists. Stored instead, per event, as an array: its id, its record,
 * the payload entries of its own, and the new values of the fields it set, in `changes` order.
 * Subscribers get the same payload either way (`decodeBatch`); rows in the earlier form (written
 * before an upgrade, not yet delivered) are still read.
 */

/** An event of a batch as the writer hands it over. */
export interface BatchEvent {
  recordId: string | null;
  payload: Record<string, unknown>;
}

/** [event id, record id, own payload entries, new values of the fields it set (in `changes` order)]. */
export type StoredBatchItem = [string, string | null, Record<string, unknown>] | [string, string | null, Record<string, unknown>, unknown[]];
/** The form written before events were stored as arrays. */
type EarlierBatchItem = { id: string; recordId: string | null; payload: Record<string, unknown> };
export type StoredBatch = (StoredBatchItem | EarlierBatchItem)[];

/** What the row's payload says about its items, beside the entries they share. */
export interface BatchHeader {
  count: number;
  common: Record<string, unknown>;
  /** Every event's payload `id` was its record's id: not stored again. */
  idIsRecord?: true;
}

type Delivered = { id: string; recordId: string | null; payload: Record<string, unknown> };

const isSetOnly = (value: unknown): value is { old: null; new: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 2 && 'new' in value && (value as { old?: unknown }).old === null;

/** The new values of a payload whose `values` only set the fields `changes` names, in that order; else undefined. */
function setValues(payload: Record<string, unknown>, changes: unknown): unknown[] | undefined {
  const values = payload.values;
  if (!Array.isArray(changes) || typeof values !== 'object' || values === null || Array.isArray(values)) return undefined;
  const entries = Object.entries(values);
  if (entries.length !== changes.length || entries.some(([field, value], index) => field !== changes[index] || !isSetOnly(value))) return undefined;
  return entries.map(([, value]) => (value as { new: unknown }).new);
}

export function encodeBatch(events: BatchEvent[], common: Record<string, unknown>, newId: () => string): { header: BatchHeader; batch: StoredBatchItem[] } {
  const idIsRecord = events.every((event) => event.recordId !== null && event.payload.id === event.recordId && !('id' in common));
  const batch = events.map((event): StoredBatchItem => {
    const own: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(event.payload)) if (!(key in common) && !(idIsRecord && key === 'id')) own[key] = value;
    const values = setValues(own, own.changes ?? common.changes);
    if (!values) return [newId(), event.recordId, own];
    delete own.values;
    return [newId(), event.recordId, own, values];
  });
  return { header: { count: events.length, common, ...(idIsRecord ? { idIsRecord: true as const } : {}) }, batch };
}

export function decodeBatch(header: Record<string, unknown>, batch: StoredBatch): Delivered[] {
  const common = (header.common ?? {}) as Record<string, unknown>;
  return batch.map((item) => {
    if (!Array.isArray(item)) return { id: item.id, recordId: item.recordId, payload: { ...common, ...item.payload } };
    const [id, recordId, own, values] = item;
    const payload: Record<string, unknown> = { ...common, ...(header.idIsRecord ? { id: recordId } : {}), ...own };
    if (values) {
      const changes = payload.changes as string[];
      payload.values = Object.fromEntries(changes.map((field, index) => [field, { old: null, new: values[index] }]));
    }
    return { id, recordId, payload };
  });
}
