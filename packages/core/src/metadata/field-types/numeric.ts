import { z } from 'zod';
import { COMPARE_OPERATORS, type FieldType } from './field-type';

export const numberType: FieldType = {
  name: 'number',
  value: (field) => (field.config.integer ? z.number().int('must be an integer') : z.number().refine(Number.isFinite, 'must be a finite number')),
  kind: 'numeric',
  operators: COMPARE_OPERATORS,
  sortable: true,
  searchableByDefault: false,
  indexColumn: 'value_num',
  indexValues: (value) => [value as number],
  uniqueKey: (value) => String(value),
  searchText: () => null,
};

export const ratingType: FieldType = {
  ...numberType,
  name: 'rating',
  value: (field) => z.number().int('must be a whole number').min(1).max(field.config.max ?? 5),
};

/** ISO 4217 codes known to this runtime (Intl), so that amounts are never tagged with a made-up currency. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine((code) => CURRENCIES.has(code), 'is not a known ISO 4217 currency');

/** Money: an integer amount of minor units (cents) and its currency; never a float. */
export const currencyType: FieldType = {
  name: 'currency',
  value: (field) =>
    z.strictObject({
      amountMinor: z
        .number()
        .int('must be an integer amount of minor units (cents)')
        .min(-Number.MAX_SAFE_INTEGER)
        .max(Number.MAX_SAFE_INTEGER),
      currency: field.config.currencies?.length
        ? z.enum(field.config.currencies as [string, ...string[]], { message: `must be one of ${field.config.currencies.join(', ')}` })
        : currencyCode,
    }),
  kind: 'numeric',
  comparePath: 'amountMinor',
  subfields: { currency: { path: 'currency', kind: 'text' }, amountMinor: { path: 'amountMinor', kind: 'numeric' } },
  operators: COMPARE_OPERATORS,
  sortable: true,
  searchableByDefault: false,
  indexColumn: 'value_num',
  indexValues: (value) => [(value as { amountMinor: number }).amountMinor],
  uniqueKey: () => null,
  searchText: () => null,
};
