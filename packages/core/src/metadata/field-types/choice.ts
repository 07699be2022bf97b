import { z } from 'zod';
import { EQUALITY_OPERATORS, type FieldType } from './field-type';
import type { FieldDefinition } from '../types';

function optionValues(field: FieldDefinition): [string, ...string[]] {
  const values = (field.config.options ?? []).map((option) => option.value);
  return values.length > 0 ? (values as [string, ...string[]]) : ['\u0000'];
}

function optionLabel(field: FieldDefinition, value: string): string {
  const option = field.config.options?.find((candidate) => candidate.value === value);
  return option ? [option.labels.en, option.labels.fr].filter(Boolean).join(' ') : value;
}

export const booleanType: FieldType = {
  name: 'boolean',
  value: () => z.boolean(),
  kind: 'boolean',
  operators: ['eq', 'ne', 'isNull'],
  sortable: true,
  searchableByDefault: false,
  indexColumn: 'value_text',
  indexValues: (value) => [String(value)],
  uniqueKey: () => null,
  searchText: () => null,
};

export const selectType: FieldType = {
  name: 'select',
  value: (field) => z.enum(optionValues(field), { message: `must be one of: ${optionValues(field).join(', ')}` }),
  kind: 'text',
  operators: EQUALITY_OPERATORS,
  sortable: true,
  searchableByDefault: false,
  indexColumn: 'value_text',
  indexValues: (value) => [value as string],
  uniqueKey: (value) => value as string,
  searchText: (value, field) => (typeof value === 'string' ? optionLabel(field, value) : null),
};

export const multiSelectType: FieldType = {
  name: 'multiSelect',
  value: (field) =>
    z
      .array(z.enum(optionValues(field), { message: `must be one of: ${optionValues(field).join(', ')}` }))
      .max(200)
      .transform((values) => [...new Set(values)]),
  kind: 'textArray',
  operators: ['contains', 'in', 'isNull'],
  sortable: false,
  searchableByDefault: false,
  indexColumn: 'value_text',
  indexValues: (value) => value as string[],
  uniqueKey: () => null,
  searchText: (value, field) =>
    Array.isArray(value) ? value.map((item) => optionLabel(field, String(item))).join(' ') : null,
};
