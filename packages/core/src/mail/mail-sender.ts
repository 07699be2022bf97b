import { SecretBox } from '../identity/secret-box';
import { desc, eq, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import { type Database, rows } from '@rapport/db';
import type { Access } from '../access/access';
import { WorkLoop } from '../jobs/work-loop';
import { mailMessage } from '../schema/mail';
import { workspace } from '../schema/workspace';
import { type MailDefaults, type SmtpSettings, smtpSettingsSchema } from './mail-settings';
import { MAIL_CHANNEL } from './mail-outbox';

/** A claimed message is another server's to send for this long (then, after a crash, retried). */
const CLAIM_LEASE_SECONDS = 300;

export interface MailSenderOptions extends MailDefaults {
  /** Attempts before a message is marked failed. */
  maxAttempts?: number;
  /** The first retry waits this long; each next one twice as long. */
  retryBaseMs?: number;
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Sends queued mail with retries (exponential back-off), one batch at a time across servers
 * (rows are claimed with SKIP LOCKED). Delivery is at least once: a crash between the SMTP
 * answer and the commit sends the message again.
 */
export class MailSender {
  private readonly loop: WorkLoop;
  private readonly transports = new Map<string, Transporter>();
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;

  constructor(
    private readonly database: Database,
    private readonly options: MailSenderOptions = {},
    private readonly secrets: SecretBox = SecretBox.ephemeral(),
  ) {
    this.maxAttempts = options.maxAttempts ?? 6;
    this.retryBaseMs = options.retryBaseMs ?? 30_000;
    this.loop = new WorkLoop(database, { work: () => this.sendDue(), pollMs: options.pollMs ?? 5_000, channel: MAIL_CHANNEL, onError: options.onError });
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    for (const transport of this.transports.values()) transport.close();
    this.transports.clear();
  }

  /**
   * Sends the messages that are due; returns how many it tried. Messages are claimed in a short
   * transaction (their next attempt pushed past a lease, so no other server takes them), then sent
   * outside any transaction: a slow SMTP server never holds database locks.
   */
  async sendDue(batch = 10): Promise<number> {
    const due = await rows<{ id: string; workspace_id: string | null; to_address: string; subject: string; text_body: string; html_body: string | null; attempts: number }>(
      this.database.db,
      sql`update ${mailMessage} set next_attempt_at = now() + (${CLAIM_LEASE_SECONDS} * interval '1 second'), attempts = attempts + 1
        where id in (
          select id from ${mailMessage} where status = 'queued' and next_attempt_at <= now()
          order by next_attempt_at limit ${batch} for update skip locked
        )
        returning id::text, workspace_id::text, to_address, subject, text_body, html_body, attempts`,
    );
    for (const message of due) {
      try {
        const { transport, from } = await this.transportFor(message.workspace_id);
        await transport.sendMail({ from, to: message.to_address, subject: message.subject, text: message.text_body, ...(message.html_body ? { html: message.html_body } : {}) });
        await this.database.db.update(mailMessage).set({ status: 'sent', sentAt: new Date(), lastError: null }).where(eq(mailMessage.id, message.id));
      } catch (error) {
        const failed = message.attempts >= this.maxAttempts;
        await this.database.db
          .update(mailMessage)
          .set({
            status: failed ? 'failed' : 'queued',
            lastError: String((error as Error).message ?? error).slice(0, 1000),
            nextAttemptAt: new Date(Date.now() + this.retryBaseMs * 2 ** (message.attempts - 1)),
          })
          .where(eq(mailMessage.id, message.id));
      }
    }
    return due.length;
  }

  /** The workspace's SMTP server, else the server's default; transports are reused per configuration. */
  private async transportFor(workspaceId: string | null): Promise<{ transport: Transporter; from: string }> {
    let settings: SmtpSettings | undefined;
    if (workspaceId) {
      const [row] = await this.database.db.select({ settings: workspace.settings }).from(workspace).where(eq(workspace.id, workspaceId));
      const stored = (row?.settings as { mail?: unknown } | undefined)?.mail;
      if (stored) {
        const { password: sealed, ...rest } = stored as { password?: string };
        settings = { ...smtpSettingsSchema.parse(rest), ...(sealed ? { password: this.secrets.open(sealed) } : {}) };
      }
    }
    if (!settings && !this.options.smtpUrl) throw new Error('mail is not configured: set RAPPORT_SMTP_URL, or the workspace SMTP settings');
    const config = settings
      ? { host: settings.host, port: settings.port, secure: settings.secure, ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}) }
      : this.options.smtpUrl!;
    const key = JSON.stringify(config);
    let transport = this.transports.get(key);
    if (!transport) {
      // Loaded on the first message: most servers send little mail, and idle memory counts.
      const { default: nodemailer } = await import('nodemailer');
      transport = nodemailer.createTransport(config as never);
      this.transports.set(key, transport);
    }
    return { transport, from: settings?.from ?? this.options.from ?? 'Rapport <rapport@localhost>' };
  }

  /** The mail log of a workspace, newest first (admins of settings). */
  async log(access: Access, limit = 100) {
    access.assertAdmin('settings');
    const rows = await this.database.db
      .select()
      .from(mailMessage)
      .where(eq(mailMessage.workspaceId, access.actor.workspaceId))
      .orderBy(desc(mailMessage.createdAt))
      .limit(Math.min(Math.max(limit, 1), 500));
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      to: row.toAddress,
      subject: row.subject,
      status: row.status as 'queued' | 'sent' | 'failed',
      attempts: row.attempts,
      lastError: row.lastError,
      nextAttemptAt: row.status === 'queued' ? row.nextAttemptAt.toISOString() : null,
      sentAt: row.sentAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
    }));
  }

  /** Changes a workspace's SMTP settings (null: back to the server's default). */
  async configure(access: Access, settings: SmtpSettings | null): Promise<void> {
    access.assertAdmin('settings');
    await this.database.db.transaction(async (tx) => {
      const [row] = await tx.select({ settings: workspace.settings }).from(workspace).where(eq(workspace.id, access.actor.workspaceId)).for('update');
      const current = (row?.settings ?? {}) as Record<string, unknown>;
      const previous = current.mail as SmtpSettings | undefined;
      // An omitted password keeps the one already set (answers never show it).
      // Kept encrypted: a copy of the database does not give the mail server away.
      const password = settings?.password !== undefined ? this.secrets.seal(settings.password) : previous?.password;
      const next = settings ? { ...settings, ...(password !== undefined ? { password } : {}) } : undefined;
      const { mail: _dropped, ...others } = current;
      await tx.update(workspace).set({ settings: sql`${JSON.stringify(next ? { ...others, mail: next } : others)}::jsonb` }).where(eq(workspace.id, access.actor.workspaceId));
    });
    this.transports.clear();
  }

  async settings(access: Access): Promise<SmtpSettings | undefined> {
    access.assertAdmin('settings');
    const [row] = await this.database.db.select({ settings: workspace.settings }).from(workspace).where(eq(workspace.id, access.actor.workspaceId));
    return (row?.settings as { mail?: SmtpSettings } | undefined)?.mail;
  }
}
