import { parsePhoneNumberWithError, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { type FieldType, TEXT_OPERATORS } from './field-type';

import { fitsUtf8, INDEXABLE_BYTES } from '../../text/utf8';

const scalarText = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * A value kept in a btree index (sorting, filters, uniqueness) must fit in PostgreSQL's index row,
 * which counts bytes: 1,000 characters of Chinese or emoji are 3,000 to 4,000 and failed the write.
 */
const indexable = <T extends z.ZodType<string>>(schema: T) =>
  schema.refine((value) => fitsUtf8(value, INDEXABLE_BYTES), {
    message: `must be at most ${INDEXABLE_BYTES} bytes in UTF-8 (a character outside the Latin alphabet takes 2 to 4)`,
    // Too long, as a text over 1000 characters is: a client tells them apart by the message only.
    params: { code: 'too_big' },
  });

export const textType: FieldType = {
  name: 'text',
  value: () => indexable(z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters')),
  kind: 'text',
  operators: TEXT_OPERATORS,
  sortable: true,
  searchableByDefault: true,
  indexColumn: 'value_text',
  indexValues: (value) => [value as string],
  uniqueKey: (value) => (value as string).toLowerCase(),
  searchText: scalarText,
};

export const longTextType: FieldType = {
  ...textType,
  name: 'longText',
  value: () => z.string().max(100_000, 'must be at most 100000 characters'),
  sortable: false,
  searchableByDefault: false,
  indexColumn: null,
  uniqueKey: () => null,
  searchText: (value) => (typeof value === 'string' ? value.slice(0, 2000) : null),
};

export const emailType: FieldType = {
  ...textType,
  name: 'email',
  value: () =>
    z
      .string()
      .trim()
      .max(320)
      .pipe(z.email('must be an email address'))
      .transform((email) => email.toLowerCase()),
};

export const urlType: FieldType = {
  ...textType,
  name: 'url',
  value: () =>
    indexable(
      z
        .string()
        .trim()
        .max(2000)
        .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' })),
    ),
};

export const phoneType: FieldType = {
  ...textType,
  name: 'phone',
  value: (field) =>
    z
      .string()
      .trim()
      .max(64)
      .transform((input, ctx) => {
        try {
          const phone = parsePhoneNumberWithError(input, (field.config.defaultCountry ?? 'FR') as CountryCode);
          if (phone.isValid()) return phone.number as string;
        } catch {
          /* reported below */
        }
        ctx.addIssue({ code: 'custom', message: 'must be a valid phone number (E.164, or national with the default country)' });
        return z.NEVER;
      }),
  searchText: (value) => (typeof value === 'string' ? `${value} ${value.replace(/^\+\d{1,3}/, '0')}` : null),
};
