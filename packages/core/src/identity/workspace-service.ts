import { and, asc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { DEFAULT_TRASH_DAYS } from '../records/trash-purge';
import type { Database } from '@rapport/db';
import type { Access } from '../access/access';
import type { Actor } from '../access/actor';
import { writeAudit } from '../access/access-audit';
import { newId } from '../ids';
import { parseOrThrow, problems } from '../problems';
import { session, workspaceMember } from '../schema/identity';
import { workspace } from '../schema/workspace';
import { hashToken } from './secrets';

export const newWorkspaceSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, 'must be 2 to 40 lower-case letters, digits or -'),
  locale: z.enum(['en', 'fr']).default('en'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').default('EUR'),
});

export const workspaceSettingsSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  locale: z.enum(['en', 'fr']).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').optional(),
  /** Days a deleted record can be restored (and a merge undone) before it is erased for good. */
  trashDays: z.number().int('must be a whole number of days').min(1).max(3650).optional(),
});

export interface WorkspaceView {
  id: string;
  name: string;
  slug: string;
  role: string;
  current: boolean;
}

/**
 * Several workspaces on one server, their data kept apart by workspace_id in every table and query.
 * A person may belong to several; a session works in one at a time.
 */
export class WorkspaceService {
  constructor(private readonly database: Database) {}

  async mine(actor: Actor): Promise<WorkspaceView[]> {
    if (!actor.userId) {
      const [row] = await this.database.db.select().from(workspace).where(eq(workspace.id, actor.workspaceId));
      return row ? [{ id: row.id, name: row.name, slug: row.slug, role: actor.role ?? '', current: true }] : [];
    }
    const rows = await this.database.db
      .select({ id: workspace.id, name: workspace.name, slug: workspace.slug, role: workspaceMember.role })
      .from(workspaceMember)
      .innerJoin(workspace, eq(workspace.id, workspaceMember.workspaceId))
      .where(and(eq(workspaceMember.userId, actor.userId), isNull(workspaceMember.deactivatedAt)))
      .orderBy(asc(workspace.createdAt));
    return rows.map((row) => ({ ...row, current: row.id === actor.workspaceId }));
  }

  /** A new, empty workspace whose first admin is the creator (who must administer the settings of theirs). */
  async create(access: Access, body: unknown): Promise<WorkspaceView> {
    access.assertAdmin('settings');
    const userId = access.actor.userId;
    if (access.actor.kind !== 'user' || !userId) throw problems.forbidden('Workspaces are created by a signed-in user, who becomes their admin');
    const input = parseOrThrow(newWorkspaceSchema, body);
    const id = newId();
    await this.database.db.transaction(async (tx) => {
      const [taken] = await tx.select({ id: workspace.id }).from(workspace).where(eq(workspace.slug, input.slug));
      if (taken) throw problems.conflict(`A workspace with the slug ${input.slug} already exists`, [{ field: 'slug', code: 'taken', message: 'is taken' }]);
      await tx.insert(workspace).values({ id, name: input.name, slug: input.slug, settings: { locale: input.locale, currency: input.currency } });
      await tx.insert(workspaceMember).values({ workspaceId: id, userId, role: 'admin' });
      await writeAudit(tx, { workspaceId: id, action: 'workspace.created', actor: access.actor, target: `workspace:${id}`, detail: { name: input.name, slug: input.slug } });
    });
    return { id, name: input.name, slug: input.slug, role: 'admin', current: false };
  }

  /** The current workspace's name and defaults. */
  async settings(actor: Actor): Promise<{ name: string; locale: string; currency: string; trashDays: number }> {
    const [row] = await this.database.db.select().from(workspace).where(eq(workspace.id, actor.workspaceId));
    if (!row) throw problems.notFound('This workspace does not exist');
    const settings = row.settings as { locale?: string; currency?: string; trashDays?: number };
    return { name: row.name, locale: settings.locale ?? 'en', currency: settings.currency ?? 'EUR', trashDays: settings.trashDays ?? DEFAULT_TRASH_DAYS };
  }

  async updateSettings(access: Access, body: unknown): Promise<{ name: string; locale: string; currency: string; trashDays: number }> {
    access.assertAdmin('settings');
    const input = parseOrThrow(workspaceSettingsSchema, body);
    await this.database.db.transaction(async (tx) => {
      const [row] = await tx.select().from(workspace).where(eq(workspace.id, access.actor.workspaceId)).for('update');
      const settings = { ...(row!.settings as Record<string, unknown>), ...(input.locale ? { locale: input.locale } : {}), ...(input.currency ? { currency: input.currency } : {}), ...(input.trashDays ? { trashDays: input.trashDays } : {}) };
      await tx.update(workspace).set({ name: input.name ?? row!.name, settings }).where(eq(workspace.id, access.actor.workspaceId));
    });
    return this.settings(access.actor);
  }

  /** Moves a session to another workspace the user is an active member of. */
  async switchSession(sessionToken: string, actor: Actor, workspaceId: string): Promise<void> {
    if (!actor.userId) throw problems.forbidden('Only a signed-in session switches workspace; an API key belongs to one');
    const [member] = await this.database.db
      .select({ userId: workspaceMember.userId })
      .from(workspaceMember)
      .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, actor.userId), isNull(workspaceMember.deactivatedAt)));
    if (!member) throw problems.notFound(`You are not a member of workspace ${workspaceId}`);
    await this.database.db.update(session).set({ workspaceId }).where(eq(session.tokenHash, hashToken(sessionToken)));
  }
}
