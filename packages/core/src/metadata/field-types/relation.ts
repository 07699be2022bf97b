import { z } from 'zod';
import type { FieldType } from './field-type';
import type { FieldDefinition } from '../types';
import { fieldTypes } from './index';

const recordId = z.uuid({ message: 'must be a record id (UUID)' });

function linkSchema(field: FieldDefinition): z.ZodType {
  const attributes = field.config.relation?.attributes ?? [];
  const shape: Record<string, z.ZodType> = { id: recordId };
  for (const attribute of attributes) {
    const value = fieldTypes[attribute.type].value(attribute);
    shape[attribute.name] = attribute.required ? value : value.nullable().optional();
  }
  const item = z.union([recordId.transform((id) => ({ id })), z.strictObject(shape)]);
  return z
    .array(item)
    .max(1000)
    .superRefine((links, ctx) => {
      const seen = new Set<string>();
      links.forEach((link, index) => {
        const id = (link as { id: string }).id;
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: 'is linked twice' });
        seen.add(id);
      });
    });
}

/**
 * A relation is one field with three shapes: manyToOne (a record id), manyToMany (a list of
 * `{ id, ...attributes }`), and oneToMany (the read-only reverse side of a manyToOne).
 */
export const relationType: FieldType = {
  name: 'relation',
  value: (field) => {
    switch (field.config.relation?.kind) {
      case 'manyToMany':
        return linkSchema(field);
      case 'oneToMany':
        return z.never({ message: 'is read-only: set the relation from the other side' });
      default:
        return recordId;
    }
  },
  kind: 'uuid',
  operators: ['eq', 'ne', 'in', 'isNull'],
  sortable: false,
  searchableByDefault: false,
  indexColumn: 'value_text',
  indexValues: (value) => (typeof value === 'string' ? [value] : []),
  uniqueKey: (value) => (typeof value === 'string' ? value : null),
  searchText: () => null,
};
