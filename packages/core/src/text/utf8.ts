/**
 * The most bytes a text value kept in a btree index may take: PostgreSQL refuses an index row over
 * 2,704 bytes, and the value shares it with the workspace, object, field and record keys.
 */
export const INDEXABLE_BYTES = 2000;

const encoder = new TextEncoder();

/** The length of a string once encoded as UTF-8. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** Whether a string fits `max` bytes of UTF-8; encoded only when it might not (at most 3 bytes a UTF-16 unit), since every text value of an import is checked. */
export function fitsUtf8(text: string, max: number): boolean {
  return text.length * 3 <= max || utf8Length(text) <= max;
}

/** The longest start of a string that fits in `max` bytes of UTF-8, never cutting a character in two. */
export function truncateUtf8(text: string, max: number): string {
  if (text.length * 3 <= max) return text;
  // encodeInto stops before a character that does not fit whole.
  const { read } = encoder.encodeInto(text, new Uint8Array(max));
  return text.slice(0, read);
}
