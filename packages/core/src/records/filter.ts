import { type SQL, and, not, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../access/actor';
import type { Access } from '../access/access';
import { fieldTypes, isoDate, type ValueKind } from '../metadata/field-types';
import { FILTER_OPERATORS, type FieldDefinition, type FilterOperator, type ObjectDefinition } from '../metadata/types';
import type { WorkspaceMetadata } from '../metadata/workspace-metadata';
import { problems, zodIssuesToProblems } from '../problems';
import { fieldValueIndex, recordLink } from '../schema/field-index';
import { ObjectStore, SQL_TYPES } from './object-store';

export interface FilterCondition {
  field: string;
  op: FilterOperator;
  value?: unknown;
}
export type FilterNode = { and: FilterNode[] } | { or: FilterNode[] } | { not: FilterNode } | FilterCondition;

const MAX_CONDITIONS = 100;
const MAX_DEPTH = 6;

export const filterCondition = z.strictObject({
  field: z.string().min(1).max(200),
  op: z.enum(FILTER_OPERATORS),
  value: z.unknown().optional(),
});

export const filterSchema: z.ZodType<FilterNode> = z.lazy(() =>
  z.union([
    z.strictObject({ and: z.array(filterSchema).max(MAX_CONDITIONS) }),
    z.strictObject({ or: z.array(filterSchema).max(MAX_CONDITIONS) }),
    z.strictObject({ not: filterSchema }),
    filterCondition,
  ]),
);

const scalarValue: Record<Exclude<ValueKind, 'json'>, z.ZodType> = {
  text: z.string().max(1000),
  numeric: z.number().refine(Number.isFinite, 'must be a finite number'),
  boolean: z.boolean(),
  date: isoDate,
  timestamptz: z.union([z.iso.datetime({ offset: true }), isoDate], { message: 'must be an ISO 8601 date or date-time' }),
  uuid: z.uuid({ message: 'must be a UUID' }),
  textArray: z.string().max(1000),
};

export interface FilterContext {
  actor: Actor;
  access: Access;
  metadata: WorkspaceMetadata;
  store: ObjectStore;
  /** The row alias' id column, to correlate sub-queries. */
  idColumn: SQL;
}

/** Parses the `filter` parameter (JSON text or an already parsed value). */
export function parseFilter(input: unknown): FilterNode {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw problems.badRequest('"filter" must be JSON', [{ field: 'filter', code: 'invalid_json', message: 'is not valid JSON' }]);
    }
  }
  const result = filterSchema.safeParse(value);
  if (!result.success) throw problems.badRequest('"filter" is not a valid filter', zodIssuesToProblems(result.error.issues, 'filter'));
  let conditions = 0;
  const visit = (node: FilterNode, depth: number) => {
    if (depth > MAX_DEPTH) throw problems.badRequest(`"filter" nests deeper than ${MAX_DEPTH} levels`, [{ field: 'filter', code: 'too_deep', message: `nests deeper than ${MAX_DEPTH} levels` }]);
    if ('and' in node) node.and.forEach((child) => visit(child, depth + 1));
    else if ('or' in node) node.or.forEach((child) => visit(child, depth + 1));
    else if ('not' in node) visit(node.not, depth + 1);
    else if (++conditions > MAX_CONDITIONS) throw problems.badRequest(`"filter" has more than ${MAX_CONDITIONS} conditions`, [{ field: 'filter', code: 'too_big', message: `has more than ${MAX_CONDITIONS} conditions` }]);
  };
  visit(result.data, 0);
  return result.data;
}

/** Resolves `name` or `name.part` to a readable field; hidden fields are refused, never silently ignored. */
export function resolveField(ctx: FilterContext, path: string, purpose: string): { field: FieldDefinition; subfield?: string } {
  const [name, subfield, ...rest] = path.split('.');
  const field = ctx.metadata.field(ctx.store.object, name!);
  if (!field || rest.length > 0 || !ctx.access.canReadField(ctx.store.object, field)) {
    throw problems.badRequest(`Cannot ${purpose} by "${path}": ${ctx.store.object.name} has no such field`, [
      { field: path, code: 'unknown_field', message: `no field "${path}" on ${ctx.store.object.name}` },
    ]);
  }
  return { field, subfield };
}

function valueError(path: string, message: string): never {
  throw problems.badRequest(`Filter on "${path}": ${message}`, [{ field: `filter.${path}`, code: 'invalid_value', message }]);
}

