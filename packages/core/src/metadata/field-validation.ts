import type { z } from 'zod';
import { type FieldProblem, problems } from '../problems';
import { fieldTypes } from './field-types';
import {
  type FieldInput,
  RESERVED_FIELD_NAMES,
  type fieldRule,
  type linkAttributeInput,
  type objectRule,
} from './definition-schemas';
import type { FieldDefinition, FieldRule, FieldTypeName, ObjectDefinition, ObjectRule, Owner } from './types';
import type { WorkspaceMetadata } from './workspace-metadata';

const UNIQUE_TYPES = new Set<FieldTypeName>(['text', 'email', 'phone', 'url', 'number', 'date', 'datetime']);
const TEXT_TYPES = new Set<FieldTypeName>(['text', 'longText', 'email', 'phone', 'url']);
const NUMERIC_TYPES = new Set<FieldTypeName>(['number', 'rating', 'currency']);
const LABEL_TYPES = new Set<FieldTypeName>(['text', 'email', 'phone', 'url', 'number']);

export function canBeUnique(type: FieldTypeName): boolean {
  return UNIQUE_TYPES.has(type);
}

export function canBeLabel(type: FieldTypeName): boolean {
  return LABEL_TYPES.has(type);
}

/** Problems with an object's title fields (`titleFields.1`): each must be one of its fields that can be a label. */
export function checkTitleFields(fields: readonly FieldDefinition[], titleFields: readonly string[], path = 'titleFields'): FieldProblem[] {
  return titleFields.flatMap((name, index) => {
    const field = fields.find((candidate) => candidate.name === name);
    if (!field || !canBeLabel(field.type)) return [{ field: `${path}.${index}`, code: 'invalid', message: 'must name a text, email, phone, url or number field of the object' }];
    return titleFields.indexOf(name) === index ? [] : [{ field: `${path}.${index}`, code: 'duplicate', message: `"${name}" is already in the list` }];
  });
}

class Problems {
  readonly list: FieldProblem[] = [];
  add(field: string, code: string, message: string) {
    this.list.push({ field, code, message });
  }
  throwIfAny() {
    if (this.list.length > 0) throw problems.validation(this.list);
  }
}

function checkRules(out: Problems, path: string, type: FieldTypeName, rules: z.output<typeof fieldRule>[]) {
  rules.forEach((rule, index) => {
    const at = `${path}.rules.${index}`;
    if (rule.rule === 'regex') {
      if (!TEXT_TYPES.has(type)) out.add(at, 'rule_not_applicable', `a regex rule applies to text fields, not ${type}`);
      try {
        new RegExp(rule.pattern, 'u');
      } catch (error) {
        out.add(`${at}.pattern`, 'invalid_regex', `is not a valid regular expression (${(error as Error).message})`);
      }
    } else if ((rule.rule === 'min' || rule.rule === 'max') && !NUMERIC_TYPES.has(type)) {
      out.add(at, 'rule_not_applicable', `a ${rule.rule} rule applies to number, rating or currency fields, not ${type}`);
    } else if ((rule.rule === 'minLength' || rule.rule === 'maxLength') && !TEXT_TYPES.has(type)) {
      out.add(at, 'rule_not_applicable', `a ${rule.rule} rule applies to text fields, not ${type}`);
    }
  });
}

