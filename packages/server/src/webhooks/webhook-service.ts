import crypto from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Access, type Actor, type Core, type DeliveredEvent, newId, parseOrThrow, problems, schema, WorkLoop, writeAudit } from '@rapport/core';
import { rows, type Executor } from '@rapport/db';
import { createSafeFetch } from '../plugins/safe-fetch';

const { webhook, webhookDelivery } = schema;
const CHANNEL = 'rapport_webhooks';
const MAX_ATTEMPTS = 6;
const CLAIM_LEASE_SECONDS = 60;

export const newWebhookSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(2000),
  events: z.array(z.string().regex(/^(record\.(\*|created|updated|deleted|restored|merged|unmerged|purged)|\*)$/, 'must be record.created, record.updated, record.deleted, record.restored, record.merged, record.unmerged, record.purged, record.* or *')).min(1).max(10),
  objects: z.array(z.string().max(100)).min(1).max(50).optional(),
});

export interface WebhookView {
  id: string;
  url: string;
  events: string[];
  objects: string[] | null;
  createdBy: string;
  createdAt: string;
}

const view = (row: typeof webhook.$inferSelect): WebhookView => ({ id: row.id, url: row.url, events: row.events, objects: row.objects ?? null, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() });

const matches = (patterns: string[], type: string) => patterns.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: receivers check it with the secret and refuse old timestamps. */
export function signature(secret: string, body: string, at = Math.floor(Date.now() / 1000)): string {
  return `t=${at},v1=${crypto.createHmac('sha256', secret).update(`${at}.${body}`).digest('hex')}`;
}

/**
 * Webhooks: admins of settings register URLs for record events; each event becomes one delivery per
 * matching webhook, written in the event's delivery transaction, then POSTed (signed) by a loop that
 * retries with back-off — at least once, like the outbox it comes from. A webhook has its creator's
 * rights: events of objects they may not read are not sent, nor fields hidden from them. URLs inside
 * the server's network are refused (unless named in RAPPORT_WEBHOOK_PRIVATE_HOSTS).
 */
export class WebhookService {
  private readonly loop: WorkLoop;
  private readonly fetch: typeof fetch;
  private unsubscribe?: () => void;

  constructor(
    private readonly core: Core,
    private readonly options: { privateHosts?: readonly string[]; pollMs?: number; retryBaseMs?: number } = {},
  ) {
    this.fetch = createSafeFetch('webhooks', { hosts: ['*'], privateHosts: options.privateHosts ?? [] });
    this.loop = new WorkLoop(core.database, { work: () => this.sendDue(), pollMs: options.pollMs ?? 5_000, channel: CHANNEL });
  }

  async start(): Promise<void> {
    this.unsubscribe = this.core.events.subscribe({ name: 'core.webhooks', types: ['record.*'], transactional: true, handle: (event, tx) => this.enqueue(event, tx!) });
    await this.loop.start();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    await this.loop.stop();
  }

  async create(access: Access, body: unknown): Promise<WebhookView & { secret: string }> {
    access.assertAdmin('settings');
    const input = parseOrThrow(newWebhookSchema, body);
    if (!access.actor.userId) throw problems.forbidden('A webhook is created by a person: it acts with their rights');
    const metadata = await this.core.records.metadata(access.actor);
    const unknown = (input.objects ?? []).filter((name) => !metadata.findObject(name));
    if (unknown.length) throw problems.validation(unknown.map((name) => ({ field: 'objects', code: 'unknown_object', message: `there is no object "${name}"` })));
    const secret = `whsec_${crypto.randomBytes(24).toString('base64url')}`;
    const row = { workspaceId: access.actor.workspaceId, id: newId(), url: input.url, events: input.events, objects: input.objects ?? null, secret: this.core.secrets.seal(secret), createdBy: access.actor.userId, createdAt: new Date() };
    await this.core.database.db.transaction(async (tx) => {
      await tx.insert(webhook).values(row);
      await writeAudit(tx, { workspaceId: row.workspaceId, action: 'webhook.created', actor: access.actor, target: row.id, detail: { url: row.url, events: row.events } });
    });
    return { ...view(row), secret };
  }

  async list(access: Access): Promise<WebhookView[]> {
    access.assertAdmin('settings');
    return (await this.core.database.db.select().from(webhook).where(eq(webhook.workspaceId, access.actor.workspaceId)).orderBy(desc(webhook.createdAt))).map(view);
  }

  async remove(access: Access, id: string): Promise<void> {
    access.assertAdmin('settings');
    await this.find(access, id);
    await this.core.database.db.transaction(async (tx) => {
      await tx.delete(webhookDelivery).where(and(eq(webhookDelivery.workspaceId, access.actor.workspaceId), eq(webhookDelivery.webhookId, id)));
      await tx.delete(webhook).where(and(eq(webhook.workspaceId, access.actor.workspaceId), eq(webhook.id, id)));
      await writeAudit(tx, { workspaceId: access.actor.workspaceId, action: 'webhook.deleted', actor: access.actor, target: id });
    });
  }

  /** Its latest deliveries, newest first: what was sent, the answer, the attempts. */
  async deliveries(access: Access, id: string) {
    access.assertAdmin('settings');
    await this.find(access, id);
    const found = await this.core.database.db
      .select()
      .from(webhookDelivery)
      .where(and(eq(webhookDelivery.workspaceId, access.actor.workspaceId), eq(webhookDelivery.webhookId, id)))
      .orderBy(desc(webhookDelivery.createdAt))
      .limit(100);
    return found.map((row) => ({ id: row.id, eventId: row.eventId, type: String(row.payload.type), status: row.status as 'pending' | 'delivered' | 'failed', attempts: row.attempts, responseStatus: row.responseStatus, lastError: row.lastError, createdAt: row.createdAt.toISOString(), deliveredAt: row.deliveredAt?.toISOString() ?? null }));
  }

