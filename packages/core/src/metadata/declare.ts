import type { PgTable } from 'drizzle-orm/pg-core';
import { fieldTypes } from './field-types';
import type {
  FieldConfig,
  FieldDefinition,
  FieldRule,
  FieldTypeName,
  LocalizedText,
  ObjectDefinition,
  ObjectLabels,
  ObjectRule,
  Owner,
} from './types';

/** A field declared in code and stored in a typed column of its object's table. */
export interface FieldDeclaration extends FieldConfig {
  name: string;
  type: FieldTypeName;
  labels: LocalizedText;
  /** Drizzle property of the column (defaults to the field name). */
  column?: string;
  description?: LocalizedText;
  required?: boolean;
  unique?: boolean;
  searchable?: boolean;
  personalData?: boolean;
  /** Reads of it are recorded in the access audit (salary, health, national id…). */
  sensitive?: boolean;
  default?: unknown;
  rules?: FieldRule[];
}

/** An object declared in code: a drizzle table with typed columns, migrated like any table. */
export interface ObjectDeclaration {
  key: string;
  name: string;
  labels: ObjectLabels;
  icon: string;
  labelField: string;
  /** What names a record where one is shown; defaults to `[labelField]` (see ObjectDefinition). */
  titleFields?: string[];
  owner: Owner;
  table: PgTable;
  fields: FieldDeclaration[];
  rules?: ObjectRule[];
}

export function declareObject(declaration: ObjectDeclaration): ObjectDeclaration {
  return declaration;
}

const label = (en: string, fr: string): LocalizedText => ({ en, fr });

/** Present on every record, whatever its storage. */
export function systemFields(objectKey: string, owner: Owner): FieldDefinition[] {
  const system = (
    name: string,
    type: FieldTypeName,
    labels: LocalizedText,
    readOnly = true,
  ): FieldDefinition => ({
    key: `${objectKey}.${name}`,
    name,
    type,
    labels,
    required: false,
    unique: false,
    indexed: false,
    searchable: false,
    personalData: false,
    sensitive: false,
    readOnly,
    config: {},
    rules: [],
    owner,
    storage: { kind: 'system', property: name },
  });
  return [
    system('id', 'text', label('ID', 'ID')),
    system('createdAt', 'datetime', label('Created', 'Créé le')),
    system('updatedAt', 'datetime', label('Updated', 'Modifié le')),
    system('ownerId', 'text', label('Owner', 'Propriétaire'), false),
  ];
}

export function fieldFromDeclaration(objectKey: string, owner: Owner, declaration: FieldDeclaration): FieldDefinition {
  const {
    name,
    type,
    labels,
    column,
    description,
    required,
    unique,
    searchable,
    personalData,
    sensitive,
    rules,
    default: defaultValue,
    ...config
  } = declaration;
  const fieldType = fieldTypes[type];
  const isManyToMany = config.relation?.kind === 'manyToMany';
  return {
    key: `${objectKey}.${name}`,
    name,
    type,
    labels,
    description,
    required: required ?? false,
    unique: unique ?? false,
    indexed: false,
    searchable: searchable ?? fieldType.searchableByDefault,
    personalData: personalData ?? false,
    sensitive: sensitive ?? false,
    readOnly: false,
    default: defaultValue,
    config,
    rules: rules ?? [],
    owner,
    storage: isManyToMany ? { kind: 'link' } : { kind: 'column', property: column ?? name },
  };
}

export function objectFromDeclaration(declaration: ObjectDeclaration): ObjectDefinition {
  return {
    key: declaration.key,
    name: declaration.name,
    labels: declaration.labels,
    icon: declaration.icon,
    labelField: declaration.labelField,
    titleFields: declaration.titleFields ?? [declaration.labelField],
    owner: declaration.owner,
    storage: { kind: 'table', table: declaration.table as Extract<ObjectDefinition['storage'], { kind: 'table' }>['table'] },
    fields: [
      ...systemFields(declaration.key, declaration.owner),
      ...declaration.fields.map((field) => fieldFromDeclaration(declaration.key, declaration.owner, field)),
    ],
    rules: declaration.rules ?? [],
  };
}
