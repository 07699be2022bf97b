import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import type { Access } from '../access/access';
import type { AccessResolver } from '../access/access-resolver';
import type { Actor } from '../access/actor';
import { newId } from '../ids';
import type { ObjectDefinition } from '../metadata/types';
import { type FieldProblem, parseOrThrow, problems } from '../problems';
import { parseFilter } from '../records/filter';
import type { RecordService } from '../records/record-service';
import { teamMember } from '../schema/access';
import { savedView } from '../schema/views';

const visibility = z.enum(['private', 'team', 'workspace']);
const name = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const columns = z.array(z.string().min(1).max(200)).max(100, 'must list at most 100 fields');

export const newViewSchema = z.strictObject({
  object: z.string().min(1).max(100),
  name,
  columns: columns.default([]),
  filter: z.unknown().optional().describe('A filter as GET /api/v1/records/{object}?filter= takes it, or null'),
  sort: z.string().max(500).nullable().optional().describe('As the list takes it: "-createdAt,name"'),
  groupBy: z.string().max(200).nullable().optional().describe('A select field to group by (kanban)'),
  visibility: visibility.default('private'),
  teamId: z.uuid().nullable().optional(),
});
/** Without defaults: a field left out of a patch stays as it is. */
export const viewPatchSchema = z.strictObject({
  name: name.optional(),
  columns: columns.optional(),
  filter: z.unknown().optional(),
  sort: z.string().max(500).nullable().optional(),
  groupBy: z.string().max(200).nullable().optional(),
  visibility: visibility.optional(),
  teamId: z.uuid().nullable().optional(),
});

export interface ViewView {
  id: string;
  object: string;
  name: string;
  columns: string[];
  filter: unknown;
  sort: string | null;
  groupBy: string | null;
  visibility: 'private' | 'team' | 'workspace';
  teamId: string | null;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

type Row = typeof savedView.$inferSelect;

/**
 * Saved views of lists, checked like records: the caller must read the object; columns, filter, sort
 * and grouping may only name fields the caller may read (the same rules as the list itself, which
 * checks them); a view is seen by its owner, its team or the workspace. Changing a shared view is for
 * its owner or a settings admin.
 */
export class ViewService {
  constructor(
    private readonly database: Database,
    private readonly resolver: AccessResolver,
    private readonly records: RecordService,
  ) {}

