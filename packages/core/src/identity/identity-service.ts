import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database, Executor } from '@rapport/db';
import type { Actor } from '../access/actor';
import { newId } from '../ids';
import { parseOrThrow, problems } from '../problems';
import { apiKey, appUser, session, workspaceMember } from '../schema/identity';
import { workspace } from '../schema/workspace';
import { generatePassword, hashPassword, hashToken, randomToken, verifyPassword } from './secrets';

export const SESSION_DAYS = 14;
const API_KEY_PREFIX = 'rk_';
/** Writing last-used time on every request would turn reads into writes: once a minute is plenty. */
const LAST_USED_EVERY_MS = 60_000;

export const passwordSchema = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(200, 'must be at most 200 characters');

export const newUserSchema = z.strictObject({
  email: z.email('must be an email address').max(320),
  name: z.string().trim().min(1).max(200),
  password: passwordSchema.optional(),
  role: z.enum(['admin', 'member']).default('member'),
  locale: z.enum(['en', 'fr']).default('en'),
});

export const loginSchema = z.strictObject({
  email: z.string().min(1, 'is required').max(320),
  password: z.string().min(1, 'is required').max(200),
});

export const newApiKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  role: z.enum(['admin', 'member']).default('admin'),
});

export interface SessionInfo {
  actor: Actor;
  user: { id: string; email: string; name: string; locale: string };
  csrfToken: string;
  expiresAt: Date;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  locale: string;
  role: string;
  createdAt: string;
}

/** Workspaces, users, sessions and API keys: who may call, and as whom. */
export const IDENTITY_CHANNEL = 'rapport_identity';
/** How long a resolved API key is trusted without asking the database; revocations clear it at once. */
const KEY_CACHE_MS = 30_000;

export class IdentityService {
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly keyCache = new Map<string, { actor: Actor; until: number }>();