function parseValue(path: string, kind: ValueKind, op: FilterOperator, value: unknown): unknown {
  if (op === 'isNull') {
    if (typeof value !== 'boolean') valueError(path, '"isNull" takes true or false');
    return value;
  }
  if (kind === 'json') valueError(path, `operator "${op}" does not apply to this field`);
  const item = scalarValue[kind];
  const schema = op === 'in' ? z.array(item).min(1).max(500) : op === 'contains' || op === 'startsWith' ? z.string().min(1).max(1000) : item;
  const parsed = schema.safeParse(value);
  if (!parsed.success) valueError(path, zodIssuesToProblems(parsed.error.issues)[0]?.message ?? 'invalid value');
  return parsed.data;
}

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

function cast(value: unknown, kind: ValueKind): SQL {
  return sql`${value}::${sql.raw(SQL_TYPES[kind as keyof typeof SQL_TYPES] ?? 'text')}`;
}

function compare(expr: SQL, kind: ValueKind, op: FilterOperator, value: unknown): SQL {
  switch (op) {
    case 'eq':
      return sql`${expr} = ${cast(value, kind)}`;
    case 'ne':
      return sql`(${expr} <> ${cast(value, kind)} or ${expr} is null)`;
    case 'lt':
      return sql`${expr} < ${cast(value, kind)}`;
    case 'lte':
      return sql`${expr} <= ${cast(value, kind)}`;
    case 'gt':
      return sql`${expr} > ${cast(value, kind)}`;
    case 'gte':
      return sql`${expr} >= ${cast(value, kind)}`;
    case 'in':
      // One array parameter, not one per value: 500 values cost drizzle more to bind than Postgres to run.
      return sql`${expr} = any(${sql.param(value)}::${sql.raw(SQL_TYPES[kind as keyof typeof SQL_TYPES] ?? 'text')}[])`;
    case 'contains':
      return sql`${expr}::text ilike ${`%${likeEscape(value as string)}%`}`;
    case 'startsWith':
      return sql`${expr}::text ilike ${`${likeEscape(value as string)}%`}`;
    case 'isNull':
      return value ? sql`${expr} is null` : sql`${expr} is not null`;
  }
}

const INDEXED_OPERATORS = new Set<FilterOperator>(['eq', 'lt', 'lte', 'gt', 'gte', 'in']);

function compileCondition(ctx: FilterContext, condition: FilterCondition): SQL {
  const { field, subfield } = resolveField(ctx, condition.field, 'filter');
  const type = fieldTypes[field.type];
  const relation = field.config.relation;
  const workspaceId = ctx.metadata.workspaceId;

  if (field.storage.kind === 'link' || field.storage.kind === 'reverse') {
    if (condition.op !== 'contains' && condition.op !== 'isNull') {
      valueError(condition.field, 'a list of related records takes "contains" (a record id) or "isNull"');
    }
    const value = parseValue(condition.field, 'uuid', condition.op === 'contains' ? 'eq' : 'isNull', condition.value);
    let exists: SQL;
    if (field.storage.kind === 'link') {
      const forward = !relation?.inverseOf;
      const fieldKey = forward ? field.key : ctx.metadata.field(ctx.metadata.object(relation!.target), relation!.inverseOf!)!.key;
      const [self, other] = forward ? [recordLink.sourceId, recordLink.targetId] : [recordLink.targetId, recordLink.sourceId];
      exists = sql`exists (select 1 from ${recordLink} where ${recordLink.workspaceId} = ${workspaceId} and ${recordLink.field} = ${fieldKey} and ${self} = ${ctx.idColumn}${
        condition.op === 'contains' ? sql` and ${other} = ${value}::uuid` : sql``
      })`;
    } else {
      const source = new ObjectStore(ctx.metadata.object(relation!.target));
      const pointer = source.expression(ctx.metadata.field(source.object, relation!.inverseOf!)!).sql;
      exists = sql`exists (select 1 from ${source.table} where ${source.scope(workspaceId)} and ${pointer} = ${ctx.idColumn}${
        condition.op === 'contains' ? sql` and ${source.idColumn} = ${value}::uuid` : sql``
      })`;
    }
    return condition.op === 'isNull' && value === true ? sql`not ${exists}` : exists;
  }

  if (!type.operators.includes(condition.op) && subfield === undefined) {
    valueError(condition.field, `operator "${condition.op}" does not apply to a ${field.type} field (use ${type.operators.join(', ')})`);
  }
  const expression = ctx.store.expression(field, subfield);
  let value = parseValue(condition.field, expression.kind, condition.op, condition.value);
  if (field.type === 'email' && typeof value === 'string') value = value.toLowerCase();

  if (expression.kind === 'textArray') {
    if (condition.op === 'isNull') {
      return value
        ? sql`coalesce(jsonb_array_length(${expression.sql}), 0) = 0`
        : sql`coalesce(jsonb_array_length(${expression.sql}), 0) > 0`;
    }
    const wanted = condition.op === 'in' ? (value as string[]) : [value as string];
    return sql`(${expression.sql}) ?| array[${sql.join(wanted.map((item) => sql`${item}`), sql`, `)}]::text[]`;
  }

  // Custom fields marked indexed are filtered through their fixed-shape mirror, which has the indexes.
  if (field.storage.kind === 'custom' && field.indexed && subfield === undefined && type.indexColumn && INDEXED_OPERATORS.has(condition.op)) {
    const column = { value_text: fieldValueIndex.valueText, value_num: fieldValueIndex.valueNum, value_time: fieldValueIndex.valueTime }[type.indexColumn];
    const mirrorKind: ValueKind = type.indexColumn === 'value_num' ? 'numeric' : type.indexColumn === 'value_time' ? 'timestamptz' : 'text';
    return sql`${ctx.idColumn} in (select ${fieldValueIndex.recordId} from ${fieldValueIndex} where ${fieldValueIndex.workspaceId} = ${workspaceId} and ${fieldValueIndex.object} = ${ctx.store.object.name} and ${fieldValueIndex.field} = ${field.name} and ${compare(sql`${column}`, mirrorKind, condition.op, value)})`;
  }
  return compare(expression.sql, expression.kind, condition.op, value);
}

