import type { SQL } from 'drizzle-orm';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import type { Actor } from './actor';

export type Verb = 'read' | 'create' | 'update' | 'delete';

/** The columns a record-level rule may use, whatever the object's storage. */
export interface RecordColumns {
  id: SQL;
  ownerId: SQL;
}

/**
 * The permission hook the data-access layer consults on every call, for every path (REST, search,
 * export, plugins, jobs). The core ships `allowWorkspaceMembers`; roles replace it without the
 * callers changing.
 */
export interface AccessPolicy {
  /** Throws a 403 problem when the actor may not use this verb on this object at all. */
  assertObject(actor: Actor, object: ObjectDefinition, verb: Verb): void | Promise<void>;
  /** A condition limiting which records the actor may see or change; undefined means all. */
  recordFilter(actor: Actor, object: ObjectDefinition, verb: Verb, columns: RecordColumns): SQL | undefined;
  canReadField(actor: Actor, object: ObjectDefinition, field: FieldDefinition): boolean;
  canWriteField(actor: Actor, object: ObjectDefinition, field: FieldDefinition): boolean;
}

/** Until roles exist: an authenticated actor may do everything inside its own workspace. */
export const allowWorkspaceMembers: AccessPolicy = {
  assertObject: () => {},
  recordFilter: () => undefined,
  canReadField: () => true,
  canWriteField: (_actor, _object, field) => !field.readOnly,
};
