import { z } from 'zod';
import { currencyCode } from './field-types';
import { FIELD_TYPES } from './types';

/** API names: camelCase, starting with a letter. They never change; labels do. */
export const identifierName = z
  .string()
  .regex(/^[a-z][a-zA-Z0-9]{0,62}$/, 'must be camelCase: a lower-case letter, then letters and digits (at most 63)');

export const RESERVED_FIELD_NAMES = new Set([
  'id',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'ownerId',
  'version',
  'custom',
  'object',
  'workspaceId',
  'record',
]);

export const RESERVED_OBJECT_NAMES = new Set(['query', 'batch', 'search', 'metadata', 'records', 'user', 'workspace']);

export const localizedText = z.strictObject({
  en: z.string().trim().min(1, 'must not be empty').max(200),
  fr: z.string().trim().min(1, 'must not be empty').max(200).optional(),
});

export const objectLabels = z.strictObject({ singular: localizedText, plural: localizedText });

export const selectOption = z.strictObject({
  value: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/, 'must be letters, digits, "_", "." or "-" (at most 100)'),
  labels: localizedText,
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #3366ff')
    .optional(),
});

const message = z.string().max(300).optional();

export const fieldRule = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('regex'), pattern: z.string().min(1).max(500), message }),
  z.strictObject({ rule: z.literal('min'), value: z.number(), message }),
  z.strictObject({ rule: z.literal('max'), value: z.number(), message }),
  z.strictObject({ rule: z.literal('minLength'), value: z.number().int().min(0), message }),
  z.strictObject({ rule: z.literal('maxLength'), value: z.number().int().min(1), message }),
]);

export const comparisonOperator = z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte']);

export const objectRule = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('compare'), left: z.string(), op: comparisonOperator, right: z.string(), message }),
  z.strictObject({
    rule: z.literal('requiredWhen'),
    field: z.string(),
    when: z.strictObject({ field: z.string(), in: z.array(z.unknown()).min(1).max(100) }),
    message,
  }),
]);

const fieldCommon = {
  name: identifierName,
  labels: localizedText,
  description: localizedText.optional(),
  required: z.boolean().default(false),
  personalData: z.boolean().default(false),
  sensitive: z.boolean().default(false).describe('Reads of this field are recorded in the access audit'),
  default: z.unknown().optional(),
  rules: z.array(fieldRule).max(20).default([]),
  options: z.array(selectOption).min(1).max(500).optional(),
  max: z.number().int().min(1).max(10).optional(),
  integer: z.boolean().optional(),
  currencies: z.array(currencyCode).min(1).max(50).optional(),
  defaultCountry: z
    .string()
    .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code')
    .optional(),
};

const scalarTypes = FIELD_TYPES.filter((type) => type !== 'relation');

/** A field stored on a many-to-many link (its attributes): scalar, never unique or indexed. */
export const linkAttributeInput = z.strictObject({ ...fieldCommon, type: z.enum(scalarTypes as [string, ...string[]]) });

export const relationInput = z.strictObject({
  kind: z.enum(['manyToOne', 'manyToMany']),
  target: identifierName,
  reverse: z.strictObject({ name: identifierName, labels: localizedText }).optional(),
  attributes: z.array(linkAttributeInput).max(20).optional(),
});

export const fieldInput = z.strictObject({
  ...fieldCommon,
  type: z.enum(FIELD_TYPES),
  unique: z.boolean().default(false),
  indexed: z.boolean().default(false),
  searchable: z.boolean().optional(),
  relation: relationInput.optional(),
});
export type FieldInput = z.output<typeof fieldInput>;

/** What may change on an existing field: never its name or type (data depends on them). */
export const fieldPatch = z.strictObject({
  labels: localizedText.optional(),
  description: localizedText.nullable().optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  indexed: z.boolean().optional(),
  searchable: z.boolean().optional(),
  personalData: z.boolean().optional(),
  sensitive: z.boolean().optional(),
  default: z.unknown().optional(),
  rules: z.array(fieldRule).max(20).optional(),
  options: z.array(selectOption).min(1).max(500).optional(),
});
export type FieldPatch = z.output<typeof fieldPatch>;

export const objectInput = z.strictObject({
  name: identifierName,
  labels: objectLabels,
  icon: z.string().max(50).default('box'),
  labelField: identifierName.optional(),
  /** What names a record where one is shown ("Jean Dupont"); `[labelField]` when left out. */
  titleFields: z.array(identifierName).min(1).max(4).optional(),
  fields: z.array(fieldInput).max(200).default([]),
  rules: z.array(objectRule).max(50).default([]),
});
export type ObjectInput = z.output<typeof objectInput>;

export const objectPatch = z.strictObject({
  labels: objectLabels.optional(),
  icon: z.string().max(50).optional(),
  labelField: identifierName.optional(),
  /** Left out with a new labelField: the records are then named by that field alone. */
  titleFields: z.array(identifierName).min(1).max(4).optional(),
  rules: z.array(objectRule).max(50).optional(),
});
export type ObjectPatch = z.output<typeof objectPatch>;
