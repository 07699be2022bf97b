import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import { passwordSchema, type IdentityService, type SessionInfo } from '../identity/identity-service';
import { passwordProblems } from '../identity/password-policy';
import { hashPassword, hashToken, randomToken, verifyPassword } from '../identity/secrets';
import { newId } from '../ids';
import { enqueueMail } from '../mail/mail-outbox';
import { mailTemplates } from '../mail/templates';
import { parseOrThrow, ProblemError, problems } from '../problems';
import { appUser, workspaceMember } from '../schema/identity';
import { invitation } from '../schema/mail';
import { workspace } from '../schema/workspace';
import type { Access } from './access';
import type { AccessResolver } from './access-resolver';
import { writeAudit } from './access-audit';
import { assertMayGrant } from './may-grant';

export const INVITATION_DAYS = 7;

export const newInvitationSchema = z.strictObject({
  email: z.email('must be an email address').max(320),
  role: z.string().min(1).max(40).default('sales_rep'),
  locale: z.enum(['en', 'fr']).default('en').describe('The language of the invitation email'),
});

export const acceptInvitationSchema = z.strictObject({
  token: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200).optional().describe('For a new account'),
  password: passwordSchema.describe('A new password, or the existing account’s password'),
  locale: z.enum(['en', 'fr']).default('en'),
});

export interface InvitationView {
  id: string;
  email: string;
  role: string;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
  expiresAt: string;
  createdAt: string;
}

/** Invitations: a single-use link that expires, sent by email, that makes its holder a member. */
export class InvitationService {
  constructor(
    private readonly database: Database,
    private readonly resolver: AccessResolver,
    private readonly identity: IdentityService,
    private readonly publicUrl: () => string,
  ) {}

  async create(access: Access, body: unknown): Promise<{ invitation: InvitationView; link: string }> {
    access.assertAdmin('users');
    const input = parseOrThrow(newInvitationSchema, body);
    const workspaceId = access.actor.workspaceId;
    const definition = await this.resolver.roleDefinition(this.database.db, workspaceId, input.role);
    if (!definition) throw problems.validation([{ field: 'role', code: 'unknown_role', message: `no role "${input.role}"` }]);
    assertMayGrant(access, definition, `The role ${input.role}`, 'role');
    const token = randomToken();
    const id = newId();
    const link = `${this.publicUrl()}/invite#token=${token}`;
    await this.database.db.transaction(async (tx) => {
      const [member] = await tx
        .select({ userId: workspaceMember.userId })
        .from(workspaceMember)
        .innerJoin(appUser, eq(appUser.id, workspaceMember.userId))
        .where(and(eq(workspaceMember.workspaceId, workspaceId), eq(appUser.email, input.email.toLowerCase())));
      if (member) throw problems.conflict(`${input.email} is already a member of this workspace`, [{ field: 'email', code: 'taken', message: 'is already a member' }]);
      await tx.insert(invitation).values({ workspaceId, id, email: input.email.toLowerCase(), role: input.role, tokenHash: hashToken(token), invitedBy: access.actor.userId ?? null, expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000) });
      const [space] = await tx.select({ name: workspace.name }).from(workspace).where(eq(workspace.id, workspaceId));
      const [inviter] = access.actor.userId ? await tx.select({ name: appUser.name }).from(appUser).where(eq(appUser.id, access.actor.userId)) : [];
      const message = mailTemplates.invitation(input.locale, { workspace: space!.name, inviter: inviter?.name ?? 'Rapport', link, days: INVITATION_DAYS });
      await enqueueMail(tx, { workspaceId, kind: 'invitation', to: input.email, ...message });
      await writeAudit(tx, { workspaceId, action: 'invitation.created', actor: access.actor, target: `invitation:${id}`, detail: { email: input.email, role: input.role } });
    });
    return { invitation: (await this.list(access)).find((view) => view.id === id)!, link };
  }

  async list(access: Access): Promise<InvitationView[]> {
    access.assertAdmin('users');
    const rows = await this.database.db.select().from(invitation).where(eq(invitation.workspaceId, access.actor.workspaceId)).orderBy(desc(invitation.createdAt));
    const now = Date.now();
    return rows.map((row) => ({
      id: row.id,
      email: row.email,
      role: row.role,
      status: row.acceptedAt ? 'accepted' : row.revokedAt ? 'revoked' : row.expiresAt.getTime() <= now ? 'expired' : 'pending',
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
    }));
  }

  async revoke(access: Access, id: string): Promise<void> {
    access.assertAdmin('users');
    const workspaceId = access.actor.workspaceId;
    await this.database.db.transaction(async (tx) => {
      const revoked = await tx
        .update(invitation)
        .set({ revokedAt: new Date() })
        .where(and(eq(invitation.workspaceId, workspaceId), eq(invitation.id, id), isNull(invitation.acceptedAt), isNull(invitation.revokedAt)))
        .returning({ id: invitation.id });
      if (revoked.length === 0) throw problems.notFound(`no pending invitation ${id}`);
      await writeAudit(tx, { workspaceId, action: 'invitation.revoked', actor: access.actor, target: `invitation:${id}` });
    });
  }

  /**
   * Accepts an invitation: a new account (name + password), or an existing one (its password),
   * becomes a member with the invited role; the link is spent; a session opens.
   */
  async accept(body: unknown, context: { ip?: string } = {}): Promise<{ token: string; info: SessionInfo }> {
    const input = parseOrThrow(acceptInvitationSchema, body);
    const gone = new ProblemError({ status: 410, slug: 'invitation-gone', title: 'Invitation not valid', detail: 'This invitation link has expired, was already used, or was revoked: ask for a new one' });
    const { userId, workspaceId, role } = await this.database.db.transaction(async (tx) => {
      const [found] = await tx
        .select()
        .from(invitation)
        .where(and(eq(invitation.tokenHash, hashToken(input.token)), isNull(invitation.acceptedAt), isNull(invitation.revokedAt), gt(invitation.expiresAt, new Date())))
        .for('update');
      if (!found) throw gone;
      const [existing] = await tx.select().from(appUser).where(eq(appUser.email, found.email));
      let userId: string;
      if (existing) {
        if (existing.deactivatedAt || !existing.passwordHash || !(await verifyPassword(existing.passwordHash, input.password))) {
          throw problems.unauthenticated(`An account with ${found.email} exists: give its password to join`);
        }
        userId = existing.id;
      } else {
        if (!input.name) throw problems.validation([{ field: 'name', code: 'required', message: 'is required for a new account' }]);
        const weak = passwordProblems(input.password, { email: found.email, name: input.name });
        if (weak.length > 0) throw problems.validation(weak);
        userId = newId();
        await tx.insert(appUser).values({ id: userId, email: found.email, name: input.name, passwordHash: await hashPassword(input.password), locale: input.locale });
      }
      await tx.insert(workspaceMember).values({ workspaceId: found.workspaceId, userId, role: found.role }).onConflictDoNothing();
      await tx.update(invitation).set({ acceptedAt: new Date() }).where(and(eq(invitation.workspaceId, found.workspaceId), eq(invitation.id, found.id)));
      await writeAudit(tx, { workspaceId: found.workspaceId, action: 'invitation.accepted', userId, target: `invitation:${found.id}`, ip: context.ip });
      return { userId, workspaceId: found.workspaceId, role: found.role };
    });
    const [user] = await this.database.db.select().from(appUser).where(eq(appUser.id, userId));
    return this.identity.openSession(user!, workspaceId, role, { ip: context.ip, method: 'invitation' });
  }
}