  async list(actor: Actor, objectName: string): Promise<ViewView[]> {
    const { object, access } = await this.readable(actor, objectName);
    const rows = await this.database.db
      .select()
      .from(savedView)
      .where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.object, object.name), await this.visibleTo(actor)))
      .orderBy(savedView.name);
    return rows.map((row) => present(row, object, access));
  }

  async get(actor: Actor, id: string): Promise<ViewView> {
    const row = await this.find(actor, id);
    const { object, access } = await this.readable(actor, row.object);
    return present(row, object, access);
  }

  async create(actor: Actor, body: unknown): Promise<ViewView> {
    const input = parseOrThrow(newViewSchema, body);
    const { object, access } = await this.readable(actor, input.object);
    if (!actor.userId) throw problems.forbidden('views belong to users: an API key cannot save one');
    const view = { name: input.name, columns: input.columns, filter: normalFilter(input.filter), sort: input.sort ?? null, groupBy: input.groupBy ?? null, visibility: input.visibility, teamId: input.teamId ?? null };
    await this.check(actor, access, object, view);
    const id = newId();
    const [row] = await this.database.db
      .insert(savedView)
      .values({ workspaceId: actor.workspaceId, id, object: object.name, ownerId: actor.userId, ...view })
      .returning();
    return present(row!, object, access);
  }

  async update(actor: Actor, id: string, body: unknown): Promise<ViewView> {
    const patch = parseOrThrow(viewPatchSchema, body);
    const row = await this.find(actor, id);
    const { object, access } = await this.readable(actor, row.object);
    this.assertMayChange(actor, access, row);
    const next = {
      name: patch.name ?? row.name,
      columns: patch.columns ?? row.columns,
      filter: patch.filter !== undefined ? normalFilter(patch.filter) : row.filter,
      sort: patch.sort !== undefined ? patch.sort : row.sort,
      groupBy: patch.groupBy !== undefined ? patch.groupBy : row.groupBy,
      visibility: patch.visibility ?? (row.visibility as ViewView['visibility']),
      teamId: patch.teamId !== undefined ? patch.teamId : patch.visibility && patch.visibility !== 'team' ? null : row.teamId,
    };
    await this.check(actor, access, object, next);
    const [updated] = await this.database.db
      .update(savedView)
      .set({ ...next, updatedAt: sql`now()` })
      .where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.id, id)))
      .returning();
    return present(updated!, object, access);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.find(actor, id);
    this.assertMayChange(actor, await this.resolver.resolve(actor), row);
    await this.database.db.delete(savedView).where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.id, id)));
  }

  private async readable(actor: Actor, objectName: string): Promise<{ object: ObjectDefinition; access: Access }> {
    const [metadata, access] = await Promise.all([this.records.metadata(actor), this.resolver.resolve(actor)]);
    const object = metadata.objects.get(objectName);
    if (!object || access.rights(object).read === 'none') throw problems.notFound(`There is no object "${objectName}"`);
    return { object, access };
  }

  private async myTeams(actor: Actor): Promise<string[]> {
    if (!actor.userId) return [];
    const rows = await this.database.db.select({ teamId: teamMember.teamId }).from(teamMember).where(and(eq(teamMember.workspaceId, actor.workspaceId), eq(teamMember.userId, actor.userId)));
    return rows.map((row) => row.teamId);
  }

  private async visibleTo(actor: Actor) {
    const teams = await this.myTeams(actor);
    return or(
      eq(savedView.visibility, 'workspace'),
      actor.userId ? eq(savedView.ownerId, actor.userId) : undefined,
      teams.length ? and(eq(savedView.visibility, 'team'), inArray(savedView.teamId, teams)) : undefined,
    );
  }

  /** A view the caller may see, else 404 (a private view of someone else does not exist for them). */
  private async find(actor: Actor, id: string): Promise<Row> {
    if (!z.uuid().safeParse(id).success) throw problems.notFound(`There is no view ${id}`);
    const [row] = await this.database.db
      .select()
      .from(savedView)
      .where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.id, id), await this.visibleTo(actor)));
    if (!row) throw problems.notFound(`There is no view ${id}`);
    return row;
  }

  private assertMayChange(actor: Actor, access: Access, row: Row) {
    if (row.ownerId !== actor.userId && !access.hasAdmin('settings')) throw problems.forbidden(`Only its owner or a settings admin may change the view "${row.name}"`);
  }

  /** Everything a view names must be readable by its author; its filter and sort must be ones the list accepts. */
  private async check(actor: Actor, access: Access, object: ObjectDefinition, view: Pick<ViewView, 'columns' | 'filter' | 'sort' | 'groupBy' | 'visibility' | 'teamId'>) {
    const errors: FieldProblem[] = [];
    const readable = (name: string) => {
      const field = object.fields.find((candidate) => candidate.name === name);
      return field && access.canReadField(object, field) ? field : undefined;
    };
    view.columns.forEach((column, index) => {
      if (!readable(column)) errors.push({ field: `columns.${index}`, code: 'unknown_field', message: `no field "${column}" on ${object.name}` });
    });
    if (new Set(view.columns).size !== view.columns.length) errors.push({ field: 'columns', code: 'duplicate', message: 'lists a field twice' });
    if (view.groupBy) {
      const field = readable(view.groupBy);
      if (!field) errors.push({ field: 'groupBy', code: 'unknown_field', message: `no field "${view.groupBy}" on ${object.name}` });
      else if (field.type !== 'select') errors.push({ field: 'groupBy', code: 'not_groupable', message: 'must be a select field' });
    }
    if (view.visibility === 'team') {
      if (!view.teamId) errors.push({ field: 'teamId', code: 'required', message: 'is required for a team view' });
      else if (!(await this.myTeams(actor)).includes(view.teamId) && !access.hasAdmin('settings')) errors.push({ field: 'teamId', code: 'not_a_member', message: 'must be one of your teams' });
    } else if (view.teamId) errors.push({ field: 'teamId', code: 'unexpected', message: 'is only for a team view' });
    if (errors.length) throw problems.validation(errors);
    // The list checks filter and sort as it would run them (hidden fields, operators, values): the same rules, one place.
    if (view.filter !== null || view.sort) await this.records.list(actor, object.name, { filter: view.filter === null ? undefined : view.filter, sort: view.sort ?? undefined, limit: 1, fields: ['id'] });
  }
}

/** A filter kept as the list takes it (JSON, not its text); none is null. */
function normalFilter(filter: unknown): unknown {
  return filter === undefined || filter === null || filter === '' ? null : parseFilter(filter);
}

/** Columns the reader may no longer read (a role changed since) are left out, never shown. */
function present(row: Row, object: ObjectDefinition, access: Access): ViewView {
  const readable = new Set(object.fields.filter((field) => access.canReadField(object, field)).map((field) => field.name));
  return {
    id: row.id,
    object: row.object,
    name: row.name,
    columns: row.columns.filter((column) => readable.has(column)),
    filter: row.filter ?? null,
    sort: row.sort,
    groupBy: row.groupBy,
    visibility: row.visibility as ViewView['visibility'],
    teamId: row.teamId,
    ownerId: row.ownerId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
