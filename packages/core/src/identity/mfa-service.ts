import { and, eq, gt, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import type { Actor } from '../access/actor';
import { writeAudit } from '../access/access-audit';
import { parseOrThrow, ProblemError, problems } from '../problems';
import { loginChallenge, userMfa } from '../schema/access';
import { appUser, workspaceMember } from '../schema/identity';
import type { IdentityService, SessionInfo } from './identity-service';
import { hashToken, randomToken } from './secrets';
import type { SecretBox } from './secret-box';

const ISSUER = 'Rapport';
const RECOVERY_CODES = 10;
const CHALLENGE_ATTEMPTS = 5;

export const mfaCodeSchema = z.strictObject({ code: z.string().trim().min(6, 'is a 6-digit code or a recovery code').max(40) });
export const mfaLoginSchema = z.strictObject({ challenge: z.string().min(1).max(200), code: z.string().trim().min(6).max(40) });

/** Loaded when two-factor is first used, not at start-up. */
const otp = () => import('otplib');

const normalizeRecovery = (code: string) => code.replace(/[\s-]/g, '').toLowerCase();

/**
 * TOTP second factor (RFC 6238, any authenticator app) with single-use recovery codes. A code is
 * accepted once (the last time step is kept against replay) and within one step of clock drift.
 */
export class MfaService {
  constructor(
    private readonly database: Database,
    private readonly identity: IdentityService,
    private readonly secrets: SecretBox,
  ) {}

  private get db() {
    return this.database.db;
  }

  private userOf(actor: Actor): string {
    if (actor.kind !== 'user' || !actor.userId) throw problems.forbidden('Two-factor authentication belongs to a signed-in user, not to an API key');
    return actor.userId;
  }

  async status(actor: Actor): Promise<{ enabled: boolean; recoveryCodesLeft: number }> {
    const [row] = await this.db.select().from(userMfa).where(eq(userMfa.userId, this.userOf(actor)));
    return { enabled: Boolean(row?.enabledAt), recoveryCodesLeft: row?.enabledAt ? row.recoveryCodes.length : 0 };
  }

  async isEnabled(userId: string): Promise<boolean> {
    const [row] = await this.db.select({ userId: userMfa.userId }).from(userMfa).where(and(eq(userMfa.userId, userId), isNotNull(userMfa.enabledAt)));
    return Boolean(row);
  }

  /** Starts (or restarts) enrolment: a new secret to put in an authenticator app, not active until confirmed. */
  async enrol(actor: Actor): Promise<{ secret: string; otpauthUrl: string }> {
    const userId = this.userOf(actor);
    if ((await this.status(actor)).enabled) throw problems.conflict('Two-factor authentication is already on: turn it off first to enrol another device');
    const [user] = await this.db.select({ email: appUser.email }).from(appUser).where(eq(appUser.id, userId));
    const { generateSecret, generateURI } = await otp();
    const secret = generateSecret();
    await this.db
      .insert(userMfa)
      .values({ userId, secret: this.secrets.seal(secret) })
      .onConflictDoUpdate({ target: userMfa.userId, set: { secret: this.secrets.seal(secret), enabledAt: null, recoveryCodes: [], lastTimeStep: null } });
    return { secret, otpauthUrl: generateURI({ issuer: ISSUER, label: user!.email, secret }) };
  }

  /** Proves the app has the secret; turns MFA on and returns the recovery codes, shown this once. */
  async confirm(actor: Actor, body: unknown): Promise<{ recoveryCodes: string[] }> {
    const userId = this.userOf(actor);
    const { code } = parseOrThrow(mfaCodeSchema, body);
    const [row] = await this.db.select().from(userMfa).where(eq(userMfa.userId, userId));
    if (!row) throw problems.conflict('Start with POST /api/v1/me/mfa/enrol');
    if (row.enabledAt) throw problems.conflict('Two-factor authentication is already on');
    const step = await this.checkTotp(this.secrets.open(row.secret), code, row.lastTimeStep);
    if (step === null) throw problems.validation([{ field: 'code', code: 'invalid_code', message: 'is not the current code of the authenticator app' }]);
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, () => randomToken(8).replace(/[^a-zA-Z0-9]/g, 'x').slice(0, 10).toLowerCase());
    await this.db.transaction(async (tx) => {
      await tx.update(userMfa).set({ enabledAt: new Date(), lastTimeStep: step, recoveryCodes: recoveryCodes.map((value) => hashToken(value)) }).where(eq(userMfa.userId, userId));
      await writeAudit(tx, { workspaceId: actor.workspaceId, action: 'mfa.enabled', actor, target: `user:${userId}` });
    });
    return { recoveryCodes };
  }

  /** Turns MFA off with a current code (or a recovery code); refused when the user's role requires it. */
  async disable(actor: Actor, body: unknown, mfaRequired: boolean): Promise<void> {
    const userId = this.userOf(actor);
    const { code } = parseOrThrow(mfaCodeSchema, body);
    if (mfaRequired) throw problems.forbidden('Your role requires two-factor authentication: it cannot be turned off');
    if (!(await this.verifyUserCode(userId, code))) throw problems.validation([{ field: 'code', code: 'invalid_code', message: 'is neither the current code nor an unused recovery code' }]);
    await this.db.transaction(async (tx) => {
      await tx.delete(userMfa).where(eq(userMfa.userId, userId));
      await writeAudit(tx, { workspaceId: actor.workspaceId, action: 'mfa.disabled', actor, target: `user:${userId}` });
    });
  }

  /** The second step of a sign-in: the challenge and a TOTP (or recovery) code open the session. */
  async completeLogin(body: unknown, context: { ip?: string } = {}): Promise<{ token: string; info: SessionInfo }> {
    const input = parseOrThrow(mfaLoginSchema, body);
    const tokenHash = hashToken(input.challenge);
    const [row] = await this.db
      .update(loginChallenge)
      .set({ attempts: sql`${loginChallenge.attempts} + 1` })
      .where(and(eq(loginChallenge.tokenHash, tokenHash), gt(loginChallenge.expiresAt, new Date())))
      .returning();
    if (!row || row.attempts > CHALLENGE_ATTEMPTS) {
      if (row) await this.db.delete(loginChallenge).where(eq(loginChallenge.tokenHash, tokenHash));
      throw problems.unauthenticated('This sign-in has expired or had too many wrong codes: sign in again');
    }
    if (!(await this.verifyUserCode(row.userId, input.code))) {
      await writeAudit(this.db, { workspaceId: row.workspaceId, action: 'auth.mfa', outcome: 'failure', userId: row.userId, ip: context.ip });
      throw new ProblemError({ status: 401, slug: 'unauthenticated', title: 'Authentication required', detail: 'The code is not right', errors: [{ field: 'code', code: 'invalid_code', message: 'is not right' }] });
    }
    await this.db.delete(loginChallenge).where(eq(loginChallenge.tokenHash, tokenHash));
    const [user] = await this.db.select().from(appUser).where(eq(appUser.id, row.userId));
    const [member] = await this.db.select().from(workspaceMember).where(and(eq(workspaceMember.workspaceId, row.workspaceId), eq(workspaceMember.userId, row.userId)));
    if (!user || user.deactivatedAt || !member || member.deactivatedAt) throw problems.unauthenticated('This account is not active any more');
    return this.identity.openSession(user, row.workspaceId, member.role, { ip: context.ip, method: 'password+totp' });
  }

  /** A current TOTP code (not used before) or an unused recovery code, which is then spent. */
  private async verifyUserCode(userId: string, code: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(userMfa).where(and(eq(userMfa.userId, userId), isNotNull(userMfa.enabledAt))).for('update');
      if (!row) return false;
      if (/^\d{6}$/.test(code)) {
        const step = await this.checkTotp(this.secrets.open(row.secret), code, row.lastTimeStep);
        if (step === null) return false;
        await tx.update(userMfa).set({ lastTimeStep: step }).where(eq(userMfa.userId, userId));
        return true;
      }
      const hashed = hashToken(normalizeRecovery(code));
      if (!row.recoveryCodes.includes(hashed)) return false;
      await tx
        .update(userMfa)
        .set({ recoveryCodes: row.recoveryCodes.filter((candidate) => candidate !== hashed) })
        .where(eq(userMfa.userId, userId));
      return true;
    });
  }

  /** The time step of a valid code, or null; one step of drift either way. */
  private async checkTotp(secret: string, code: string, lastTimeStep: number | null): Promise<number | null> {
    if (!/^\d{6}$/.test(code)) return null;
    const { verify } = await otp();
    const result = await verify({ secret, token: code, epochTolerance: 30, ...(lastTimeStep !== null ? { afterTimeStep: lastTimeStep } : {}) });
    return result.valid ? (result as { timeStep: number }).timeStep : null;
  }
}
