import { z } from 'zod';
import { fieldInput, identifierName } from './definition-schemas';
import { buildFieldDefinition } from './field-validation';
import type { FieldDefinition, Owner } from './types';
import type { WorkspaceMetadata } from './workspace-metadata';
import { type FieldProblem, ProblemError, problems } from '../problems';

/** A field a plugin adds to an object it does not own (the core's, or a plugin's it requires). */
export const declaredFieldInput = z.strictObject({
  object: identifierName,
  field: fieldInput,
  /** Kept by the plugin alone (a computed date, a score): read-only to everyone else. */
  managed: z.boolean().default(false),
});
export type DeclaredFieldInput = z.output<typeof declaredFieldInput>;

export interface DeclaredField {
  object: string;
  field: FieldDefinition;
}

/**
 * Fields a plugin declares on other objects, checked like fields added through the API (names,
 * types, relations, rules — every problem at once) and stored like custom fields (in the record's
 * `custom` values), but owned by the plugin: present while it is enabled, their values kept while
 * it is not. `base` holds the objects they may be on and point at: the core's, those of the plugins it
 * requires, and its own (as targets only). They may not be many-to-many relations (their links would outlive the plugin) nor unique.
 */
export function buildDeclaredFields(base: WorkspaceMetadata, inputs: DeclaredFieldInput[], owner: Owner): DeclaredField[] {
  const found: FieldProblem[] = [];
  const declared: DeclaredField[] = [];
  inputs.forEach((input, index) => {
    const path = `fields.${index}`;
    const object = base.findObject(input.object);
    if (!object) {
      found.push({ field: `${path}.object`, code: 'unknown_object', message: `there is no object "${input.object}" (only the core's and those of required plugins)` });
      return;
    }
    if (object.owner === owner) {
      found.push({ field: `${path}.object`, code: 'own_object', message: `${input.object} is this plugin's own object: its fields go in its declaration` });
      return;
    }
    if (input.field.relation?.kind === 'manyToMany') {
      found.push({ field: `${path}.field.relation.kind`, code: 'not_applicable', message: 'a field added to another object may not be manyToMany' });
      return;
    }
    if (input.field.unique) {
      found.push({ field: `${path}.field.unique`, code: 'not_applicable', message: 'a field added to another object may not be unique (existing records could not all be checked)' });
      return;
    }
    // Earlier fields of the same plugin on the same object count as taken too.
    const siblings = declared.filter((other) => other.object === object.name).map((other) => other.field);
    try {
      const field = buildFieldDefinition(base, { ...object, fields: [...object.fields, ...siblings] }, input.field, owner, `${path}.field`);
      declared.push({ object: object.name, field: { ...field, key: `${object.key}.${owner}.${input.field.name}`, readOnly: input.managed } });
    } catch (error) {
      if (!(error instanceof ProblemError) || !error.errors) throw error;
      found.push(...error.errors);
    }
  });
  if (found.length > 0) throw problems.validation(found, `The fields this plugin declares are not valid: ${found.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
  return declared;
}