  constructor(private readonly database: Database) {}

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
    const password = input.password ?? generatePassword();
    const existing = await executor.select({ id: appUser.id }).from(appUser).where(eq(appUser.email, input.email));
    if (existing.length > 0) throw problems.conflict(`A user with the email ${input.email} already exists`, [{ field: 'email', code: 'taken', message: 'is taken' }]);
    const id = newId();
    const passwordHash = await hashPassword(password);
    await executor.insert(appUser).values({ id, email: input.email.toLowerCase(), name: input.name, passwordHash, locale: input.locale });
    await executor.insert(workspaceMember).values({ workspaceId, userId: id, role: input.role });
    const user = await this.getUser(workspaceId, id, executor);
    return { user, ...(input.password ? {} : { generatedPassword: password }) };
  }

  async getUser(workspaceId: string, userId: string, executor: Executor = this.db): Promise<UserView> {
    const [row] = await executor
      .select({ id: appUser.id, email: appUser.email, name: appUser.name, locale: appUser.locale, role: workspaceMember.role, createdAt: appUser.createdAt })
      .from(appUser)
      .innerJoin(workspaceMember, and(eq(workspaceMember.userId, appUser.id), eq(workspaceMember.workspaceId, workspaceId)))
      .where(eq(appUser.id, userId));
    if (!row) throw problems.notFound(`user ${userId} does not exist`);
    return { ...row, createdAt: row.createdAt.toISOString() };
  }

  async listUsers(workspaceId: string): Promise<UserView[]> {
    const found = await this.db
      .select({ id: appUser.id, email: appUser.email, name: appUser.name, locale: appUser.locale, role: workspaceMember.role, createdAt: appUser.createdAt })
      .from(appUser)
      .innerJoin(workspaceMember, eq(workspaceMember.userId, appUser.id))
      .where(and(eq(workspaceMember.workspaceId, workspaceId), isNull(appUser.deactivatedAt)))
      .orderBy(appUser.createdAt);
    return found.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  }

  async countUsers(executor: Executor = this.db): Promise<number> {
    const [row] = await executor.select({ count: sql<number>`count(*)::int` }).from(appUser);
    return row?.count ?? 0;
  }

  /** Checks the password and opens a session in the user's first workspace. */
  async login(body: unknown): Promise<{ token: string; info: SessionInfo }> {
    const input = parseOrThrow(loginSchema, body);
    const [user] = await this.db.select().from(appUser).where(eq(appUser.email, input.email.toLowerCase()));
    const ok = user?.passwordHash && !user.deactivatedAt ? await verifyPassword(user.passwordHash, input.password) : false;
    if (!user || !ok) throw problems.unauthenticated('The email or the password is not right');
    const [membership] = await this.db.select().from(workspaceMember).where(eq(workspaceMember.userId, user.id)).orderBy(workspaceMember.createdAt).limit(1);
    if (!membership) throw problems.forbidden('This user is not a member of any workspace');
    const token = randomToken();
    const csrfToken = randomToken(24);
    const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
    await this.db.insert(session).values({ tokenHash: hashToken(token), userId: user.id, workspaceId: membership.workspaceId, csrfToken, expiresAt });
    return {
      token,
      info: {
        actor: { kind: 'user', id: user.id, userId: user.id, workspaceId: membership.workspaceId, role: membership.role },
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
      })
      .from(session)
      .innerJoin(appUser, eq(appUser.id, session.userId))
      .innerJoin(workspaceMember, and(eq(workspaceMember.userId, session.userId), eq(workspaceMember.workspaceId, session.workspaceId)))
      .where(and(eq(session.tokenHash, hashToken(token)), gt(session.expiresAt, new Date()), isNull(appUser.deactivatedAt)));
    if (!row) return null;
    return {
      actor: { kind: 'user', id: row.userId, userId: row.userId, workspaceId: row.workspaceId, role: row.role },
      user: { id: row.userId, email: row.email, name: row.name, locale: row.locale },
      csrfToken: row.csrfToken,
      expiresAt: row.expiresAt,
    };
  }

  async logout(token: string): Promise<void> {
    await this.db.delete(session).where(eq(session.tokenHash, hashToken(token)));
  }

  /** Creates a key; the token is returned once and only its hash is kept. */
  async createApiKey(actor: Actor, body: unknown, executor: Executor = this.db) {
    const input = parseOrThrow(newApiKeySchema, body);
    const token = `${API_KEY_PREFIX}${randomToken(32)}`;
    const id = newId();
    const row = {
      workspaceId: actor.workspaceId,
      id,
      name: input.name,
      prefix: token.slice(0, 10),
      tokenHash: hashToken(token),
      role: input.role,
      createdBy: actor.userId ?? null,
    };
    await executor.insert(apiKey).values(row);
    return { token, key: await this.getApiKey(actor.workspaceId, id, executor) };
  }

  async getApiKey(workspaceId: string, id: string, executor: Executor = this.db) {
    const [row] = await executor.select().from(apiKey).where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id)));
    if (!row) throw problems.notFound(`API key ${id} does not exist`);
    return presentKey(row);
  }

  async listApiKeys(workspaceId: string) {
    const found = await this.db.select().from(apiKey).where(eq(apiKey.workspaceId, workspaceId)).orderBy(desc(apiKey.createdAt));
    return found.map(presentKey);
  }

  async revokeApiKey(workspaceId: string, id: string): Promise<void> {
    const updated = await this.db.transaction(async (tx) => {
      const rows = await tx
        .update(apiKey)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiKey.workspaceId, workspaceId), eq(apiKey.id, id), isNull(apiKey.revokedAt)))
        .returning({ id: apiKey.id });
      // Every server drops its cached keys when this commits (see forgetCachedCredentials).
      await tx.execute(sql`select pg_notify(${IDENTITY_CHANNEL}, ${id})`);
      return rows;
    });
    this.forgetCachedCredentials();
    if (updated.length === 0) await this.getApiKey(workspaceId, id);
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
    const [row] = await this.db
      .select({ workspaceId: apiKey.workspaceId, id: apiKey.id, role: apiKey.role, createdBy: apiKey.createdBy })
      .from(apiKey)
      .leftJoin(appUser, eq(appUser.id, apiKey.createdBy))
      .where(and(eq(apiKey.tokenHash, tokenHash), isNull(apiKey.revokedAt), isNull(appUser.deactivatedAt)));
    if (!row) return null;
    const last = this.lastUsedWritten.get(row.id) ?? 0;
    if (Date.now() - last > LAST_USED_EVERY_MS) {
      this.lastUsedWritten.set(row.id, Date.now());
      await this.db.update(apiKey).set({ lastUsedAt: new Date() }).where(and(eq(apiKey.workspaceId, row.workspaceId), eq(apiKey.id, row.id)));
    }
    const actor: Actor = { kind: 'apiKey', id: row.id, workspaceId: row.workspaceId, userId: row.createdBy ?? undefined, role: row.role };
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
