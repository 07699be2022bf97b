import { and, eq, gt, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import { writeAudit } from '../access/access-audit';
import { enqueueMail } from '../mail/mail-outbox';
import { mailTemplates } from '../mail/templates';
import { parseOrThrow, ProblemError, problems } from '../problems';
import { loginThrottle } from '../schema/access';
import { appUser, session, workspaceMember } from '../schema/identity';
import { passwordReset } from '../schema/mail';
import type { IdentityService } from './identity-service';
import { passwordSchema } from './identity-service';
import { passwordProblems } from './password-policy';
import { hashPassword, hashToken, randomToken } from './secrets';

export const RESET_MINUTES = 60;
export const resetRequestSchema = z.strictObject({ email: z.string().min(1, 'is required').max(320) });
export const resetConfirmSchema = z.strictObject({ token: z.string().min(1).max(200), password: passwordSchema });

/** Password reset by email: a single-use link that expires; using it ends every session of the account. */
export class PasswordResetService {
  constructor(
    private readonly database: Database,
    private readonly identity: IdentityService,
    private readonly publicUrl: () => string,
  ) {}

  /** Always the same answer, whether the email is known or not (no account enumeration). */
  async request(body: unknown, context: { ip?: string } = {}): Promise<void> {
    const { email } = parseOrThrow(resetRequestSchema, body);
    const [user] = await this.database.db.select().from(appUser).where(and(eq(appUser.email, email.toLowerCase()), isNull(appUser.deactivatedAt)));
    if (!user) return;
    const [membership] = await this.database.db.select({ workspaceId: workspaceMember.workspaceId }).from(workspaceMember).where(eq(workspaceMember.userId, user.id)).limit(1);
    const token = randomToken();
    await this.database.db.transaction(async (tx) => {
      await tx.insert(passwordReset).values({ tokenHash: hashToken(token), userId: user.id, expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) });
      const message = mailTemplates.passwordReset(user.locale === 'fr' ? 'fr' : 'en', { link: `${this.publicUrl()}/reset-password#token=${token}`, minutes: RESET_MINUTES });
      await enqueueMail(tx, { workspaceId: membership?.workspaceId ?? null, kind: 'password-reset', to: user.email, ...message });
      await writeAudit(tx, { workspaceId: membership?.workspaceId ?? null, action: 'auth.passwordResetRequested', userId: user.id, ip: context.ip });
    });
  }

  async confirm(body: unknown, context: { ip?: string } = {}): Promise<void> {
    const input = parseOrThrow(resetConfirmSchema, body);
    await this.database.db.transaction(async (tx) => {
      const [reset] = await tx
        .select()
        .from(passwordReset)
        .where(and(eq(passwordReset.tokenHash, hashToken(input.token)), isNull(passwordReset.usedAt), gt(passwordReset.expiresAt, new Date())))
        .for('update');
      if (!reset) throw new ProblemError({ status: 410, slug: 'reset-gone', title: 'Reset link not valid', detail: 'This link has expired or was already used: ask for a new one' });
      const [user] = await tx.select().from(appUser).where(eq(appUser.id, reset.userId));
      if (!user || user.deactivatedAt) throw problems.unauthenticated('This account is not active');
      const weak = passwordProblems(input.password, { email: user.email, name: user.name });
      if (weak.length > 0) throw problems.validation(weak);
      await tx.update(appUser).set({ passwordHash: await hashPassword(input.password) }).where(eq(appUser.id, user.id));
      await tx.update(passwordReset).set({ usedAt: new Date() }).where(eq(passwordReset.tokenHash, reset.tokenHash));
      await tx.delete(session).where(eq(session.userId, user.id));
      await tx.delete(loginThrottle).where(eq(loginThrottle.email, user.email));
      await writeAudit(tx, { workspaceId: null, action: 'auth.passwordReset', userId: user.id, ip: context.ip });
    });
    this.identity.forgetCachedCredentials();
  }
}
