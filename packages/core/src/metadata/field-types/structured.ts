import { z } from 'zod';
import type { FieldType } from './field-type';

const part = (max: number) => z.string().trim().max(max).optional();

export const addressType: FieldType = {
  name: 'address',
  value: () =>
    z.strictObject({
      street: part(200),
      street2: part(200),
      postalCode: part(20),
      city: part(100),
      region: part(100),
      country: z
        .string()
        .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code such as FR')
        .optional(),
    }),
  kind: 'json',
  subfields: {
    street: { path: 'street', kind: 'text' },
    postalCode: { path: 'postalCode', kind: 'text' },
    city: { path: 'city', kind: 'text' },
    region: { path: 'region', kind: 'text' },
    country: { path: 'country', kind: 'text' },
  },
  operators: ['isNull'],
  sortable: false,
  searchableByDefault: true,
  indexColumn: null,
  indexValues: () => [],
  uniqueKey: () => null,
  searchText: (value) => {
    if (!value || typeof value !== 'object') return null;
    const address = value as Record<string, string | undefined>;
    return [address.street, address.postalCode, address.city, address.region].filter(Boolean).join(' ') || null;
  },
};

const MAX_JSON_BYTES = 64 * 1024;

export const jsonType: FieldType = {
  name: 'json',
  value: () =>
    z.json().refine((value) => JSON.stringify(value).length <= MAX_JSON_BYTES, {
      message: `must be at most ${MAX_JSON_BYTES} bytes of JSON`,
    }),
  kind: 'json',
  operators: ['isNull'],
  sortable: false,
  searchableByDefault: false,
  indexColumn: null,
  indexValues: () => [],
  uniqueKey: () => null,
  searchText: () => null,
};
