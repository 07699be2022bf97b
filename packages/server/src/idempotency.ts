import crypto from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Executor } from '@rapport/db';
import { type Actor, type Core, problems } from '@rapport/core';
import { schema } from '@rapport/core';

const { idempotencyKey } = schema;

export interface StoredAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/**
 * Creating requests with an `Idempotency-Key`: the key is claimed in the transaction that does
 * the work and holds its answer, so a retry (or a concurrent twin, which waits on the claim)
 * gets the same answer and nothing is created twice. A failed request keeps nothing.
 */
export async function idempotent(
  c: Context,
  core: Core,
  actor: Actor,
  body: unknown,
  work: (tx: Executor) => Promise<StoredAnswer>,
): Promise<StoredAnswer> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return core.records.transaction(work);
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw problems.badRequest('Idempotency-Key must be 1 to 255 visible ASCII characters', [{ field: 'Idempotency-Key', code: 'invalid', message: 'is malformed' }]);
  }
  const requestHash = crypto
    .createHash('sha256')
    .update(`${c.req.method} ${new URL(c.req.url).pathname}\n${JSON.stringify(body)}`)
    .digest('hex');
  return core.records.transaction(async (tx) => {
    const claimed = await tx
      .insert(idempotencyKey)
      .values({ workspaceId: actor.workspaceId, actorId: `${actor.kind}:${actor.id}`, key, requestHash })
      .onConflictDoNothing()
      .returning({ key: idempotencyKey.key });
    const where = and(eq(idempotencyKey.workspaceId, actor.workspaceId), eq(idempotencyKey.actorId, `${actor.kind}:${actor.id}`), eq(idempotencyKey.key, key));
    if (claimed.length === 0) {
      const [previous] = await tx.select().from(idempotencyKey).where(where);
      if (!previous || previous.requestHash !== requestHash) throw problems.idempotencyMismatch();
      return { status: previous.status ?? 200, body: previous.response, headers: { ...(previous.headers ?? {}), 'idempotent-replayed': 'true' } };
    }
    const answer = await work(tx);
    await tx.update(idempotencyKey).set({ status: answer.status, response: answer.body as never, headers: answer.headers }).where(where);
    return answer;
  });
}

/** Keys older than a day are forgotten. */
export async function expireIdempotencyKeys(executor: Executor): Promise<void> {
  await executor.delete(idempotencyKey).where(sql`${idempotencyKey.createdAt} < now() - interval '24 hours'`);
}