/** A condition that can drive a list from the mirror index: an indexed custom field equal to one value. */
export interface DrivingCondition {
  /** Conditions on field_value_index alone (workspace, object, field, value). */
  mirror: SQL;
  /** The rest of the filter, if any. */
  rest?: FilterNode;
}

/**
 * With the default order (newest first), `indexed field = value` is answered fastest by walking
 * that value's mirror entries in record-id order and joining the records (a handful of rows),
 * instead of walking the records and probing the mirror for each (tens of thousands at 1M).
 */
export function findDrivingCondition(ctx: FilterContext, node: FilterNode): DrivingCondition | null {
  const candidates = 'and' in node ? node.and : [node];
  for (const candidate of candidates) {
    if ('and' in candidate || 'or' in candidate || 'not' in candidate || candidate.op !== 'eq') continue;
    const { field, subfield } = resolveField(ctx, candidate.field, 'filter');
    const type = fieldTypes[field.type];
    if (field.storage.kind !== 'custom' || !field.indexed || subfield !== undefined || !type.indexColumn || type.kind === 'textArray') continue;
    const expression = ctx.store.expression(field);
    let value = parseValue(candidate.field, expression.kind, 'eq', candidate.value);
    if (field.type === 'email' && typeof value === 'string') value = value.toLowerCase();
    const column = { value_text: fieldValueIndex.valueText, value_num: fieldValueIndex.valueNum, value_time: fieldValueIndex.valueTime }[type.indexColumn];
    const mirrorKind: ValueKind = type.indexColumn === 'value_num' ? 'numeric' : type.indexColumn === 'value_time' ? 'timestamptz' : 'text';
    const mirror = sql`${fieldValueIndex.workspaceId} = ${ctx.metadata.workspaceId} and ${fieldValueIndex.object} = ${ctx.store.object.name} and ${fieldValueIndex.field} = ${field.name} and ${compare(sql`${column}`, mirrorKind, 'eq', value)}`;
    const others = candidates.filter((other) => other !== candidate);
    return { mirror, rest: others.length === 0 ? undefined : { and: others } };
  }
  return null;
}

export function compileFilter(ctx: FilterContext, node: FilterNode): SQL {
  if ('and' in node) return node.and.length ? and(...node.and.map((child) => compileFilter(ctx, child)))! : sql`true`;
  if ('or' in node) return node.or.length ? or(...node.or.map((child) => compileFilter(ctx, child)))! : sql`false`;
  if ('not' in node) return not(compileFilter(ctx, node.not));
  return compileCondition(ctx, node);
}

export type { ObjectDefinition };
