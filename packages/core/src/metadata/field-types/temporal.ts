import { z } from 'zod';
import { COMPARE_OPERATORS, type FieldType } from './field-type';

export const isoDate = z.iso.date({ message: 'must be a date as YYYY-MM-DD' });
export const isoDateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date and time with a time zone' })
  .transform((value) => new Date(value).toISOString());

export const dateType: FieldType = {
  name: 'date',
  value: () => isoDate,
  kind: 'date',
  operators: COMPARE_OPERATORS,
  sortable: true,
  searchableByDefault: false,
  indexColumn: 'value_text',
  indexValues: (value) => [value as string],
  uniqueKey: (value) => value as string,
  searchText: () => null,
};

export const datetimeType: FieldType = {
  ...dateType,
  name: 'datetime',
  value: () => isoDateTime,
  kind: 'timestamptz',
  indexColumn: 'value_time',
  uniqueKey: (value) => new Date(value as string).toISOString(),
};
