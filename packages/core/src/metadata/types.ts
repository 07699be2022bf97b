import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';

export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];

/** A text in English, optionally in French (English is the fallback). */
export interface LocalizedText {
  en: string;
  fr?: string;
}

export const FIELD_TYPES = [
  'text',
  'longText',
  'number',
  'currency',
  'boolean',
  'date',
  'datetime',
  'email',
  'phone',
  'url',
  'select',
  'multiSelect',
  'relation',
  'rating',
  'address',
  'json',
] as const;
export type FieldTypeName = (typeof FIELD_TYPES)[number];

export const FILTER_OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'startsWith', 'isNull'] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export type Owner = 'core' | 'workspace' | `plugin:${string}`;

export type FieldRule =
  | { rule: 'regex'; pattern: string; message?: string }
  | { rule: 'min'; value: number; message?: string }
  | { rule: 'max'; value: number; message?: string }
  | { rule: 'minLength'; value: number; message?: string }
  | { rule: 'maxLength'; value: number; message?: string };

export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

export type ObjectRule =
  /** `closeDate >= createdAt`: checked whenever both sides have a value. */
  | { rule: 'compare'; left: string; op: ComparisonOperator; right: string; message?: string }
  /** `amount` is required when `stage` is one of the listed values. */
  | { rule: 'requiredWhen'; field: string; when: { field: string; in: unknown[] }; message?: string };

export interface SelectOption {
  value: string;
  labels: LocalizedText;
  color?: string;
}

export interface RelationConfig {
  kind: 'manyToOne' | 'manyToMany' | 'oneToMany';
  /** Object name of the other side. */
  target: string;
  /** For manyToOne / manyToMany: the field shown on the target listing this side's records. */
  reverse?: { name: string; labels: LocalizedText };
  /** For manyToMany: fields stored on the link itself (a contact's role on a deal). */
  attributes?: FieldDefinition[];
  /** For a oneToMany reverse field: the relation field it mirrors, on `target`. */
  inverseOf?: string;
}

export interface FieldConfig {
  options?: SelectOption[];
  max?: number;
  integer?: boolean;
  currencies?: string[];
  defaultCountry?: string;
  relation?: RelationConfig;
}

export type FieldStorage =
  /** A typed column of the object's drizzle table; `property` is the drizzle property name. */
  | { kind: 'column'; property: string }
  /** A key of the record's `custom` jsonb column. */
  | { kind: 'custom' }
  /** Rows of record_link (manyToMany). */
  | { kind: 'link' }
  /** Computed from the other side of a relation (oneToMany). */
  | { kind: 'reverse' }
  /** Id, time stamps and owner, present on every record. */
  | { kind: 'system'; property: string };

export interface FieldDefinition {
  key: string;
  name: string;
  type: FieldTypeName;
  labels: LocalizedText;
  description?: LocalizedText;
  required: boolean;
  unique: boolean;
  indexed: boolean;
  searchable: boolean;
  personalData: boolean;
  /** Reads are recorded in the access audit. */
  sensitive: boolean;
  readOnly: boolean;
  default?: unknown;
  config: FieldConfig;
  rules: FieldRule[];
  owner: Owner;
  storage: FieldStorage;
}

export interface ObjectLabels {
  singular: LocalizedText;
  plural: LocalizedText;
}

export type ObjectStorage = { kind: 'table'; table: PgTable & Record<string, PgColumn | unknown> } | { kind: 'customRecord' };

export interface ObjectDefinition {
  key: string;
  name: string;
  labels: ObjectLabels;
  icon: string;
  /** The field a record is found and sorted by, and the first column of its list. */
  labelField: string;
  /**
   * The fields whose values, joined by spaces, name a record wherever one is shown (its page's
   * title, relation chips, search hits, merges): a person is "Jean Dupont", not "Dupont".
   * `[labelField]` unless the object's declaration, or an admin, says otherwise.
   */
  titleFields: string[];
  owner: Owner;
  storage: ObjectStorage;
  /** Fields in display order, system fields first. */
  fields: FieldDefinition[];
  rules: ObjectRule[];
}

export function localized(text: LocalizedText, locale: Locale): string {
  return (locale === 'fr' ? text.fr : undefined) ?? text.en;
}
