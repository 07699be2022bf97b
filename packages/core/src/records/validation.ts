import { z } from 'zod';
import { fieldTypes } from '../metadata/field-types';
import type { FieldDefinition, FieldRule, ObjectDefinition, ObjectRule } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import type { Actor } from '../access/actor';
import { type FieldProblem, problems, zodIssuesToProblems } from '../problems';

/** A field a plugin declared as managed: only that plugin's own identity writes it. */
export function managedBy(field: FieldDefinition, writer: Actor | undefined): boolean {
  return writer?.kind === 'plugin' && field.owner === `plugin:${writer.id}`;
}

/** Fields a client may send: not the system ones (but the owner), not computed reverse lists, not those a plugin manages (but by it). */
export function isWritable(field: FieldDefinition, writer?: Actor): boolean {
  if (field.readOnly) return managedBy(field, writer);
  if (field.storage.kind === 'reverse') return false;
  if (field.storage.kind === 'system') return field.name === 'ownerId';
  return true;
}

function applyRule(schema: z.ZodType, rule: FieldRule): z.ZodType {
  const numeric = (value: unknown): number | undefined =>
    typeof value === 'number'
      ? value
      : value && typeof value === 'object' && 'amountMinor' in value
        ? (value as { amountMinor: number }).amountMinor
        : undefined;
  const length = (value: unknown): number | undefined => (typeof value === 'string' ? [...value].length : undefined);
  switch (rule.rule) {
    case 'regex': {
      const pattern = safeRegExp(rule.pattern);
      return schema.refine((value) => typeof value !== 'string' || pattern.test(value), {
        message: rule.message ?? `must match ${rule.pattern}`,
        params: { rule: 'regex' },
      });
    }
    case 'min':
      return schema.refine((value) => (numeric(value) ?? rule.value) >= rule.value, {
        message: rule.message ?? `must be at least ${rule.value}`,
      });
    case 'max':
      return schema.refine((value) => (numeric(value) ?? rule.value) <= rule.value, {
        message: rule.message ?? `must be at most ${rule.value}`,
      });
    case 'minLength':
      return schema.refine((value) => (length(value) ?? rule.value) >= rule.value, {
        message: rule.message ?? `must be at least ${rule.value} characters`,
      });
    case 'maxLength':
      return schema.refine((value) => (length(value) ?? rule.value) <= rule.value, {
        message: rule.message ?? `must be at most ${rule.value} characters`,
      });
  }
}

/** Patterns come from admins; a pattern that does not compile is refused when the field is saved. */
export function safeRegExp(pattern: string): RegExp {
  return new RegExp(pattern, 'u');
}

export function valueSchema(field: FieldDefinition): z.ZodType {
  if (field.storage.kind === 'system') return z.uuid({ message: 'must be a user id (UUID)' });
  let schema = fieldTypes[field.type].value(field);
  for (const rule of field.rules) schema = applyRule(schema, rule);
  return schema;
}

/** Strict: an unknown field is an error, never silently dropped. */
export function inputSchema(metadata: WorkspaceMetadata, object: ObjectDefinition, writer?: Actor): z.ZodObject {
  const plugin = writer?.kind === 'plugin' ? writer.id : '';
  return metadata.memo(object, `input-schema:${plugin}`, () => {
    const shape: Record<string, z.ZodType> = {};
    for (const field of object.fields) {
      if (isWritable(field, writer)) shape[field.name] = valueSchema(field).nullable().optional();
    }
    return z.strictObject(shape);
  });
}

/** Why a field the writer can see is not theirs to write. */
function readOnlyReason(field: FieldDefinition): string {
  const relation = field.config.relation;
  if (relation?.inverseOf) return `lists the ${relation.target} records whose ${relation.inverseOf} points here: set ${relation.target}.${relation.inverseOf} instead`;
  if (field.storage.kind === 'system') return 'is set by Rapport: read-only';
  return field.owner.startsWith('plugin:') ? `is kept by the plugin ${field.owner.slice('plugin:'.length)}: read-only` : 'is read-only';
}

/**
 * `visible`: whether the writer may see a field. A field they see but may not write is refused as
 * read-only, saying why; one they may not see stays an unknown field, so that nothing leaks.
 */
