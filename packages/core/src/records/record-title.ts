import type { ObjectDefinition } from '../metadata/types';

/** How a record is named where one is shown: its title fields' values joined by spaces ("Jean Dupont"), or null. Plugins have the same rule in `@rapport/sdk` (which the core cannot import). */
export function recordTitle(object: Pick<ObjectDefinition, 'titleFields'>, record: Record<string, unknown>): string | null {
  const parts = object.titleFields.map((name) => record[name]).filter((value) => value !== null && value !== undefined && String(value).trim() !== '');
  return parts.length > 0 ? parts.map((value) => String(value).trim()).join(' ') : null;
}
