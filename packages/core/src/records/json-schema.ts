import { z } from 'zod';
import type { FieldDefinition, FieldTypeName, ObjectDefinition } from '../metadata/types';
import { localized } from '../metadata/types';
import { isWritable, valueSchema } from './validation';

type JsonSchema = Record<string, unknown>;

/** What the JSON Schema of a transformed value cannot say (formats and patterns of stored values). */
const TYPE_HINTS: Partial<Record<FieldTypeName, JsonSchema>> = {
  email: { type: 'string', format: 'email' },
  url: { type: 'string', format: 'uri' },
  phone: { type: 'string', description: 'E.164 when read (+33612345678); national numbers are accepted with the default country' },
  datetime: { type: 'string', format: 'date-time' },
  date: { type: 'string', format: 'date' },
};

function toJson(field: FieldDefinition, schema: z.ZodType): JsonSchema {
  // Stored values have the same JSON shape as accepted ones: the input side describes both.
  const { $schema: _, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return { ...json, ...(TYPE_HINTS[field.type] ?? {}) };
}

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

function describe(field: FieldDefinition, schema: JsonSchema): JsonSchema {
  const description = [localized(field.labels, 'en'), field.description ? localized(field.description, 'en') : null, field.personalData ? '(personal data)' : null]
    .filter(Boolean)
    .join(' — ');
  return { ...schema, description, ...(field.readOnly ? { readOnly: true } : {}) };
}

function valueJson(field: FieldDefinition, io: 'input' | 'output'): JsonSchema {
  const relation = field.config.relation;
  if (field.storage.kind === 'system') {
    if (field.name === 'createdAt' || field.name === 'updatedAt') return { type: 'string', format: 'date-time' };
    return { type: 'string', format: 'uuid' };
  }
  if (relation?.kind === 'oneToMany') return { type: 'array', items: { type: 'object', description: `a ${relation.target} record` } };
  if (relation?.kind === 'manyToMany' && io === 'output') {
    const attributes = Object.fromEntries((relation.attributes ?? []).map((attribute) => [attribute.name, nullable(toJson(attribute, valueSchema(attribute)))]));
    return { type: 'array', items: { type: 'object', properties: { id: { type: 'string', format: 'uuid' }, ...attributes }, required: ['id'] } };
  }
  return toJson(field, valueSchema(field));
}

/** JSON Schemas of one object's records, derived from its metadata (custom fields included), for OpenAPI. */
export function recordJsonSchemas(object: ObjectDefinition): { record: JsonSchema; create: JsonSchema; update: JsonSchema } {
  const recordProperties: Record<string, JsonSchema> = {};
  const inputProperties: Record<string, JsonSchema> = {};
  const createProperties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const field of object.fields) {
    const output = valueJson(field, 'output');
    const isSystem = field.storage.kind === 'system';
    recordProperties[field.name] = describe(field, isSystem && field.name !== 'ownerId' ? output : nullable(output));
    if (!isWritable(field)) continue;
    const input = valueJson(field, 'input');
    const mandatory = field.required && field.default === undefined;
    inputProperties[field.name] = describe(field, nullable(input));
    if (mandatory) {
      required.push(field.name);
      createProperties[field.name] = describe(field, input);
    } else createProperties[field.name] = inputProperties[field.name]!;
  }
  const title = localized(object.labels.singular, 'en');
  return {
    record: { type: 'object', title, properties: recordProperties, required: ['id', 'createdAt', 'updatedAt'] },
    create: { type: 'object', title: `New ${title}`, properties: createProperties, required, additionalProperties: false },
    update: { type: 'object', title: `${title} changes`, properties: inputProperties, additionalProperties: false },
  };
}
