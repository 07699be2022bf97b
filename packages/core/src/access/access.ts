import { type SQL, sql } from 'drizzle-orm';
import type { FieldDefinition, ObjectDefinition } from '../metadata/types';
import { problems } from '../problems';
import type { Actor } from './actor';
import { type AdminArea, fieldAccess, objectRights, type ObjectRights, type RoleDefinition, type Scope } from './role-definition';

export type Verb = 'read' | 'create' | 'update' | 'delete';

/** The columns a record-level rule may use, whatever the object's storage. */
export interface RecordColumns {
  id: SQL;
  ownerId: SQL;
}

/** Whose records an actor reaches, resolved once per actor (see AccessResolver). */
export interface Reach {
  /** The acting user and everyone under them in the manager hierarchy, at any depth. */
  own: readonly string[];
  /** `own` plus the members of the actor's teams. */
  team: readonly string[];
  /** Records shared with the actor or one of their teams, per object. */
  shares: ReadonlyMap<string, { read: readonly string[]; edit: readonly string[] }>;
}

export const NO_REACH: Reach = { own: [], team: [], shares: new Map() };

/**
 * One actor's rights, as every path of the data-access layer asks them: may this verb touch this
 * object, which of its records, which of its fields. Built by the AccessResolver; never by callers.
 */
export class Access {
  constructor(
    readonly actor: Actor,
    readonly roleKey: string,
    readonly definition: RoleDefinition,
    private readonly reach: Reach,
  ) {}

  rights(object: ObjectDefinition | string): ObjectRights {
    return objectRights(this.definition, typeof object === 'string' ? object : object.name);
  }

  scope(object: ObjectDefinition, verb: Verb): Scope {
    const rights = this.rights(object);
    if (verb === 'create') return rights.create ? 'all' : 'none';
    return rights[verb];
  }

  /** Throws a 403 problem when the actor may not use this verb on this object at all. */
  assertObject(object: ObjectDefinition, verb: Verb): void {
    if (this.scope(object, verb) === 'none') {
      throw problems.forbidden(`Your role (${this.roleKey}) does not allow you to ${verb} ${object.labels.plural.en.toLowerCase()}`);
    }
  }

  /** A condition limiting which records the actor may see or change; undefined means all. */
  recordFilter(object: ObjectDefinition, verb: Verb, columns: RecordColumns): SQL | undefined {
    const scope = this.scope(object, verb);
    if (scope === 'all' || verb === 'create') return undefined;
    if (scope === 'none') return sql`false`;
    const owners = scope === 'own' ? this.reach.own : this.reach.team;
    const shared = this.reach.shares.get(object.name);
    const sharedIds = shared ? (verb === 'read' ? [...shared.read, ...shared.edit] : verb === 'update' ? shared.edit : []) : [];
    const conditions: SQL[] = [];
    // One owner (a rep) keeps the condition an equality, so the (owner, id) index serves the list in order.
    if (owners.length === 1) conditions.push(sql`${columns.ownerId} = ${owners[0]}`);
    else if (owners.length > 1) conditions.push(sql`${columns.ownerId} = any(${sql.param(owners)}::uuid[])`);
    if (sharedIds.length > 0) conditions.push(sql`${columns.id} = any(${sql.param(sharedIds)}::uuid[])`);
    if (conditions.length === 0) return sql`false`;
    return conditions.length === 1 ? conditions[0] : sql`(${sql.join(conditions, sql` or `)})`;
  }

  canReadField(object: ObjectDefinition, field: FieldDefinition): boolean {
    const rights = this.rights(object);
    if (rights.read === 'none') return false;
    return field.name === 'id' || fieldAccess(rights, field.name) !== 'hidden';
  }

  canWriteField(object: ObjectDefinition, field: FieldDefinition): boolean {
    const managed = this.actor.kind === 'plugin' && field.owner === `plugin:${this.actor.id}`;
    return (!field.readOnly || managed) && fieldAccess(this.rights(object), field.name) === 'write';
  }

  /** Whether the actor may give a record of this object to `ownerId`: within the records they may update. */
  canAssignOwner(object: ObjectDefinition, ownerId: string): boolean {
    const scope = this.rights(object).update;
    if (scope === 'all') return true;
    if (scope === 'none') return ownerId === this.actor.userId;
    return (scope === 'team' ? this.reach.team : this.reach.own).includes(ownerId);
  }

  hasAdmin(area: AdminArea): boolean {
    return this.definition.admin[area];
  }

  assertAdmin(area: AdminArea): void {
    if (!this.hasAdmin(area)) throw problems.forbidden(`Your role (${this.roleKey}) does not give access to the ${area} administration`);
  }

  assertRight(right: 'export' | 'import'): void {
    if (!this.definition[right]) throw problems.forbidden(`Your role (${this.roleKey}) does not allow ${right}`);
  }
}