function checkTypeConfig(
  out: Problems,
  path: string,
  input: Pick<FieldInput, 'type' | 'options' | 'max' | 'integer' | 'currencies' | 'defaultCountry'> & { relation?: unknown },
) {
  const isChoice = input.type === 'select' || input.type === 'multiSelect';
  if (isChoice && !input.options) out.add(`${path}.options`, 'required', `a ${input.type} field needs its options`);
  if (!isChoice && input.options) out.add(`${path}.options`, 'not_applicable', `only select and multiSelect fields have options`);
  if (input.options) {
    const seen = new Set<string>();
    input.options.forEach((option, index) => {
      if (seen.has(option.value)) out.add(`${path}.options.${index}.value`, 'duplicate', `"${option.value}" appears twice`);
      seen.add(option.value);
    });
  }
  if (input.max !== undefined && input.type !== 'rating') out.add(`${path}.max`, 'not_applicable', 'only rating fields have a max');
  if (input.integer !== undefined && input.type !== 'number') out.add(`${path}.integer`, 'not_applicable', 'only number fields can be integer');
  if (input.currencies !== undefined && input.type !== 'currency') out.add(`${path}.currencies`, 'not_applicable', 'only currency fields have currencies');
  if (input.defaultCountry !== undefined && input.type !== 'phone') out.add(`${path}.defaultCountry`, 'not_applicable', 'only phone fields have a default country');
  if (input.type === 'relation' && !input.relation) out.add(`${path}.relation`, 'required', 'a relation field needs "relation": { kind, target }');
  if (input.type !== 'relation' && input.relation) out.add(`${path}.relation`, 'not_applicable', 'only relation fields have "relation"');
}

function checkDefault(out: Problems, path: string, field: FieldDefinition) {
  if (field.default === undefined || field.default === null) return;
  if (field.type === 'relation') {
    out.add(`${path}.default`, 'not_applicable', 'a relation has no default');
    return;
  }
  const result = fieldTypes[field.type].value(field).safeParse(field.default);
  if (!result.success) out.add(`${path}.default`, 'invalid_default', `is not a valid ${field.type} value: ${result.error.issues[0]?.message}`);
  else field.default = result.data;
}

function attributeDefinition(
  objectKey: string,
  relationName: string,
  input: z.output<typeof linkAttributeInput>,
  owner: Owner,
): FieldDefinition {
  const type = input.type as FieldTypeName;
  return {
    key: `${objectKey}.${relationName}.${input.name}`,
    name: input.name,
    type,
    labels: input.labels,
    description: input.description,
    required: input.required,
    unique: false,
    indexed: false,
    searchable: false,
    personalData: input.personalData,
    sensitive: input.sensitive,
    readOnly: false,
    default: input.default,
    config: {
      options: input.options,
      max: input.max,
      integer: input.integer,
      currencies: input.currencies,
      defaultCountry: input.defaultCountry,
    },
    rules: input.rules as FieldRule[],
    owner,
    storage: { kind: 'custom' },
  };
}

/**
 * Checks a new field against its object and the workspace (names, options, relation targets,
 * rules, defaults) and returns its definition; every problem found is reported at once.
 */
