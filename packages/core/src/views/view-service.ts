import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '@rapport/db';
import type { Access } from '../access/access';
import type { AccessResolver } from '../access/access-resolver';
import type { Actor } from '../access/actor';
import { newId } from '../ids';
import type { ObjectDefinition } from '../metadata/types';
import { type FieldProblem, parseOrThrow, problems } from '../problems';
import { type FilterNode, parseFilter } from '../records/filter';
import type { RecordService } from '../records/record-service';
import { team, teamMember } from '../schema/access';
import { savedView } from '../schema/views';

const visibility = z.enum(['private', 'team', 'workspace']);
const name = z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters');
const columns = z.array(z.string().min(1).max(200)).max(100, 'must list at most 100 fields');
const filter = z.unknown().describe('A filter as GET /api/v1/records/{object}?filter= takes it (JSON, or its text), or null for none');
const sort = z.string().max(500).nullable().describe('As the list takes it: "-createdAt,name"; null or "" for the default order');
const groupBy = z.string().max(200).nullable().describe('A select field to group by (kanban), or null');

export const newViewSchema = z.strictObject({
  object: z.string().min(1).max(100),
  name,
  columns: columns.default([]),
  filter: filter.optional(),
  sort: sort.optional(),
  groupBy: groupBy.optional(),
  visibility: visibility.default('private'),
  teamId: z.uuid().nullable().optional().describe('The team, for a team view (one of mine, unless I have the settings admin area)'),
});
/** Without defaults: a field left out of a patch stays as it is. */
export const viewPatchSchema = z.strictObject({
  name: name.optional(),
  columns: columns.optional(),
  filter: filter.optional(),
  sort: sort.optional(),
  groupBy: groupBy.optional(),
  visibility: visibility.optional(),
  teamId: z.uuid().nullable().optional(),
});

export interface ViewView {
  id: string;
  object: string;
  name: string;
  columns: string[];
  filter: FilterNode | null;
  sort: string | null;
  groupBy: string | null;
  visibility: 'private' | 'team' | 'workspace';
  teamId: string | null;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

type Row = typeof savedView.$inferSelect;
type Settings = Pick<ViewView, 'columns' | 'filter' | 'sort' | 'groupBy' | 'visibility' | 'teamId'>;
/** Which parts of a view a write sets, and so must be checked against the caller's rights. */
type Parts = Partial<Record<'columns' | 'filter' | 'sort' | 'groupBy' | 'team', boolean>>;
const ALL_PARTS: Parts = { columns: true, filter: true, sort: true, groupBy: true, team: true };

/**
 * Saved views of lists, checked like records: the caller must read the object; columns, filter, sort
 * and grouping may only name fields the caller may read (the list's own rules, in the list's own
 * code); a view is seen by its owner, its team's members or the whole workspace. Sharing is its
 * owner's (with one of their teams, or the workspace); changing or deleting a shared view is for
 * its owner or a settings admin. A reader never sees, in a view, a field they may not read.
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
      .orderBy(savedView.name, savedView.id);
    return rows.map((row) => present(row, object, access));
  }

  async get(actor: Actor, id: string): Promise<ViewView> {
    const row = await this.find(actor, id);
    const { object, access } = await this.readable(actor, row.object, id);
    return present(row, object, access);
  }

  async create(actor: Actor, body: unknown): Promise<ViewView> {
    const input = parseOrThrow(newViewSchema, body);
    const found = await this.objectIfReadable(actor, input.object);
    if (!found) throw problems.validation([{ field: 'object', code: 'unknown_object', message: `no object "${input.object}"` }]);
    const { object, access } = found;
    if (!actor.userId) throw problems.forbidden('A view belongs to a person: this identity cannot save one');
    const view: Settings = {
      columns: input.columns,
      filter: normalFilter(input.filter),
      sort: blankToNull(input.sort),
      groupBy: blankToNull(input.groupBy),
      visibility: input.visibility,
      teamId: input.teamId ?? null,
    };
    await this.check(actor, access, object, view, ALL_PARTS);
    const [row] = await this.database.db
      .insert(savedView)
      .values({ workspaceId: actor.workspaceId, id: newId(), object: object.name, ownerId: actor.userId, name: input.name, ...view })
      .returning();
    return present(row!, object, access);
  }

  async update(actor: Actor, id: string, body: unknown): Promise<ViewView> {
    const patch = parseOrThrow(viewPatchSchema, body);
    const row = await this.find(actor, id);
    const { object, access } = await this.readable(actor, row.object, id);
    this.assertMayChange(actor, access, row);
    const next: Settings = {
      columns: patch.columns ?? row.columns,
      filter: patch.filter !== undefined ? normalFilter(patch.filter) : (row.filter as FilterNode | null),
      sort: patch.sort !== undefined ? blankToNull(patch.sort) : row.sort,
      groupBy: patch.groupBy !== undefined ? blankToNull(patch.groupBy) : row.groupBy,
      visibility: patch.visibility ?? (row.visibility as ViewView['visibility']),
      teamId: patch.teamId !== undefined ? patch.teamId : patch.visibility && patch.visibility !== 'team' ? null : row.teamId,
    };
    // Only what the patch sets is checked against the caller's rights: what it leaves alone was
    // checked when it was saved, and checking it again would name, to a caller who may not read
    // them, fields that the view's owner could (or fail a rename for a field deleted since).
    await this.check(actor, access, object, next, {
      columns: patch.columns !== undefined,
      filter: patch.filter !== undefined,
      sort: patch.sort !== undefined,
      groupBy: patch.groupBy !== undefined,
      team: patch.visibility !== undefined || patch.teamId !== undefined,
    });
    const [updated] = await this.database.db
      .update(savedView)
      .set({ ...next, name: patch.name ?? row.name, updatedAt: sql`now()` })
      .where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.id, id)))
      .returning();
    if (!updated) throw problems.notFound(`There is no view ${id}`);
    return present(updated, object, access);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const row = await this.find(actor, id);
    this.assertMayChange(actor, await this.resolver.resolve(actor), row);
    await this.database.db.delete(savedView).where(and(eq(savedView.workspaceId, actor.workspaceId), eq(savedView.id, id)));
  }

  /** The object, if the caller may read it (an object they may not read answers as one that does not exist). */
  private async objectIfReadable(actor: Actor, objectName: string): Promise<{ object: ObjectDefinition; access: Access } | undefined> {
    const [metadata, access] = await Promise.all([this.records.metadata(actor), this.resolver.resolve(actor)]);
    const object = metadata.objects.get(objectName);
    if (!object || access.rights(object).read === 'none') return undefined;
    return { object, access };
  }

