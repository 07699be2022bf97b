import { and, desc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '@rapport/db';
import type { Actor } from '../access/actor';
import type { AccessResolver } from '../access/access-resolver';
import { writeAudit } from '../access/access-audit';
import { assertMayGrant } from '../access/may-grant';
import { loginChallenge, loginThrottle, userMfa } from '../schema/access';
import { newId } from '../ids';
import { parseOrThrow, ProblemError, problems } from '../problems';
import { apiKey, appUser, session, workspaceMember } from '../schema/identity';
import { workspace } from '../schema/workspace';
import { passwordProblems } from './password-policy';
import { generatePassword, hashPassword, hashToken, randomToken, verifyPassword } from './secrets';

export const SESSION_DAYS = 14;
const API_KEY_PREFIX = 'rk_';
/** Writing last-used time on every request would turn reads into writes: once a minute is plenty. */
const LAST_USED_EVERY_MS = 60_000;

export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(200, 'must be at most 200 characters');

export const profileSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  locale: z.enum(['en', 'fr'], { message: 'must be "en" or "fr"' }).optional(),
});

export const newUserSchema = z.strictObject({
  email: z.email('must be an email address').max(320),
  name: z.string().trim().min(1).max(200),
  password: passwordSchema.optional(),
  role: z.string().min(1).max(40).default('sales_rep').describe('A role key (see /api/v1/roles)'),
  locale: z.enum(['en', 'fr']).default('en'),
});

export const loginSchema = z.strictObject({
  email: z.string().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(200),
});

export const newApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  role: z.string().min(1).max(40).optional().describe("A role key; by default the creator's own role. Never more than the creator's rights."),
});

export interface SessionInfo {
  actor: Actor;
  /** Whether the user has a second factor on (a role may require one before anything else). */
  mfaEnabled?: boolean;
  user: { id: string; email: string; name: string; locale: string };
  csrfToken: string;
  expiresAt: Date;
}

export type LoginResult = ({ mfaRequired: false } & { token: string; info: SessionInfo }) | { mfaRequired: true; challenge: string; expiresAt: Date };

export interface UserView {
  id: string;
  email: string;
  name: string;
  locale: string;
  role: string;
  managerId: string | null;
  deactivated: boolean;
  createdAt: string;
}

const userColumns = {
  id: appUser.id,
  email: appUser.email,
  name: appUser.name,
  locale: appUser.locale,
  role: workspaceMember.role,
  managerId: workspaceMember.managerId,
  memberDeactivatedAt: workspaceMember.deactivatedAt,
  userDeactivatedAt: appUser.deactivatedAt,
  createdAt: appUser.createdAt,
};

function presentUser(row: { id: string; email: string; name: string; locale: string; role: string; managerId: string | null; memberDeactivatedAt: Date | null; userDeactivatedAt: Date | null; createdAt: Date }): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    role: row.role,
    managerId: row.managerId,
    deactivated: Boolean(row.memberDeactivatedAt ?? row.userDeactivatedAt),
    createdAt: row.createdAt.toISOString(),
  };
}

/** Sign-in lockout: this many failures in a row lock the account for LOCK_MINUTES. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/** Workspaces, users, sessions and API keys: who may call, and as whom. */
export const IDENTITY_CHANNEL = 'rapport_identity';
/** How long a resolved API key is trusted without asking the database; revocations clear it at once. */
const KEY_CACHE_MS = 30_000;

export class IdentityService {
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly keyCache = new Map<string, { actor: Actor; until: number }>();

  constructor(
    private readonly database: Database,
    private readonly resolver: AccessResolver,
  ) {}

  private get db() {
    return this.database.db;
  }

  async createWorkspace(name: string, slug: string, executor: Executor = this.db): Promise<string> {
    const id = newId();
    await executor.insert(workspace).values({ id, name, slug, settings: { locale: 'en', currency: 'EUR' } });
    return id;
  }

  async defaultWorkspace(executor: Executor = this.db): Promise<{ id: string; name: string } | null> {
    const [row] = await executor.select({ id: workspace.id, name: workspace.name }).from(workspace).orderBy(workspace.createdAt).limit(1);
    return row ?? null;
  }

