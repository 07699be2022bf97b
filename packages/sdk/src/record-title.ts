/**
 * How a record is named where one is shown: its object's `titleFields` (from `records.describe` or
 * the metadata API) joined by spaces ("Jean Dupont"), or null when all are empty. The same rule as
 * the server's search hits and merges, for plugin pages that show records.
 */
export function recordTitle(object: { titleFields: readonly string[] }, record: Record<string, unknown>): string | null {
  const parts = object.titleFields.map((name) => record[name]).filter((value) => value !== null && value !== undefined && String(value).trim() !== '');
  return parts.length > 0 ? parts.map((value) => String(value).trim()).join(' ') : null;
}
