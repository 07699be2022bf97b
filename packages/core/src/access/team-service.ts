import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import { newId } from '../ids';
import { parseOrThrow, problems } from '../problems';
import { team, teamMember } from '../schema/access';
import { workspaceMember } from '../schema/identity';
import type { Access } from './access';
import type { AccessResolver } from './access-resolver';
import { writeAudit } from './access-audit';
import { unshareTeamViews } from '../views/view-service';

export const teamInputSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  members: z.array(z.uuid()).max(1000).default([]),
});
export const teamChangeSchema = teamInputSchema.partial();

export interface TeamView {
  id: string;
  name: string;
  members: string[];
}

/** Teams: whose records "team" rules reach. */
export class TeamService {
  constructor(
    private readonly database: Database,
    private readonly resolver: AccessResolver,
  ) {}

  async list(access: Access): Promise<TeamView[]> {
    const workspaceId = access.actor.workspaceId;
    const teams = await this.database.db.select().from(team).where(eq(team.workspaceId, workspaceId)).orderBy(team.name);
    const members = await this.database.db.select().from(teamMember).where(eq(teamMember.workspaceId, workspaceId));
    return teams.map((row) => ({ id: row.id, name: row.name, members: members.filter((member) => member.teamId === row.id).map((member) => member.userId) }));
  }

  async get(access: Access, id: string): Promise<TeamView> {
    const found = (await this.list(access)).find((view) => view.id === id);
    if (!found) throw problems.notFound(`team ${id} does not exist`);
    return found;
  }

  async create(access: Access, body: unknown): Promise<TeamView> {
    access.assertAdmin('users');
    const input = parseOrThrow(teamInputSchema, body);
    const id = newId();
    await this.save(access, id, input.name, input.members, 'team.created');
    return this.get(access, id);
  }

  async update(access: Access, id: string, body: unknown): Promise<TeamView> {
    access.assertAdmin('users');
    const input = parseOrThrow(teamChangeSchema, body);
    const current = await this.get(access, id);
    await this.save(access, id, input.name ?? current.name, input.members ?? current.members, 'team.updated');
    return this.get(access, id);
  }

  async delete(access: Access, id: string): Promise<void> {
    access.assertAdmin('users');
    await this.get(access, id);
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      await tx.delete(teamMember).where(and(eq(teamMember.workspaceId, workspaceId), eq(teamMember.teamId, id)));
      await tx.delete(team).where(and(eq(team.workspaceId, workspaceId), eq(team.id, id)));
      // Its views stay with their owners, private: nobody is left to share them with.
      await unshareTeamViews(tx, workspaceId, id);
      await writeAudit(tx, { workspaceId, action: 'team.deleted', actor: access.actor, target: `team:${id}` });
      await this.resolver.changed(tx, workspaceId);
    });
  }

  private async save(access: Access, id: string, name: string, members: string[], action: 'team.created' | 'team.updated'): Promise<void> {
    const workspaceId = access.actor.workspaceId;
    const unique = [...new Set(members)];
    await this.database.db.transaction(async (tx) => {
      if (unique.length > 0) {
        const known = new Set(
          (await tx.select({ userId: workspaceMember.userId }).from(workspaceMember).where(and(eq(workspaceMember.workspaceId, workspaceId), inArray(workspaceMember.userId, unique)))).map(
            (row) => row.userId,
          ),
        );
        const missing = unique.map((userId, index) => ({ userId, index })).filter(({ userId }) => !known.has(userId));
        if (missing.length > 0) throw problems.validation(missing.map(({ userId, index }) => ({ field: `members.${index}`, code: 'relation_not_found', message: `no member with id ${userId}` })));
      }
      const [clash] = await tx.select({ id: team.id }).from(team).where(and(eq(team.workspaceId, workspaceId), eq(team.name, name)));
      if (clash && clash.id !== id) throw problems.conflict(`A team named ${name} already exists`, [{ field: 'name', code: 'taken', message: 'is taken' }]);
      await tx.insert(team).values({ workspaceId, id, name }).onConflictDoUpdate({ target: [team.workspaceId, team.id], set: { name } });
      await tx.delete(teamMember).where(and(eq(teamMember.workspaceId, workspaceId), eq(teamMember.teamId, id)));
      if (unique.length > 0) await tx.insert(teamMember).values(unique.map((userId) => ({ workspaceId, teamId: id, userId })));
      await writeAudit(tx, { workspaceId, action, actor: access.actor, target: `team:${id}`, detail: { name, members: unique } });
      await this.resolver.changed(tx, workspaceId);
    });
  }
}
