import type { FieldDefinition, ObjectDefinition } from '../api/queries';

/** One condition of the filter builder; `isNotNull` is `isNull: false` on the wire. */
export interface Condition {
  field: string;
  op: string;
  value: string;
}
export interface SortKey {
  field: string;
  desc: boolean;
}
export interface ListState {
  columns: string[];
  conditions: Condition[];
  match: 'and' | 'or';
  sort: SortKey[];
}

const SYSTEM = new Set(['id', 'createdAt', 'updatedAt', 'ownerId', 'version']);

export function defaultColumns(object: ObjectDefinition): string[] {
  const fields = object.fields.filter((field) => !SYSTEM.has(field.name) && field.relation?.kind !== 'oneToMany' && field.type !== 'json' && field.type !== 'longText');
  const label = fields.find((field) => field.name === object.labelField);
  return [...(label ? [label.name] : []), ...fields.filter((field) => field !== label).slice(0, 6).map((field) => field.name), 'createdAt'].filter((name) => object.fields.some((field) => field.name === name));
}

export const emptyState = (object: ObjectDefinition): ListState => ({ columns: defaultColumns(object), conditions: [], match: 'and', sort: [] });

/** The filter builder's conditions as the API's filter, values typed by their field. */
export function toApiFilter(state: ListState, object: ObjectDefinition): Record<string, unknown> | undefined {
  const conditions = state.conditions
    .filter((condition) => condition.field && condition.op && (condition.op === 'isNull' || condition.op === 'isNotNull' || condition.value.trim() !== ''))
    .map((condition) => {
      const field = object.fields.find((candidate) => candidate.name === condition.field);
      if (condition.op === 'isNull' || condition.op === 'isNotNull') return { field: condition.field, op: 'isNull', value: condition.op === 'isNull' };
      if (condition.op === 'in') return { field: condition.field, op: 'in', value: condition.value.split(',').map((part) => typed(field, part.trim())).filter((part) => part !== '') };
      return { field: condition.field, op: condition.op, value: typed(field, condition.value.trim()) };
    });
  if (conditions.length === 0) return undefined;
  return { [state.match]: conditions };
}

function typed(field: FieldDefinition | undefined, text: string): unknown {
  if (!field) return text;
  if (field.type === 'number' || field.type === 'rating') return text === '' ? '' : Number(text.replace(',', '.'));
  if (field.type === 'currency') return text === '' ? '' : Math.round(Number(text.replace(',', '.')) * 100);
  if (field.type === 'boolean') return text === 'true';
  return text;
}

export const toApiSort = (sort: SortKey[]) => (sort.length ? sort.map((key) => `${key.desc ? '-' : ''}${key.field}`).join(',') : undefined);

/** The API's filter back into builder conditions (for a saved view); what the builder cannot show is kept as it is. */
export function fromApiFilter(filter: unknown): Pick<ListState, 'conditions' | 'match'> {
  const node = filter as Record<string, unknown> | null | undefined;
  const list = (node?.and ?? node?.or ?? (node && 'field' in node ? [node] : [])) as { field: string; op: string; value?: unknown }[];
  return {
    match: node && 'or' in node ? 'or' : 'and',
    conditions: list
      .filter((condition) => typeof condition.field === 'string')
      .map((condition) => ({
        field: condition.field,
        op: condition.op === 'isNull' && condition.value === false ? 'isNotNull' : condition.op,
        value: Array.isArray(condition.value) ? condition.value.join(', ') : condition.value === undefined || typeof condition.value === 'boolean' && condition.op === 'isNull' ? '' : String(condition.value),
      })),
  };
}

export function fromApiSort(sort: string | null | undefined): SortKey[] {
  return (sort ?? '').split(',').filter(Boolean).map((part) => ({ field: part.replace(/^-/, ''), desc: part.startsWith('-') }));
}
