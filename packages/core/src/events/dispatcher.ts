import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { Database, Executor } from '@rapport/db';
import { outboxDelivery, outboxEvent } from '../schema/outbox';
import { WorkLoop } from '../jobs/work-loop';
import { decodeBatch } from './batch-encoding';
import { OUTBOX_CHANNEL } from './outbox-writer';

export interface DeliveredEvent {
  id: string;
  seq: number;
  workspaceId: string;
  type: string;
  object: string | null;
  recordId: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export interface EventSubscriber {
  /** Unique and stable: deliveries are recorded under it. */
  name: string;
  /** `record.created`, `record.*`, or `*`. */
  types?: string[];
  /**
   * Transactional subscribers get the delivery's transaction: their writes and the delivery record
   * commit together, so their effect happens exactly once. Others are called, then recorded:
   * at least once (a crash in between calls them again).
   */
  transactional?: boolean;
  handle(event: DeliveredEvent, tx?: Executor): Promise<void>;
}

export interface DispatcherOptions {
  /** How long a claimed event stays reserved for the server that claimed it. */
  leaseMs?: number;
  /** Fallback polling, for retries and missed notifications. */
  pollMs?: number;
  batchSize?: number;
  onError?: (subscriber: string, event: DeliveredEvent, error: unknown) => void;
}

type ClaimedRow = typeof outboxEvent.$inferSelect;

/** The events a row of the outbox holds: itself, or the events of one write's batch, in order, each with the payload entries they share. */
function eventsOf(row: ClaimedRow): DeliveredEvent[] {
  const { batch, attempts: _attempts, deliveredAt: _delivered, nextAttemptAt: _next, lastError: _error, ...event } = row;
  if (!batch) return [event];
  return decodeBatch(event.payload, batch).map((item) => ({ ...event, ...item }));
}

function matches(subscriber: EventSubscriber, type: string): boolean {
  if (!subscriber.types || subscriber.types.length === 0) return true;
  return subscriber.types.some((pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))));
}

/** Retries back off from 1 s to an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers outbox events to subscribers after commit: woken by NOTIFY, polling as a fallback.
 * Several servers can run one each: events are claimed with a lease (FOR UPDATE SKIP LOCKED).
 */
export class EventDispatcher {
  private readonly subscribers = new Map<string, EventSubscriber>();
  private readonly loop: WorkLoop;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly database: Database,
    private readonly options: DispatcherOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 2_000;
    this.batchSize = options.batchSize ?? 100;
    this.loop = new WorkLoop(database, {
      work: () => this.dispatchOnce(),
      pollMs: this.pollMs,
      channel: OUTBOX_CHANNEL,
      onError: (error) => options.onError?.('dispatcher', {} as DeliveredEvent, error),
    });
  }

  /**
   * Adds a subscriber; one registered again under the same name replaces the previous one (a plugin's
   * code read again in development) and keeps its place in the stream. The returned function removes
   * it, unless it was replaced since.
   */
  subscribe(subscriber: EventSubscriber): () => void {
    this.subscribers.set(subscriber.name, subscriber);
    this.notify();
    return () => {
      if (this.subscribers.get(subscriber.name) === subscriber) this.subscribers.delete(subscriber.name);
    };
  }

  notify(): void {
    this.loop.poke();
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Claims a batch of due events and delivers each to every matching subscriber; returns how many it handled. */
  async dispatchOnce(): Promise<number> {
    const claimed = await this.claim();
    if (claimed.length > 0) await this.deliver(claimed);
    return claimed.length;
  }

  /** Delivers everything due now (tests, and shutdown). */
  async drain(): Promise<void> {
    while ((await this.dispatchOnce()) > 0) {
      /* keep going */
    }
  }

  private async claim(): Promise<ClaimedRow[]> {
    const db = this.database.db;
    return db.transaction(async (tx) => {
      const due = await tx
        .select({ seq: outboxEvent.seq })
        .from(outboxEvent)
        .where(and(isNull(outboxEvent.deliveredAt), or(isNull(outboxEvent.nextAttemptAt), lte(outboxEvent.nextAttemptAt, sql`now()`))))
        .orderBy(asc(outboxEvent.seq))
        .limit(this.batchSize)
        .for('update', { skipLocked: true });
      if (due.length === 0) return [];
      const rows = await tx
        .update(outboxEvent)
        .set({ nextAttemptAt: sql`now() + ${`${this.leaseMs} milliseconds`}::interval`, attempts: sql`${outboxEvent.attempts} + 1` })
        .where(inArray(outboxEvent.seq, due.map((row) => row.seq)))
        .returning();
      return rows.sort((a, b) => a.seq - b.seq);
    });
  }

  /**
   * Delivers claimed rows: one query for what was already done, one to mark what succeeded. A row
   * holding a write's batch is delivered to each subscriber as its events one by one, recorded once:
   * a transactional subscriber handles them all in one transaction.
   */
  private async deliver(rows: ClaimedRow[]): Promise<void> {
    const db = this.database.db;
    const subscribers = [...this.subscribers.values()];
    const done = new Set<string>();
    if (subscribers.length > 0) {
      const found = await db
        .select({ subscriber: outboxDelivery.subscriber, eventId: outboxDelivery.eventId })
        .from(outboxDelivery)
        .where(inArray(outboxDelivery.eventId, rows.map((row) => row.id)));
      for (const delivery of found) done.add(`${delivery.subscriber}\u0000${delivery.eventId}`);
    }
    const delivered: number[] = [];
    const recorded: { subscriber: string; eventId: string }[] = [];
    for (const row of rows) {
      const events = eventsOf(row);
      let failure: unknown = null;
      for (const subscriber of subscribers) {
        if (done.has(`${subscriber.name}\u0000${row.id}`) || !matches(subscriber, row.type)) continue;
        let current = events[0]!;
        try {
          if (subscriber.transactional) {
            await db.transaction(async (tx) => {
              for (const event of events) {
                current = event;
                await subscriber.handle(event, tx);
              }
              await tx.insert(outboxDelivery).values({ subscriber: subscriber.name, eventId: row.id });
            });
          } else {
            for (const event of events) {
              current = event;
              await subscriber.handle(event);
            }
            recorded.push({ subscriber: subscriber.name, eventId: row.id });
          }
        } catch (error) {
          failure ??= error;
          this.options.onError?.(subscriber.name, current, error);
        }
      }
      if (!failure) delivered.push(row.seq);
      else {
        await db
          .update(outboxEvent)
          .set({ nextAttemptAt: new Date(Date.now() + backoffMs(row.attempts)), lastError: String((failure as Error)?.message ?? failure).slice(0, 2000) })
          .where(eq(outboxEvent.seq, row.seq));
      }
    }
    if (recorded.length > 0) await db.insert(outboxDelivery).values(recorded).onConflictDoNothing();
    if (delivered.length > 0) {
      await db.update(outboxEvent).set({ deliveredAt: new Date(), lastError: null }).where(inArray(outboxEvent.seq, delivered));
    }
  }
}
