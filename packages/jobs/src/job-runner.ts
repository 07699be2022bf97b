import type { Database } from '@rapport/db';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { type Access, problems } from '@rapport/core';
import { queueDatabase } from './queue-database';

export interface JobView {
  id: string;
  queue: string;
  plugin: string | null;
  state: string;
  data: unknown;
  retryCount: number;
  createdAt: string;
  startAfter: string | null;
  completedAt: string | null;
  output: unknown;
}

/** Queue names are namespaced by plugin: `plugin.<id>.<job>`. */
export const jobQueue = (pluginId: string, job: string) => `plugin.${pluginId}.${job}`;

/**
 * Background jobs on pg-boss, in the same database (PGlite or PostgreSQL): on demand, delayed and
 * cron. Started only when something first uses it, so a server without jobs pays nothing.
 */
export class JobRunner {
  private readonly scheduled = new Map<string, number>();
  private schedulings = 0;
  private boss: Promise<PgBoss> | null = null;
  /** The queue instance in use; once it is stopped, a job still running past the wait finishes into nothing. */
  private generation = 0;

  constructor(
    private readonly database: Database,
    private readonly log: Logger,
    /** How often workers look for jobs; tests shorten it. */
    private readonly pollingSeconds = 2,
  ) {}

  private instance(): Promise<PgBoss> {
    this.boss ??= (async () => {
      const { default: PgBossClass } = await import('pg-boss');
      const generation = ++this.generation;
      const live = () => generation === this.generation;
      const boss = new PgBossClass({ db: queueDatabase(this.database, this.log, 'pgboss', live), schema: 'pgboss', migrate: true });
      boss.on('error', (error) => this.log.warn({ err: error }, 'job queue error'));
      await boss.start();
      return boss;
    })();
    return this.boss;
  }

  async ensureQueue(queue: string): Promise<PgBoss> {
    const boss = await this.instance();
    if (!(await boss.getQueue(queue))) await boss.createQueue(queue, { name: queue, retryLimit: 3, retryDelay: 5, retryBackoff: true });
    return boss;
  }

  async send(queue: string, data: object, options: { delaySeconds?: number } = {}): Promise<string> {
    const boss = await this.ensureQueue(queue);
    const id = await boss.send(queue, data, options.delaySeconds ? { startAfter: options.delaySeconds } : {});
    if (!id) throw problems.conflict(`The job could not be queued on ${queue}`);
    return id;
  }

  /** The data a job of this queue was sent with, or null if there is no such job. */
  async jobData(queue: string, id: string): Promise<object | null> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    const boss = await this.ensureQueue(queue);
    const job = await boss.getJobById<object>(queue, id, { includeArchive: true });
    return job?.data ?? null;
  }

  /**
   * A worker for the queue; returns its disposal (no new job starts after it). Only this worker stops:
   * a plugin's new code starts its workers before its old code's are disposed.
   */
  async work(queue: string, handler: (data: unknown, id: string) => Promise<unknown>): Promise<() => Promise<void>> {
    const boss = await this.ensureQueue(queue);
    const worker = await boss.work(queue, { pollingIntervalSeconds: this.pollingSeconds }, async (jobs) => {
      for (const job of jobs) await handler(job.data, job.id);
    });
    return () => boss.offWork({ id: worker });
  }

  /**
   * A cron schedule for the queue (one per queue); returns its removal, which leaves alone a schedule
   * set again since (a plugin's new code schedules before its old code is disposed).
   */
  async schedule(queue: string, cron: string): Promise<() => Promise<void>> {
    const boss = await this.ensureQueue(queue);
    await boss.schedule(queue, cron, {});
    const generation = ++this.schedulings;
    this.scheduled.set(queue, generation);
    return async () => {
      if (this.scheduled.get(queue) !== generation) return;
      this.scheduled.delete(queue);
      await boss.unschedule(queue);
    };
  }

  async schedules(): Promise<{ queue: string; cron: string }[]> {
    if (!this.boss) return [];
    return (await (await this.boss).getSchedules()).map((schedule) => ({ queue: schedule.name, cron: schedule.cron }));
  }

  /** Jobs admin: the newest jobs of plugins' queues, optionally one state. */
  async list(access: Access, options: { state?: string; limit?: number } = {}): Promise<JobView[]> {
    access.assertAdmin('plugins');
    if (!this.boss) return [];
    await this.boss;
    const { rows } = await this.database.executeRaw(
      `select id::text, name, state::text, data, retry_count, created_on, start_after, completed_on, output
       from pgboss.job where name like 'plugin.%' and ($1::text is null or state::text = $1) order by created_on desc limit $2`,
      [options.state ?? null, Math.min(Math.max(options.limit ?? 100, 1), 500)],
    );
    return rows.map((row) => ({
      id: String(row.id),
      queue: String(row.name),
      plugin: /^plugin\.([^.]+)\./.exec(String(row.name))?.[1] ?? null,
      state: String(row.state),
      data: row.data,
      retryCount: Number(row.retry_count),
      createdAt: new Date(row.created_on as string).toISOString(),
      startAfter: row.start_after ? new Date(row.start_after as string).toISOString() : null,
      completedAt: row.completed_on ? new Date(row.completed_on as string).toISOString() : null,
      output: row.output ?? null,
    }));
  }

  async retry(access: Access, id: string): Promise<void> {
    const job = await this.find(access, id);
    await (await this.instance()).retry(job.queue, id);
  }

  async cancel(access: Access, id: string): Promise<void> {
    const job = await this.find(access, id);
    await (await this.instance()).cancel(job.queue, id);
  }

  private async find(access: Access, id: string): Promise<JobView> {
    const job = (await this.list(access, { limit: 500 })).find((candidate) => candidate.id === id);
    if (!job) throw problems.notFound(`job ${id} does not exist`);
    return job;
  }

  async stop(): Promise<void> {
    if (!this.boss) return;
    const boss = await this.boss.catch(() => null);
    this.boss = null;
    // Jobs running now may finish (and be marked done) for a few seconds; then the queue lets go of the database.
    await boss?.stop({ graceful: true, wait: true, close: false, timeout: 5_000 }).catch(() => {});
    this.generation++;
  }
}
