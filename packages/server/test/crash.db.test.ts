import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@rapport/db';
import { type ChildDatabase, createChildDatabase, describeDb, startServerProcess, stopServerProcesses } from '@rapport/testing';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = path.join(root, 'packages/server/test/fixtures/crash-server.ts');

const startChild = (env: Record<string, string>, options: { waitReady?: boolean } = {}) => startServerProcess(fixture, { cwd: root, env, ...options });

describeDb('events survive a crash between commit and delivery', () => {
  let database: ChildDatabase;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    database = await createChildDatabase();
    ({ env, dataDir } = database);
  });
  afterAll(async () => {
    await stopServerProcesses();
    await database?.close();
  });

  it('delivers every committed event exactly once to a transactional subscriber', async () => {
    // 1. Records are committed while no dispatcher runs, then the server dies without warning.
    const first = await startChild({ ...env, RAPPORT_DISPATCHER: 'false' });
    const login = await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@rapport.local', password: 'correct horse battery' }) });
    expect(login.status).toBe(200);
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) {
      const response = await fetch(`${first.url}/api/v1/records/company`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Crash ${index}` }) });
      expect(response.status).toBe(201);
      ids.push(((await response.json()) as { id: string }).id);
    }
    first.process.kill('SIGKILL');
    await first.exited;

    // 2. The next server dies in the middle of its first delivery, before that delivery commits.
    const marker = path.join(dataDir, 'crash-now');
    fs.writeFileSync(marker, '');
    const second = await startChild({ ...env, CRASH_MARKER: marker, RAPPORT_DISPATCH_LEASE_MS: '500' }, { waitReady: false });
    await second.exited;
    expect(second.process.signalCode).toBe('SIGKILL');

    // 3. A third server picks everything up once the dead server's lease has expired.
    const third = await startChild({ ...env, RAPPORT_DISPATCH_LEASE_MS: '500' });
    const delivered = () => (third.output.match(/^delivered /gm) ?? []).length;
    const started = Date.now();
    while (delivered() < ids.length && Date.now() - started < 30_000) await new Promise((resolve) => setTimeout(resolve, 100));
    third.process.kill('SIGTERM');
    await third.exited;

    const opened = await database.open();
    try {
      const log = await rows<{ event_id: string; deliveries: number }>(opened.db, sql`select event_id::text, count(*)::int as deliveries from crash_test_log group by 1`);
      const events = await rows<{ id: string; record_id: string; delivered: boolean }>(opened.db, sql`select id::text, record_id::text, delivered_at is not null as delivered from outbox_event where type = 'record.created'`);
      expect(events.map((event) => event.record_id).sort()).toEqual([...ids].sort());
      expect(events.every((event) => event.delivered)).toBe(true);
      expect(log).toHaveLength(ids.length);
      expect(log.every((entry) => entry.deliveries === 1)).toBe(true);
    } finally {
      await opened.close();
    }
  }, 120_000);
});
