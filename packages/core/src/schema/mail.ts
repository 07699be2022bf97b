import { index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { citext, createdAt } from './columns';

/**
 * Mail to send, written in the transaction of what caused it (an invitation, a reset…), sent by
 * the mail sender with retries; the rows stay as the mail log.
 */
export const mailMessage = pgTable(
  'mail_message',
  {
    id: uuid('id').primaryKey(),
    workspaceId: uuid('workspace_id'),
    kind: text('kind').notNull(),
    toAddress: text('to_address').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body'),
    /** queued → sent, or failed after the last attempt. */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index('mail_message_due_idx').on(t.status, t.nextAttemptAt), index('mail_message_workspace_idx').on(t.workspaceId, t.createdAt)],
);

/** A link to join a workspace: single use, expiring; only the token's hash is kept. */
export const invitation = pgTable(
  'invitation',
  {
    workspaceId: uuid('workspace_id').notNull(),
    id: uuid('id').notNull(),
    email: citext('email').notNull(),
    role: text('role').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.id] }), index('invitation_workspace_idx').on(t.workspaceId, t.createdAt)],
);

export const passwordReset = pgTable('password_reset', {
  tokenHash: text('token_hash').primaryKey(),
  userId: uuid('user_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/** An OpenID Connect sign-in between the redirect to the provider and its callback. */
export const oidcLogin = pgTable('oidc_login', {
  stateHash: text('state_hash').primaryKey(),
  codeVerifier: text('code_verifier').notNull(),
  nonce: text('nonce').notNull(),
  returnTo: text('return_to').notNull().default('/'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});
