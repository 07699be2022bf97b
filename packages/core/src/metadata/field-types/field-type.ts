import type { z } from 'zod';
import type { FieldDefinition, FieldTypeName, FilterOperator } from '../types';

/** How a value compares in SQL: decides casts, filter value schemas and the mirror column. */
export type ValueKind = 'text' | 'numeric' | 'boolean' | 'date' | 'timestamptz' | 'uuid' | 'textArray' | 'json';

export interface Subfield {
  /** Key inside the stored JSON object. */
  path: string;
  kind: ValueKind;
}

export interface FieldType {
  name: FieldTypeName;
  /** Schema of a present (non-null) value as the API accepts it; its output is the stored form. */
  value(field: FieldDefinition): z.ZodType;
  kind: ValueKind;
  /** For composite values (currency, address): what the field compares by, inside the JSON. */
  comparePath?: string;
  subfields?: Record<string, Subfield>;
  operators: readonly FilterOperator[];
  sortable: boolean;
  searchableByDefault: boolean;
  /** Column of field_value_index that mirrors it when indexed; null when it cannot be indexed. */
  indexColumn: 'value_text' | 'value_num' | 'value_time' | null;
  /** Values written to field_value_index (several for a multi-select). */
  indexValues(value: unknown): Array<string | number>;
  /** The value compared for uniqueness, or null when the type cannot be unique. */
  uniqueKey(value: unknown): string | null;
  searchText(value: unknown, field: FieldDefinition): string | null;
}

export const COMPARE_OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'isNull'] as const;
export const TEXT_OPERATORS = [...COMPARE_OPERATORS, 'contains', 'startsWith'] as const;
export const EQUALITY_OPERATORS = ['eq', 'ne', 'in', 'isNull'] as const;