export function parseInput(
  metadata: WorkspaceMetadata,
  object: ObjectDefinition,
  input: unknown,
  prefix?: string,
  writer?: Actor,
  visible: (field: FieldDefinition) => boolean = () => true,
): Record<string, unknown> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw problems.validation([{ field: prefix ?? '(body)', code: 'invalid_type', message: 'must be a JSON object' }]);
  }
  const readOnly: FieldProblem[] = [];
  for (const name of Object.keys(input)) {
    const field = metadata.field(object, name);
    if (field && !isWritable(field, writer) && visible(field)) readOnly.push({ field: prefix ? `${prefix}.${name}` : name, code: 'read_only', message: readOnlyReason(field) });
  }
  if (readOnly.length > 0) throw problems.validation(readOnly);
  const result = inputSchema(metadata, object, writer).safeParse(input);
  if (!result.success) throw problems.validation(zodIssuesToProblems(result.error.issues, prefix));
  // Keep "absent" and "null" apart: null clears a field, absent leaves it alone.
  const values: Record<string, unknown> = {};
  for (const key of Object.keys(input as object)) values[key] = (result.data as Record<string, unknown>)[key] ?? null;
  return values;
}

export function applyDefaults(object: ObjectDefinition, values: Record<string, unknown>): Record<string, unknown> {
  const complete = { ...values };
  for (const field of object.fields) {
    if (!isWritable(field) || field.default === undefined) continue;
    if (complete[field.name] === undefined) complete[field.name] = field.default;
  }
  return complete;
}

function comparable(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && 'amountMinor' in value) return (value as { amountMinor: number }).amountMinor;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

function compare(left: string | number | boolean, right: string | number | boolean): number {
  if (typeof left === 'string' && typeof right === 'string' && /^\d{4}-\d{2}-\d{2}/.test(left) && /^\d{4}-\d{2}-\d{2}/.test(right)) {
    // A date against a date-time compares by day.
    if (left.length === 10 || right.length === 10) {
      left = left.slice(0, 10);
      right = right.slice(0, 10);
    }
  }
  return left < right ? -1 : left > right ? 1 : 0;
}

const OPERATOR_TEXT = { eq: '=', ne: '≠', lt: '<', lte: '≤', gt: '>', gte: '≥' } as const;

function ruleProblem(rule: ObjectRule, record: Record<string, unknown>): FieldProblem | null {
  if (rule.rule === 'compare') {
    const left = comparable(record[rule.left]);
    const right = comparable(record[rule.right]);
    if (left === null || right === null) return null;
    const order = compare(left, right);
    const ok = { eq: order === 0, ne: order !== 0, lt: order < 0, lte: order <= 0, gt: order > 0, gte: order >= 0 }[rule.op];
    if (ok) return null;
    return {
      field: rule.left,
      code: 'rule_compare',
      message: rule.message ?? `must be ${OPERATOR_TEXT[rule.op]} ${rule.right}`,
    };
  }
  const trigger = record[rule.when.field];
  if (!rule.when.in.some((candidate) => candidate === trigger)) return null;
  const value = record[rule.field];
  if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0)) return null;
  return {
    field: rule.field,
    code: 'rule_required_when',
    message: rule.message ?? `is required when ${rule.when.field} is ${String(trigger)}`,
  };
}

function ruleFields(rule: ObjectRule): string[] {
  return rule.rule === 'compare' ? [rule.left, rule.right] : [rule.field, rule.when.field];
}

/** Required fields and cross-field rules, checked on the record as it will be after the write. */
export function checkRecord(
  object: ObjectDefinition,
  record: Record<string, unknown>,
  touched: ReadonlySet<string> | 'all',
  prefix?: string,
): void {
  const errors: FieldProblem[] = [];
  for (const field of object.fields) {
    if (!field.required || !isWritable(field)) continue;
    if (touched !== 'all' && !touched.has(field.name)) continue;
    const value = record[field.name];
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) {
      errors.push({ field: field.name, code: 'required', message: 'is required' });
    }
  }
  for (const rule of object.rules) {
    // On update, only the rules that involve a changed field: older records stay editable.
    if (touched !== 'all' && !ruleFields(rule).some((name) => touched.has(name))) continue;
    const problem = ruleProblem(rule, record);
    if (problem) errors.push(problem);
  }
  if (errors.length > 0) {
    throw problems.validation(
      errors.map((error) => ({ ...error, field: prefix ? `${prefix}.${error.field}` : error.field })),
    );
  }
}
