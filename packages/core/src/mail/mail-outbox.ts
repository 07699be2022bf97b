import { sql } from 'drizzle-orm';
import type { Executor } from '@rapport/db';
import { newId } from '../ids';
import { mailMessage } from '../schema/mail';

export const MAIL_CHANNEL = 'rapport_mail';

export interface OutgoingMail {
  workspaceId: string | null;
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/** Queues a message in the caller's transaction: it is sent only if that transaction commits. */
export async function enqueueMail(executor: Executor, mail: OutgoingMail): Promise<string> {
  const id = newId();
  await executor.insert(mailMessage).values({ id, workspaceId: mail.workspaceId, kind: mail.kind, toAddress: mail.to, subject: mail.subject, textBody: mail.text, htmlBody: mail.html ?? null });
  await executor.execute(sql`select pg_notify(${MAIL_CHANNEL}, '')`);
  return id;
}
