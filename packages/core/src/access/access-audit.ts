import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '@rapport/db';
import { parseOrThrow } from '../problems';
import { accessAudit } from '../schema/access';
import type { Access } from './access';
import type { Actor } from './actor';

export const AUDIT_ACTIONS = [
  'auth.login',
  'auth.mfa',
  'auth.logout',
  'auth.locked',
  'role.created',
  'role.updated',
  'role.deleted',
  'member.updated',
  'member.deactivated',
  'member.reactivated',
  'team.created',
  'team.updated',
  'team.deleted',
  'share.created',
  'share.deleted',
  'apiKey.created',
  'apiKey.revoked',
  'apiKey.used',
  'mfa.enabled',
  'mfa.disabled',
  'records.exported',
  'records.imported',
  'records.merged',
  'records.unmerged',
  'records.purged',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'auth.passwordResetRequested',
  'auth.passwordReset',
  'auth.sso',
  'workspace.created',
  'plugin.purged',
  'plugin.secretChanged',
  'webhook.created',
  'webhook.deleted',
  'field.sensitiveRead',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditInput {
  workspaceId: string | null;
  action: AuditAction;
  outcome?: 'success' | 'failure';
  actor?: Actor;
  userId?: string | null;
  target?: string;
  ip?: string;
  detail?: Record<string, unknown>;
}

export const auditQuerySchema = z.strictObject({
  action: z.enum(AUDIT_ACTIONS).optional(),
  userId: z.uuid().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional().describe('Entries older than this id (the previous page\'s last id)'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The access audit: written in the transaction of what it records, read by admins, never changed. */
export async function writeAudit(executor: Executor, entry: AuditInput): Promise<void> {
  await executor.insert(accessAudit).values({
    workspaceId: entry.workspaceId,
    action: entry.action,
    outcome: entry.outcome ?? 'success',
    actorKind: entry.actor?.kind ?? 'anonymous',
    actorId: entry.actor?.id ?? null,
    userId: entry.userId ?? entry.actor?.userId ?? null,
    target: entry.target ?? null,
    ip: entry.ip ?? null,
    detail: entry.detail ?? {},
  });
}

export async function queryAudit(executor: Executor, access: Access, query: unknown) {
  access.assertAdmin('audit');
  const input = parseOrThrow(auditQuerySchema, query);
  const conditions: (SQL | undefined)[] = [eq(accessAudit.workspaceId, access.actor.workspaceId)];
  if (input.action) conditions.push(eq(accessAudit.action, input.action));
  if (input.userId) conditions.push(eq(accessAudit.userId, input.userId));
  if (input.since) conditions.push(gte(accessAudit.at, new Date(input.since)));
  if (input.until) conditions.push(lte(accessAudit.at, new Date(input.until)));
  if (input.before) conditions.push(lt(accessAudit.id, input.before));
  const found = await executor
    .select()
    .from(accessAudit)
    .where(and(...conditions))
    .orderBy(desc(accessAudit.id))
    .limit(input.limit + 1);
  const page = found.slice(0, input.limit);
  return {
    data: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      action: row.action,
      outcome: row.outcome,
      actorKind: row.actorKind,
      actorId: row.actorId,
      userId: row.userId,
      target: row.target,
      ip: row.ip,
      detail: row.detail,
    })),
    nextBefore: found.length > input.limit ? page[page.length - 1]!.id : null,
  };
}
