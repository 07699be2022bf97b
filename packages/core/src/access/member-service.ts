import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '@rapport/db';
import { rows } from '@rapport/db';
import { type IdentityService, newUserSchema } from '../identity/identity-service';
import { parseOrThrow, problems } from '../problems';
import { apiKey, session, workspaceMember } from '../schema/identity';
import type { Access } from './access';
import type { AccessResolver } from './access-resolver';
import { writeAudit } from './access-audit';
import { assertMayGrant } from './may-grant';

export const memberChangeSchema = z.strictObject({
  role: z.string().min(1).max(40).optional(),
  managerId: z.uuid().nullable().optional().describe('Who this member reports to; null for nobody'),
});

/** A member's role, manager and activity: who they are in the workspace's permission model. */
export class MemberService {
  constructor(
    private readonly database: Database,
    private readonly resolver: AccessResolver,
    private readonly identity: IdentityService,
  ) {}

  /** Adds a person to the workspace with a role the granter may give (admins of users only). */
  async add(access: Access, body: unknown) {
    access.assertAdmin('users');
    const input = parseOrThrow(newUserSchema, body);
    const definition = await this.resolver.roleDefinition(this.database.db, access.actor.workspaceId, input.role);
    if (definition) assertMayGrant(access, definition, `The role ${input.role}`, 'role');
    return this.identity.createUser(access.actor.workspaceId, input);
  }

  async update(access: Access, userId: string, body: unknown): Promise<void> {
    access.assertAdmin('users');
    const input = parseOrThrow(memberChangeSchema, body);
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      const member = await this.member(tx, workspaceId, userId);
      const changes: Record<string, unknown> = {};
      if (input.role !== undefined && input.role !== member.role) {
        const definition = await this.resolver.roleDefinition(tx, workspaceId, input.role);
        if (!definition) throw problems.validation([{ field: 'role', code: 'unknown_role', message: `no role "${input.role}"` }]);
        assertMayGrant(access, definition, `The role ${input.role}`, 'role');
        changes.role = input.role;
      }
      if (input.managerId !== undefined && input.managerId !== member.managerId) {
        if (input.managerId !== null) await this.checkManager(tx, workspaceId, userId, input.managerId);
        changes.managerId = input.managerId;
      }
      if (Object.keys(changes).length === 0) return;
      await tx.update(workspaceMember).set(changes).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)));
      await writeAudit(tx, { workspaceId, action: 'member.updated', actor: access.actor, target: `user:${userId}`, detail: { before: { role: member.role, managerId: member.managerId }, after: changes } });
      await this.resolver.changed(tx, workspaceId);
      await this.identity.credentialsChanged(tx);
    });
  }

  /** The member's sessions end and their API keys stop working at once; their records stay. */
  async deactivate(access: Access, userId: string): Promise<void> {
    access.assertAdmin('users');
    if (userId === access.actor.userId) throw problems.badRequest('You cannot deactivate yourself');
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      const member = await this.member(tx, workspaceId, userId);
      if (member.deactivatedAt) return;
      await tx.update(workspaceMember).set({ deactivatedAt: new Date() }).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)));
      await tx.delete(session).where(and(eq(session.workspaceId, workspaceId), eq(session.userId, userId)));
      await tx
        .update(apiKey)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.createdBy, userId), isNull(apiKey.revokedAt)));
      await writeAudit(tx, { workspaceId, action: 'member.deactivated', actor: access.actor, target: `user:${userId}` });
      await this.resolver.changed(tx, workspaceId);
      await this.identity.credentialsChanged(tx);
    });
  }

  async reactivate(access: Access, userId: string): Promise<void> {
    access.assertAdmin('users');
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      await this.member(tx, workspaceId, userId);
      await tx.update(workspaceMember).set({ deactivatedAt: null }).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)));
      await writeAudit(tx, { workspaceId, action: 'member.reactivated', actor: access.actor, target: `user:${userId}` });
      await this.resolver.changed(tx, workspaceId);
    });
  }

  private async member(executor: Executor, workspaceId: string, userId: string) {
    const [member] = await executor
      .select()
      .from(workspaceMember)
      .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, userId)))
      .for('update');
    if (!member) throw problems.notFound(`user ${userId} is not a member of this workspace`);
    return member;
  }

  /** The manager must be a member, and not the user or anyone under them (no cycles). */
  private async checkManager(executor: Executor, workspaceId: string, userId: string, managerId: string): Promise<void> {
    const [manager] = await executor.select({ userId: workspaceMember.userId }).from(workspaceMember).where(and(eq(workspaceMember.workspaceId, workspaceId), eq(workspaceMember.userId, managerId)));
    if (!manager) throw problems.validation([{ field: 'managerId', code: 'relation_not_found', message: `no member of this workspace with id ${managerId}` }]);
    const chain = await rows<{ user_id: string }>(
      executor,
      sql`with recursive above(user_id) as (
          select ${managerId}::uuid
          union
          select ${workspaceMember.managerId} from ${workspaceMember} join above on ${workspaceMember.userId} = above.user_id
          where ${workspaceMember.workspaceId} = ${workspaceId} and ${workspaceMember.managerId} is not null
        )
        select user_id::text from above`,
    );
    if (chain.some((row) => row.user_id === userId)) {
      throw problems.validation([{ field: 'managerId', code: 'cycle', message: 'this manager reports (directly or not) to the user: the hierarchy would be a cycle' }]);
    }
  }
}