  /** Creates a user and makes them a member of the workspace; returns the password if one was generated. */
  async createUser(workspaceId: string, body: unknown, executor: Executor = this.db): Promise<{ user: UserView; generatedPassword?: string }> {
    const input = parseOrThrow(newUserSchema, body);
    if (!(await this.resolver.roleDefinition(executor, workspaceId, input.role))) throw problems.validation([{ field: 'role', code: 'unknown_role', message: `no role "${input.role}"` }]);
    const password = input.password ?? generatePassword();
    const existing = await executor.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, input.email));
    if (existing.length > 0) throw problems.conflict(`A user with the email ${input.email} already exists`, [{ field: 'email', code: 'taken', message: 'is taken' }]);
    const id = newId();
    if (input.password) {
      const weak = passwordProblems(input.password, { email: input.email, name: input.name });
      if (weak.length > 0) throw problems.validation(weak);
    }
    const passwordHash = await hashPassword(password);
    await executor.insert(appUser).values({ id, email: input.email.toLowerCase(), name: input.name, passwordHash, locale: input.locale });
    await executor.insert(workspaceMember).values({ workspaceId, userId: id, role: input.role });
    const user = await this.getUser(workspaceId, id, executor);
    return { user, ...(input.password ? {} : { generatedPassword: password }) };
  }

  async getUser(workspaceId: string, userId: string, executor: Executor = this.db): Promise<UserView> {
    const [row] = await executor
      .select(userColumns)
      .from(appUser)
      .innerJoin(workspaceMember, and(eq(workspaceMember.userId, appUser.id), eq(workspaceMember.workspaceId, workspaceId)))
      .where(eq(appUser.id, userId));
    if (!row) throw problems.notFound(`user ${userId} does not exist`);
    return presentUser(row);
  }

  /** A user changes their own name or language (an API key has no profile). */
  async updateProfile(actor: Actor, body: unknown): Promise<UserView> {
    const input = parseOrThrow(profileSchema, body);
    if (!actor.userId) throw problems.forbidden('an API key has no profile to change');
    if (input.name !== undefined || input.locale !== undefined) await this.db.update(appUser).set(input).where(eq(appUser.id, actor.userId));
    return this.getUser(actor.workspaceId, actor.userId);
  }

  /** Members of the workspace, deactivated ones included (they still own records). */
  async listUsers(workspaceId: string): Promise<UserView[]> {
    const found = await this.db
      .select(userColumns)
      .from(appUser)
      .innerJoin(workspaceMember, eq(workspaceMember.userId, appUser.id))
      .where(eq(workspaceMember.workspaceId, workspaceId))
      .orderBy(appUser.createdAt);
    return found.map(presentUser);
  }

  async countUsers(executor: Executor = this.db): Promise<number> {
    const [row] = await executor.select({ count: sql<number>`count(*)::int` }).from(appUser);
    return row?.count ?? 0;
  }

  /**
   * Checks the password and opens a session in the user's first active workspace. Failures are
   * counted per email: after MAX_FAILED_LOGINS in a row the account is locked for LOCK_MINUTES,
   * whatever the password (so guessing cannot go on), and every attempt is audited.
   */
  async login(body: unknown, context: { ip?: string } = {}): Promise<LoginResult> {
    const input = parseOrThrow(loginSchema, body);
    const email = input.email.toLowerCase();
    const [throttle] = await this.db.select().from(loginThrottle).where(eq(loginThrottle.email, email));
    if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
      const minutes = Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 60_000);
      await writeAudit(this.db, { workspaceId: null, action: 'auth.login', outcome: 'failure', ip: context.ip, detail: { email, reason: 'locked' } });
      throw new ProblemError({
        status: 429,
        slug: 'locked',
        title: 'Too many failed sign-ins',
        detail: `Too many failed sign-ins for this account: try again in ${minutes} minute(s)`,
        headers: { 'retry-after': String(minutes * 60) },
      });
    }
    const [user] = await this.db.select().from(appUser).where(eq(appUser.email, email));
    const ok = user?.passwordHash && !user.deactivatedAt ? await verifyPassword(user.passwordHash, input.password) : false;
    const [membership] = user
      ? await this.db
          .select()
          .from(workspaceMember)
          .where(and(eq(workspaceMember.userId, user.id), isNull(workspaceMember.deactivatedAt)))
          .orderBy(workspaceMember.createdAt)
          .limit(1)
      : [];
    if (!user || !ok) {
      const failures = (throttle?.failures ?? 0) + 1;
      const lockedUntil = failures >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOCK_MINUTES * 60_000) : null;
      await this.db.transaction(async (tx) => {
        await tx
          .insert(loginThrottle)
          .values({ email, failures, lastFailureAt: new Date(), lockedUntil })
          .onConflictDoUpdate({ target: loginThrottle.email, set: { failures, lastFailureAt: new Date(), lockedUntil } });
        await writeAudit(tx, { workspaceId: membership?.workspaceId ?? null, action: lockedUntil ? 'auth.locked' : 'auth.login', outcome: 'failure', userId: user?.id ?? null, ip: context.ip, detail: { email, failures } });
      });
      throw problems.unauthenticated('The email or the password is not right');
    }
    if (!membership) throw problems.forbidden('This user is not an active member of any workspace');
    if (throttle) await this.db.delete(loginThrottle).where(eq(loginThrottle.email, email));
    const [mfa] = await this.db.select({ userId: userMfa.userId }).from(userMfa).where(and(eq(userMfa.userId, user.id), isNotNull(userMfa.enabledAt)));
    if (mfa) {
      // The password was right; the session waits for the second factor (POST /auth/mfa).
      const challenge = randomToken();
      const expiresAt = new Date(Date.now() + 5 * 60_000);
      await this.db.insert(loginChallenge).values({ tokenHash: hashToken(challenge), userId: user.id, workspaceId: membership.workspaceId, expiresAt });
      return { mfaRequired: true, challenge, expiresAt };
    }
    return { mfaRequired: false, ...(await this.openSession(user, membership.workspaceId, membership.role, context)) };
  }

  /** A session for a user whose credentials were checked (password, then MFA when enrolled). */
  async openSession(
    user: { id: string; email: string; name: string; locale: string },
    workspaceId: string,
    role: string,
    context: { ip?: string; method?: string } = {},
  ): Promise<{ token: string; info: SessionInfo }> {
    const token = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await this.db.transaction(async (tx) => {
      await tx.insert(session).values({ tokenHash: hashToken(token), userId: user.id, workspaceId, csrfToken, expiresAt });
      await writeAudit(tx, { workspaceId, action: 'auth.login', userId: user.id, actor: { kind: 'user', id: user.id, userId: user.id, workspaceId }, ip: context.ip, detail: { method: context.method ?? 'password' } });
    });
    return {
      token,
      info: {
        actor: { kind: 'user', id: user.id, userId: user.id, workspaceId, role },
        user: { id: user.id, email: user.email, name: user.name, locale: user.locale },
        csrfToken,
        expiresAt,
      },
    };
  }

  async resolveSession(token: string): Promise<SessionInfo | null> {
    const [row] = await this.db
      .select({
        userId: appUser.id,
        email: appUser.email,
        name: appUser.name,
        locale: appUser.locale,
        workspaceId: session.workspaceId,
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt,
        role: workspaceMember.role,
        mfaEnabledAt: userMfa.enabledAt,
      })
      .from(session)
      .innerJoin(appUser, eq(appUser.id, session.userId))
      .leftJoin(userMfa, eq(userMfa.userId, session.userId))
      .innerJoin(workspaceMember, and(eq(workspaceMember.userId, session.userId), eq(workspaceMember.workspaceId, session.workspaceId)))
      .where(and(eq(session.tokenHash, hashToken(token)), gt(session.expiresAt, new Date()), isNull(appUser.deactivatedAt), isNull(workspaceMember.deactivatedAt)));
    if (!row) return null;
    return {
      actor: { kind: 'user', id: row.userId, userId: row.userId, workspaceId: row.workspaceId, role: row.role },
      mfaEnabled: Boolean(row.mfaEnabledAt),
      user: { id: row.userId, email: row.email, name: row.name, locale: row.locale },
      csrfToken: row.csrfToken,
      expiresAt: row.expiresAt,
    };
  }

  async logout(token: string): Promise<void> {
    await this.db.delete(session).where(eq(session.tokenHash, hashToken(token)));
  }

  /**
   * Creates a key; the token is returned once and only its hash is kept. The key's role may not
   * allow more than the creator's own (and at use, the key is narrowed by the creator's current role).
   */
  async createApiKey(actor: Actor, body: unknown, executor: Executor = this.db) {
    const input = parseOrThrow(newApiKeySchema, body);
    const access = await this.resolver.resolve(actor, executor);
    const roleKey = input.role ?? (actor.kind === 'system' ? 'admin' : access.roleKey);
    const definition = await this.resolver.roleDefinition(executor, actor.workspaceId, roleKey);
    if (!definition) throw problems.validation([{ field: 'role', code: 'unknown_role', message: `no role "${roleKey}"` }]);
    assertMayGrant(access, definition, `A key with the role ${roleKey}`, 'role');
    const token = `${API_KEY_PREFIX}${randomToken(32)}`;
    const id = newId();
    const row = {
      workspaceId: actor.workspaceId,
      id,
      name: input.name,
      prefix: token.slice(0, 10),
      tokenHash: hashToken(token),
      role: roleKey,
      createdBy: actor.userId ?? null,
    };
    await executor.insert(apiKey).values(row);
    await writeAudit(executor, { workspaceId: actor.workspaceId, action: 'apiKey.created', actor, target: `apiKey:${id}`, detail: { name: input.name, role: roleKey } });
    return { token, key: await this.getApiKey(actor.workspaceId, id, executor) };
  }

  async getApiKey(workspaceId: string, id: string, executor: Executor = this.db) {
    const [row] = await executor.select().from(apiKey).where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id)));
    if (!row) throw problems.notFound(`API key ${id} does not exist`);
    return presentKey(row);
  }

  /** Admins of users see every key of the workspace; others, the keys they made. */
  async listApiKeys(actor: Actor) {
    const access = await this.resolver.resolve(actor);
    const mine = access.hasAdmin('users') ? undefined : actor.userId ? eq(apiKey.createdBy, actor.userId) : sql`false`;
    const found = await this.db.select().from(apiKey).where(and(eq(apiKey.workspaceId, actor.workspaceId), mine)).orderBy(desc(apiKey.createdAt));
    return found.map(presentKey);
  }

  /** Admins of users revoke any key; others, the keys they made (another's key does not exist for them). */
  async revokeApiKey(actor: Actor, id: string): Promise<void> {
    const workspaceId = actor.workspaceId;
    const key = await this.getApiKey(workspaceId, id);
    if (!(await this.resolver.resolve(actor)).hasAdmin('users') && key.createdBy !== actor.userId) throw problems.notFound(`API key ${id} does not exist`);
    await this.db.transaction(async (tx) => {
      const rows = await tx
        .update(apiKey)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id), isNull(apiKey.revokedAt)))
        .returning({ id: apiKey.id });
      if (rows.length > 0) await writeAudit(tx, { workspaceId, action: 'apiKey.revoked', actor, target: `apiKey:${id}` });
      await this.credentialsChanged(tx);
      return rows;
    });
    this.forgetCachedCredentials();
  }

  /** Call in the transaction that revokes keys or deactivates people: every server drops its cached keys on commit. */
  async credentialsChanged(executor: Executor): Promise<void> {
    await executor.execute(sql`select pg_notify(${IDENTITY_CHANNEL}, '')`);
    this.forgetCachedCredentials();
  }

  /** Called on this server's changes and on other servers' notifications: revocations take effect at once. */
  forgetCachedCredentials(): void {
    this.keyCache.clear();
  }

  async resolveApiKey(token: string): Promise<Actor | null> {
    if (!token.startsWith(API_KEY_PREFIX) || token.length > 200) return null;
    const tokenHash = hashToken(token);
    const cached = this.keyCache.get(tokenHash);
    if (cached && cached.until > Date.now()) return cached.actor;
    // A key dies with its creator's account or membership.
    const [row] = await this.db
      .select({ workspaceId: apiKey.workspaceId, id: apiKey.id, role: apiKey.role, createdBy: apiKey.createdBy })
      .from(apiKey)
      .leftJoin(appUser, eq(appUser.id, apiKey.createdBy))
      .leftJoin(workspaceMember, and(eq(workspaceMember.workspaceId, apiKey.workspaceId), eq(workspaceMember.userId, apiKey.createdBy)))
      .where(and(eq(apiKey.tokenHash, tokenHash), isNull(apiKey.revokedAt), isNull(appUser.deactivatedAt), isNull(workspaceMember.deactivatedAt)));
    if (!row) return null;
    const actor: Actor = { kind: 'apiKey', id: row.id, workspaceId: row.workspaceId, userId: row.createdBy ?? undefined, role: row.role };
    const last = this.lastUsedWritten.get(row.id) ?? 0;
    if (Date.now() - last > LAST_USED_EVERY_MS) {
      // Key use is audited (and last-used written) once a minute per key and server, not per request.
      this.lastUsedWritten.set(row.id, Date.now());
      await this.db.transaction(async (tx) => {
        await tx.update(apiKey).set({ lastUsedAt: new Date() }).where(and(eq(apiKey.workspaceId, row.workspaceId), eq(apiKey.id, row.id)));
        await writeAudit(tx, { workspaceId: row.workspaceId, action: 'apiKey.used', actor, target: `apiKey:${row.id}` });
      });
    }
    if (this.keyCache.size > 10_000) this.keyCache.clear();
    this.keyCache.set(tokenHash, { actor, until: Date.now() + KEY_CACHE_MS });
    return actor;
  }
}

function presentKey(row: typeof apiKey.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: row.role,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