export function buildFieldDefinition(
  metadata: WorkspaceMetadata,
  object: Pick<ObjectDefinition, 'key' | 'name' | 'fields'>,
  input: FieldInput,
  owner: Owner,
  path = 'fields',
  pendingObjects: string[] = [],
): FieldDefinition {
  const out = new Problems();
  if (RESERVED_FIELD_NAMES.has(input.name)) out.add(`${path}.name`, 'reserved', `"${input.name}" is reserved`);
  if (object.fields.some((field) => field.name === input.name)) out.add(`${path}.name`, 'taken', `${object.name} already has a field "${input.name}"`);
  checkTypeConfig(out, path, input);
  checkRules(out, path, input.type, input.rules);
  const type = fieldTypes[input.type];
  if (input.unique && !canBeUnique(input.type)) out.add(`${path}.unique`, 'not_applicable', `a ${input.type} field cannot be unique`);
  const relation = input.relation;
  if (input.indexed && (!type.indexColumn || relation?.kind === 'manyToMany')) out.add(`${path}.indexed`, 'not_applicable', `a ${input.type} field cannot be indexed`);
  if (relation) {
    const targetExists = metadata.findObject(relation.target) || pendingObjects.includes(relation.target) || relation.target === object.name;
    if (!targetExists) out.add(`${path}.relation.target`, 'unknown_object', `there is no object "${relation.target}"`);
    if (relation.reverse) {
      const target = metadata.findObject(relation.target);
      if (RESERVED_FIELD_NAMES.has(relation.reverse.name)) out.add(`${path}.relation.reverse.name`, 'reserved', `"${relation.reverse.name}" is reserved`);
      const clash = relation.target === object.name ? object.fields.some((f) => f.name === relation.reverse!.name) || relation.reverse.name === input.name : target?.fields.some((f) => f.name === relation.reverse!.name);
      if (clash) out.add(`${path}.relation.reverse.name`, 'taken', `${relation.target} already has a field "${relation.reverse.name}"`);
    }
    if (relation.attributes && relation.kind !== 'manyToMany') out.add(`${path}.relation.attributes`, 'not_applicable', 'only manyToMany relations have attributes');
    const names = new Set<string>();
    (relation.attributes ?? []).forEach((attribute, index) => {
      const at = `${path}.relation.attributes.${index}`;
      if (attribute.name === 'id' || attribute.name === 'record' || names.has(attribute.name)) out.add(`${at}.name`, 'taken', `"${attribute.name}" cannot be used here`);
      names.add(attribute.name);
      checkTypeConfig(out, at, { ...attribute, type: attribute.type as FieldTypeName });
      checkRules(out, at, attribute.type as FieldTypeName, attribute.rules);
    });
  }
  out.throwIfAny();
  const definition: FieldDefinition = {
    key: `${object.key}.${input.name}`,
    name: input.name,
    type: input.type,
    labels: input.labels,
    description: input.description,
    required: input.required,
    unique: input.unique,
    indexed: input.indexed,
    searchable: input.searchable ?? type.searchableByDefault,
    personalData: input.personalData,
    sensitive: input.sensitive,
    readOnly: false,
    default: input.default,
    config: {
      options: input.options,
      max: input.max,
      integer: input.integer,
      currencies: input.currencies,
      defaultCountry: input.defaultCountry,
      relation: relation
        ? {
            kind: relation.kind,
            target: relation.target,
            reverse: relation.reverse,
            attributes: relation.attributes?.map((attribute) => attributeDefinition(object.key, input.name, attribute, owner)),
          }
        : undefined,
    },
    rules: input.rules as FieldRule[],
    owner,
    storage: relation?.kind === 'manyToMany' ? { kind: 'link' } : { kind: 'custom' },
  };
  definition.config = JSON.parse(JSON.stringify(definition.config));
  checkDefault(out, path, definition);
  out.throwIfAny();
  return definition;
}

const COMPARABLE: Partial<Record<FieldTypeName, string>> = {
  number: 'number',
  rating: 'number',
  currency: 'number',
  date: 'time',
  datetime: 'time',
  text: 'text',
  email: 'text',
  url: 'text',
  phone: 'text',
  select: 'text',
};

/** Object rules may only name fields that exist and compare values of the same nature. */
export function checkObjectRules(fields: FieldDefinition[], rules: z.output<typeof objectRule>[], path = 'rules'): ObjectRule[] {
  const out = new Problems();
  const byName = new Map(fields.map((field) => [field.name, field]));
  rules.forEach((rule, index) => {
    const at = `${path}.${index}`;
    const names = rule.rule === 'compare' ? [['left', rule.left], ['right', rule.right]] : [['field', rule.field], ['when.field', rule.when.field]];
    for (const [part, name] of names) {
      if (!byName.has(name!)) out.add(`${at}.${part}`, 'unknown_field', `no field "${name}"`);
    }
    if (rule.rule === 'compare' && byName.has(rule.left) && byName.has(rule.right)) {
      const left = COMPARABLE[byName.get(rule.left)!.type];
      const right = COMPARABLE[byName.get(rule.right)!.type];
      if (!left || left !== right) out.add(at, 'incomparable', `${rule.left} (${byName.get(rule.left)!.type}) cannot be compared with ${rule.right} (${byName.get(rule.right)!.type})`);
    }
  });
  out.throwIfAny();
  return rules as ObjectRule[];
}
