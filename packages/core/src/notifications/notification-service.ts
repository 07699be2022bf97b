import { and, count, desc, eq, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@rapport/db';
import type { Actor } from '../access/actor';
import type { AccessResolver } from '../access/access-resolver';
import { newId } from '../ids';
import { enqueueMail } from '../mail/mail-outbox';
import type { LocalizedText } from '../metadata/types';
import { parseOrThrow, problems } from '../problems';
import type { RecordService } from '../records/record-service';
import { appUser, workspaceMember } from '../schema/identity';
import { notification, notificationPreference } from '../schema/notifications';

const text = z.strictObject({ en: z.string().min(1).max(500), fr: z.string().min(1).max(500).optional() });
export const newNotificationSchema = z.strictObject({
  to: z.array(z.uuid()).min(1).max(1000),
  kind: z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/, 'must be namespaced, like "hello.new-company"'),
  title: text,
  body: text.optional(),
  link: z.union([z.strictObject({ object: z.string().max(63), id: z.uuid() }), z.strictObject({ path: z.string().regex(/^\/(?!\/)/, 'must be a path of the shell').max(500) })]).optional(),
});
export type NewNotification = z.input<typeof newNotificationSchema>;

export const notificationQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional(),
  before: z.uuid().optional().describe("The previous page's last id"),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const markReadSchema = z.union([z.strictObject({ ids: z.array(z.uuid()).min(1).max(500) }), z.strictObject({ all: z.literal(true) })]);
export const preferencesSchema = z.array(z.strictObject({ kind: z.string().max(100), inApp: z.boolean(), email: z.boolean() })).max(200);

/**
 * In-app notifications (with mail when a user asks for it per kind). A notification about a record
 * reaches only the recipients who may read that record.
 */
export class NotificationService {
  constructor(
    private readonly database: Database,
    private readonly resolver: AccessResolver,
    private readonly records: RecordService,
  ) {}

  /** Sends one notification to several users; returns how many received it in the app. */
  async notify(workspaceId: string, source: string, body: unknown): Promise<number> {
    const input = parseOrThrow(newNotificationSchema, body);
    let recipients = [...new Set(input.to)];
    const members = await this.database.db
      .select({ userId: workspaceMember.userId, email: appUser.email, locale: appUser.locale })
      .from(workspaceMember)
      .innerJoin(appUser, eq(appUser.id, workspaceMember.userId))
      .where(and(eq(workspaceMember.workspaceId, workspaceId), inArray(workspaceMember.userId, recipients), isNull(workspaceMember.deactivatedAt)));
    recipients = members.map((member) => member.userId);
    const link = input.link;
    if (link && 'object' in link) {
      const allowed: string[] = [];
      for (const userId of recipients) {
        // Only a check of their rules: it shows them nothing (and so audits no sensitive read).
        if (await this.records.canReach({ kind: 'user', id: userId, userId, workspaceId }, link.object, link.id, 'read').catch(() => false)) allowed.push(userId);
      }
      recipients = allowed;
    }
    if (recipients.length === 0) return 0;
    const preferences = new Map(
      (
        await this.database.db
          .select()
          .from(notificationPreference)
          .where(and(eq(notificationPreference.workspaceId, workspaceId), eq(notificationPreference.kind, input.kind), inArray(notificationPreference.userId, recipients)))
      ).map((row) => [row.userId, row]),
    );
    let shown = 0;
    await this.database.db.transaction(async (tx) => {
      for (const member of members.filter((candidate) => recipients.includes(candidate.userId))) {
        const preference = preferences.get(member.userId);
        if (preference?.inApp !== false) {
          await tx.insert(notification).values({ workspaceId, id: newId(), userId: member.userId, kind: input.kind, title: input.title, body: input.body ?? null, link: link ?? null, source });
          shown++;
        }
        if (preference?.email) {
          const pick = (value: LocalizedText | undefined) => (value ? ((member.locale === 'fr' ? value.fr : undefined) ?? value.en) : '');
          await enqueueMail(tx, { workspaceId, kind: `notification:${input.kind}`, to: member.email, subject: pick(input.title), text: `${pick(input.body)}\n` });
        }
      }
    });
    return shown;
  }

  async list(actor: Actor, query: unknown) {
    const userId = this.userOf(actor);
    const input = parseOrThrow(notificationQuerySchema, query);
    const conditions: (SQL | undefined)[] = [eq(notification.workspaceId, actor.workspaceId), eq(notification.userId, userId)];
    if (input.unread === 'true') conditions.push(isNull(notification.readAt));
    if (input.before) conditions.push(lt(notification.id, input.before));
    const rows = await this.database.db
      .select()
      .from(notification)
      .where(and(...conditions))
      .orderBy(desc(notification.id))
      .limit(input.limit);
    const [unread] = await this.database.db
      .select({ n: count() })
      .from(notification)
      .where(and(eq(notification.workspaceId, actor.workspaceId), eq(notification.userId, userId), isNull(notification.readAt)));
    return {
      data: rows.map((row) => ({ id: row.id, kind: row.kind, title: row.title, body: row.body, link: row.link, source: row.source, createdAt: row.createdAt.toISOString(), readAt: row.readAt?.toISOString() ?? null })),
      unreadCount: unread?.n ?? 0,
    };
  }

  async markRead(actor: Actor, body: unknown): Promise<void> {
    const userId = this.userOf(actor);
    const input = parseOrThrow(markReadSchema, body);
    const conditions = [eq(notification.workspaceId, actor.workspaceId), eq(notification.userId, userId), isNull(notification.readAt)];
    if ('ids' in input) conditions.push(inArray(notification.id, input.ids));
    await this.database.db.update(notification).set({ readAt: new Date() }).where(and(...conditions));
  }

  async preferences(actor: Actor) {
    const userId = this.userOf(actor);
    const rows = await this.database.db.select().from(notificationPreference).where(and(eq(notificationPreference.workspaceId, actor.workspaceId), eq(notificationPreference.userId, userId)));
    return rows.map((row) => ({ kind: row.kind, inApp: row.inApp, email: row.email }));
  }

  async setPreferences(actor: Actor, body: unknown) {
    const userId = this.userOf(actor);
    const input = parseOrThrow(preferencesSchema, body);
    await this.database.db.transaction(async (tx) => {
      for (const preference of input) {
        await tx
          .insert(notificationPreference)
          .values({ workspaceId: actor.workspaceId, userId, ...preference })
          .onConflictDoUpdate({ target: [notificationPreference.workspaceId, notificationPreference.userId, notificationPreference.kind], set: { inApp: preference.inApp, email: preference.email } });
      }
    });
    return this.preferences(actor);
  }

  private userOf(actor: Actor): string {
    if (!actor.userId || actor.kind === 'plugin') throw problems.forbidden('Notifications belong to a user');
    return actor.userId;
  }
}
