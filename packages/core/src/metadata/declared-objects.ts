import { z } from 'zod';
import { systemFields } from './declare';
import { identifierName, objectInput, RESERVED_OBJECT_NAMES } from './definition-schemas';
import { buildFieldDefinition, canBeLabel, checkObjectRules, checkTitleFields } from './field-validation';
import type { FieldDefinition, ObjectDefinition, Owner } from './types';
import type { WorkspaceMetadata } from './workspace-metadata';
import { type FieldProblem, ProblemError, problems } from '../problems';

/** An object a plugin brings: as the API takes it, plus the fields only the plugin writes. */
export const declaredObjectInput = objectInput.extend({
  /** Fields kept by the plugin alone (a score, a last-activity date): read-only to everyone else. */
  managed: z.array(identifierName).max(50).default([]),
});
export type DeclaredObjectInput = z.output<typeof declaredObjectInput>;

/**
 * Objects a plugin declares in its manifest, checked like objects made through the API (field
 * types, relations, rules — every problem at once) and stored like custom objects (in
 * custom_record), but owned by the plugin: present in every workspace while it is enabled.
 * `base` holds what they may point at: the core's objects and those of the plugins it requires.
 */
export function buildDeclaredObjects(base: WorkspaceMetadata, inputs: DeclaredObjectInput[], owner: Owner): ObjectDefinition[] {
  const found: FieldProblem[] = [];
  const pending = inputs.map((input) => input.name);
  const objects: ObjectDefinition[] = [];
  inputs.forEach((input, objectIndex) => {
    const path = `objects.${objectIndex}`;
    if (RESERVED_OBJECT_NAMES.has(input.name)) found.push({ field: `${path}.name`, code: 'reserved', message: `"${input.name}" is reserved` });
    if (base.findObject(input.name)) found.push({ field: `${path}.name`, code: 'taken', message: `an object named "${input.name}" already exists` });
    const key = `${owner}:${input.name}`;
    const object: ObjectDefinition = { key, name: input.name, labels: input.labels, icon: input.icon, labelField: '', titleFields: [], owner, storage: { kind: 'customRecord' }, fields: systemFields(key, owner), rules: [] };
    const own: FieldDefinition[] = [];
    input.fields.forEach((field, index) => {
      try {
        const definition = { ...buildFieldDefinition(base, object, field, owner, `${path}.fields.${index}`, pending), readOnly: input.managed.includes(field.name) };
        object.fields.push(definition);
        own.push(definition);
      } catch (error) {
        if (!(error instanceof ProblemError) || !error.errors) throw error;
        found.push(...error.errors);
      }
    });
    input.managed.forEach((name, index) => {
      if (!own.some((field) => field.name === name)) found.push({ field: `${path}.managed.${index}`, code: 'unknown_field', message: `there is no field "${name}" in ${input.name}` });
    });
    const labelField = input.labelField ?? own.find((field) => canBeLabel(field.type))?.name;
    const label = own.find((field) => field.name === labelField);
    if (!label || !canBeLabel(label.type)) found.push({ field: `${path}.labelField`, code: 'invalid', message: 'must name a text, email, phone, url or number field of the object' });
    else {
      object.labelField = label.name;
      object.titleFields = input.titleFields ?? [label.name];
      found.push(...checkTitleFields(own, object.titleFields, `${path}.titleFields`));
    }
    try {
      object.rules = checkObjectRules(object.fields, input.rules, `${path}.rules`);
    } catch (error) {
      if (!(error instanceof ProblemError) || !error.errors) throw error;
      found.push(...error.errors);
    }
    objects.push(object);
  });
  if (found.length > 0) throw problems.validation(found, `The objects this plugin declares are not valid: ${found.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`);
  return objects;
}
