import pino from 'pino';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { JobRunner } from '@rapport/jobs';
import { createTestDatabase, describeDb, eventually, type TestDatabase } from '@rapport/testing';

/** Rejections no one handled while a test ran: pg-boss does not await a worker's end of job. */
const unhandled: unknown[] = [];
const collect = (reason: unknown) => unhandled.push(reason);

const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));
const jobState = async (testDatabase: TestDatabase, id: string) =>
  String((await testDatabase.database.executeRaw('select state::text from pgboss.job where id = $1', [id])).rows[0]?.state);

describeDb('the job runner', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    process.on('unhandledRejection', collect);
  });
  afterAll(async () => {
    process.off('unhandledRejection', collect);
    await testDatabase.close();
  });
  afterEach(() => {
    unhandled.length = 0;
  });

  it('a job that ends after the queue stopped finishes into nothing: no unhandled rejection, the job left to be retried', async () => {
    const jobs = new JobRunner(testDatabase.database, pino({ level: 'silent' }), 0.5);
    let started = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await jobs.work('test.slow', async () => {
      started = true;
      await released;
      throw new Error('ended after the stop');
    });
    const id = await jobs.send('test.slow', {});
    await eventually(async () => started, Boolean);
    await jobs.stop(); // waits 5 s for the job, then lets go of the database
    release();
    await settle();
    expect(unhandled).toEqual([]);
    // pg-boss failed it at the stop's end, to be retried: the job's own end changes nothing.
    expect(await jobState(testDatabase, id)).toBe('retry');
  }, 20_000);

  it('a job whose end the database refuses is logged, and the server goes on working its queue', async () => {
    const warnings: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    const jobs = new JobRunner(testDatabase.database, log, 0.5);
    const done: string[] = [];
    await jobs.work('test.nul', async (data) => {
      const { tag } = data as { tag: string };
      // PostgreSQL's jsonb refuses \u0000: the failure pg-boss records for this job cannot be written.
      if (tag === 'nul') throw new Error('a byte \u0000 in the message');
      done.push(tag);
    });
    try {
      const refused = await jobs.send('test.nul', { tag: 'nul' });
      await eventually(async () => warnings, (lines) => lines.some((line) => line.includes('could not record')));
      const next = await jobs.send('test.nul', { tag: 'next' });
      await eventually(async () => jobState(testDatabase, next), (state) => state === 'completed');
      expect(done).toEqual(['next']);
      expect(await jobState(testDatabase, refused)).toBe('active');
      await settle();
      expect(unhandled).toEqual([]);
    } finally {
      await jobs.stop();
    }
  }, 30_000);
});