  private async find(access: Access, id: string) {
    const [row] = /^[0-9a-f-]{36}$/i.test(id) ? await this.core.database.db.select().from(webhook).where(and(eq(webhook.workspaceId, access.actor.workspaceId), eq(webhook.id, id))) : [];
    if (!row) throw problems.notFound(`There is no webhook ${id}`);
    return row;
  }

  /** One delivery per matching webhook, as its creator may see the event; in the event's delivery transaction. */
  private async enqueue(event: DeliveredEvent, tx: Executor): Promise<void> {
    const hooks = await this.hooksOf(event.workspaceId, tx);
    const wanted = hooks.filter((hook) => matches(hook.events, event.type) && (!hook.objects || (event.object && hook.objects.includes(event.object))));
    if (wanted.length === 0) return;
    for (const hook of wanted) {
      const payload = await this.visible(hook.createdBy, event, tx);
      if (!payload) continue;
      await tx.insert(webhookDelivery).values({ id: newId(), workspaceId: event.workspaceId, webhookId: hook.id, eventId: event.id, payload, status: 'pending' }).onConflictDoNothing();
    }
    await tx.execute(sql`select pg_notify(${CHANNEL}, '')`);
  }

  /** A workspace's webhooks, read once per delivery transaction: a batch's 500 events share it. */
  private readonly hooksByTransaction = new WeakMap<Executor, Map<string, Promise<(typeof webhook.$inferSelect)[]>>>();

  private hooksOf(workspaceId: string, tx: Executor): Promise<(typeof webhook.$inferSelect)[]> {
    const perWorkspace = this.hooksByTransaction.get(tx) ?? new Map<string, Promise<(typeof webhook.$inferSelect)[]>>();
    this.hooksByTransaction.set(tx, perWorkspace);
    let hooks = perWorkspace.get(workspaceId);
    if (!hooks) {
      hooks = tx.select().from(webhook).where(eq(webhook.workspaceId, workspaceId)).then((found) => found);
      perWorkspace.set(workspaceId, hooks);
    }
    return hooks;
  }

  /** The event as the webhook's creator may know it: nothing of an object they may not read, no hidden field. */
  private async visible(userId: string, event: DeliveredEvent, tx: Executor): Promise<Record<string, unknown> | null> {
    const actor: Actor = { kind: 'user', id: userId, userId, workspaceId: event.workspaceId };
    // In the delivery's transaction: on the embedded database it holds the only connection.
    const seen = event.object ? await this.core.records.visibleEvent(actor, event, tx) : null;
    if (!seen) return null; // an object or a record out of reach, or a creator deactivated or gone: nothing goes
    const changes = (seen.payload.changes as string[] | undefined) ?? [];
    const values = (seen.payload.values ?? {}) as Record<string, unknown>;
    return {
      id: event.id,
      type: event.type,
      occurredAt: event.createdAt.toISOString(),
      workspaceId: event.workspaceId,
      object: event.object,
      recordId: event.recordId,
      actor: event.payload.actor ?? null,
      changes,
      values: Object.fromEntries(changes.filter((name) => name in values).map((name) => [name, values[name]])),
      ...(event.payload.mergedIds ? { mergedIds: event.payload.mergedIds } : {}),
    };
  }

  /** Sends what is due (claimed with SKIP LOCKED, sent outside any transaction); returns how many it tried. */
  async sendDue(batch = 20): Promise<number> {
    const due = await rows<{ id: string; workspace_id: string; webhook_id: string; payload: Record<string, unknown>; attempts: number }>(
      this.core.database.db,
      sql`update ${webhookDelivery} set next_attempt_at = now() + (${CLAIM_LEASE_SECONDS} * interval '1 second'), attempts = attempts + 1
        where id in (select id from ${webhookDelivery} where status = 'pending' and next_attempt_at <= now() order by next_attempt_at limit ${batch} for update skip locked)
        returning id::text, workspace_id::text, webhook_id::text, payload, attempts`,
    );
    for (const delivery of due) {
      const [hook] = await this.core.database.db.select().from(webhook).where(and(eq(webhook.workspaceId, delivery.workspace_id), eq(webhook.id, delivery.webhook_id)));
      if (!hook) continue;
      const body = JSON.stringify(delivery.payload);
      let status: number | null = null;
      try {
        const response = await this.fetch(hook.url, {
          method: 'POST',
          body,
          redirect: 'error',
          headers: { 'content-type': 'application/json', 'user-agent': 'Rapport-Webhooks/1', 'rapport-event': String(delivery.payload.type), 'rapport-delivery': delivery.id, 'rapport-signature': signature(this.core.secrets.open(hook.secret), body) },
        });
        status = response.status;
        await response.body?.cancel();
        if (!response.ok) throw new Error(`answered ${response.status}`);
        await this.core.database.db.update(webhookDelivery).set({ status: 'delivered', responseStatus: status, lastError: null, deliveredAt: new Date() }).where(eq(webhookDelivery.id, delivery.id));
      } catch (error) {
        const failed = delivery.attempts >= MAX_ATTEMPTS;
        await this.core.database.db
          .update(webhookDelivery)
          .set({ status: failed ? 'failed' : 'pending', responseStatus: status, lastError: String((error as Error).message ?? error).slice(0, 1000), nextAttemptAt: new Date(Date.now() + (this.options.retryBaseMs ?? 30_000) * 2 ** (delivery.attempts - 1)) })
          .where(eq(webhookDelivery.id, delivery.id));
      }
    }
    return due.length;
  }
}