  /** The object, else 404: of the view `viewId` when given (which then does not exist for the caller), else the object itself. */
  private async readable(actor: Actor, objectName: string, viewId?: string): Promise<{ object: ObjectDefinition; access: Access }> {
    const found = await this.objectIfReadable(actor, objectName);
    if (!found) throw problems.notFound(viewId ? `There is no view ${viewId}` : `There is no object "${objectName}"`);
    return found;
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

  /**
   * What a view names must be readable by the caller, and its filter and sort ones the list takes
   * (the list's own code checks them, building its query without running it: same rules, same
   * answers — a hidden field is refused exactly like one that does not exist).
   */
  private async check(actor: Actor, access: Access, object: ObjectDefinition, view: Settings, parts: Parts) {
    const errors: FieldProblem[] = [];
    const readable = (name: string) => {
      const field = object.fields.find((candidate) => candidate.name === name);
      return field && access.canReadField(object, field) ? field : undefined;
    };
    if (parts.columns) {
      view.columns.forEach((column, index) => {
        if (!readable(column)) errors.push({ field: `columns.${index}`, code: 'unknown_field', message: `no field "${column}" on ${object.name}` });
      });
      if (new Set(view.columns).size !== view.columns.length) errors.push({ field: 'columns', code: 'duplicate', message: 'lists a field twice' });
    }
    if (parts.groupBy && view.groupBy) {
      const field = readable(view.groupBy);
      if (!field) errors.push({ field: 'groupBy', code: 'unknown_field', message: `no field "${view.groupBy}" on ${object.name}` });
      else if (field.type !== 'select') errors.push({ field: 'groupBy', code: 'not_groupable', message: 'must be a select field' });
    }
    if (parts.team) {
      if (view.visibility === 'team') {
        if (!view.teamId) errors.push({ field: 'teamId', code: 'required', message: 'is required for a team view' });
        else if (!(await this.myTeams(actor)).includes(view.teamId)) {
          if (!access.hasAdmin('settings')) errors.push({ field: 'teamId', code: 'not_a_member', message: 'must be one of your teams' });
          else if (!(await teamExists(this.database.db, actor.workspaceId, view.teamId))) errors.push({ field: 'teamId', code: 'unknown_team', message: `no team ${view.teamId}` });
        }
      } else if (view.teamId) errors.push({ field: 'teamId', code: 'unexpected', message: 'is only for a team view' });
    }
    if (errors.length) throw problems.validation(errors);
    if (parts.filter && view.filter !== null) await this.checkQuery(actor, object, { filter: view.filter });
    if (parts.sort && view.sort) await this.checkQuery(actor, object, { sort: view.sort });
  }

  private async checkQuery(actor: Actor, object: ObjectDefinition, options: { filter?: unknown; sort?: string }) {
    await this.records.listQuery(actor, object.name, options);
  }
}

async function teamExists(executor: Executor, workspaceId: string, teamId: string): Promise<boolean> {
  const rows = await executor.select({ id: team.id }).from(team).where(and(eq(team.workspaceId, workspaceId), eq(team.id, teamId)));
  return rows.length > 0;
}

const blankToNull = (value: string | null | undefined): string | null => (value === undefined || value === null || value.trim() === '' ? null : value);

/** A filter kept as the list takes it (JSON, not its text); none is null. */
function normalFilter(filter: unknown): FilterNode | null {
  return filter === undefined || filter === null || filter === '' ? null : parseFilter(filter);
}

/** The field a filter or sort path names: `address.city` → `address`. */
const fieldOf = (path: string) => path.split('.')[0]!;

/**
 * The filter without its conditions on fields that `keep` refuses (a group left empty goes too, and
 * a `not` of nothing); null when nothing is left. Unchanged (the same object) when it names none.
 */
export function pruneFilter(node: FilterNode | null, keep: (field: string) => boolean): FilterNode | null {
  if (node === null) return null;
  if ('and' in node || 'or' in node) {
    const children = 'and' in node ? node.and : node.or;
    const kept = children.map((child) => pruneFilter(child, keep));
    if (kept.every((child, index) => child === children[index])) return node;
    const left = kept.filter((child): child is FilterNode => child !== null);
    if (left.length === 0) return null;
    return 'and' in node ? { and: left } : { or: left };
  }
  if ('not' in node) {
    const inner = pruneFilter(node.not, keep);
    return inner === node.not ? node : inner === null ? null : { not: inner };
  }
  return keep(fieldOf(node.field)) ? node : null;
}

/** The sort without its keys on fields that `keep` refuses; null when none is left. */
export function pruneSort(sort: string | null, keep: (field: string) => boolean): string | null {
  if (!sort) return null;
  const parts = sort.split(',').filter((part) => {
    const path = part.trim().replace(/^-/, '');
    return path === '' || keep(fieldOf(path));
  });
  return blankToNull(parts.join(','));
}

/** A view as the reader may see it: what names a field they may not read (or one deleted since) is left out, never shown. */
function present(row: Row, object: ObjectDefinition, access: Access): ViewView {
  const readable = new Set(object.fields.filter((field) => access.canReadField(object, field)).map((field) => field.name));
  const keep = (field: string) => readable.has(field);
  return {
    id: row.id,
    object: row.object,
    name: row.name,
    columns: row.columns.filter(keep),
    filter: pruneFilter((row.filter ?? null) as FilterNode | null, keep),
    sort: pruneSort(row.sort, keep),
    groupBy: row.groupBy && keep(row.groupBy) ? row.groupBy : null,
    visibility: row.visibility as ViewView['visibility'],
    teamId: row.teamId,
    ownerId: row.ownerId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * In the transaction that deletes the field `fieldName` of `objectName`: its saved views forget it
 * (columns, filter conditions, sort keys, grouping), so that a field later made with the same name
 * does not bring back conditions meant for another.
 */
export async function forgetViewField(tx: Executor, workspaceId: string, objectName: string, fieldName: string): Promise<void> {
  const keep = (field: string) => field !== fieldName;
  const rows = await tx.select().from(savedView).where(and(eq(savedView.workspaceId, workspaceId), eq(savedView.object, objectName)));
  for (const row of rows) {
    const filter = pruneFilter((row.filter ?? null) as FilterNode | null, keep);
    const next = { columns: row.columns.filter(keep), filter, sort: pruneSort(row.sort, keep), groupBy: row.groupBy && keep(row.groupBy) ? row.groupBy : null };
    if (next.columns.length === row.columns.length && filter === (row.filter ?? null) && next.sort === row.sort && next.groupBy === row.groupBy) continue;
    await tx
      .update(savedView)
      .set({ ...next, updatedAt: sql`now()` })
      .where(and(eq(savedView.workspaceId, workspaceId), eq(savedView.id, row.id)));
  }
}

/** In the transaction that deletes a team: its views stay their owners', private. */
export async function unshareTeamViews(tx: Executor, workspaceId: string, teamId: string): Promise<void> {
  await tx
    .update(savedView)
    .set({ visibility: 'private', teamId: null, updatedAt: sql`now()` })
    .where(and(eq(savedView.workspaceId, workspaceId), eq(savedView.teamId, teamId)));
}
