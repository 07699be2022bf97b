import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { type Database, openPglite, openPostgres, rows } from '@rapport/db';
import { createTestDatabase, describeDb, type TestDatabase } from '@rapport/testing';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixture = path.join(root, 'packages/server/test/fixtures/crash-server.ts');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Child {
  process: ChildProcess;
  output: string;
  url: string;
  exited: Promise<number | null>;
  waitFor(text: RegExp, timeoutMs?: number): Promise<void>;
}

async function startChild(env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<Child> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', RAPPORT_LOG_LEVEL: 'warn', RAPPORT_DEMO_DATA: 'false', RAPPORT_ADMIN_PASSWORD: 'correct horse battery', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const state: Child = {
    process: child,
    output: '',
    url: `http://127.0.0.1:${port}`,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    async waitFor(text, timeoutMs = 60_000) {
      const started = Date.now();
      while (!text.test(state.output)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited before ${text}:\n${state.output}`);
        if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${text}:\n${state.output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
  child.stdout!.on('data', (chunk) => (state.output += chunk));
  child.stderr!.on('data', (chunk) => (state.output += chunk));
  if (options.waitReady !== false) await state.waitFor(/^ready /m);
  return state;
}

describeDb('events survive a crash between commit and delivery', () => {
  let testDatabase: TestDatabase;
  let env: Record<string, string>;
  let dataDir: string;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-crash-'));
    if (testDatabase.driver === 'pglite') {
      // The child owns the folder: the test's own handle closes first, and opens it again at the end.
      await testDatabase.database.close();
      fs.renameSync(testDatabase.location, path.join(dataDir, 'pgdata'));
      env = { RAPPORT_DATA_DIR: dataDir };
    } else {
      env = { DATABASE_URL: testDatabase.location, RAPPORT_DATA_DIR: dataDir };
    }
  });
  afterAll(async () => {
    if (testDatabase.driver === 'postgres') await testDatabase.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
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

    let database: Database;
    if (testDatabase.driver === 'pglite') database = await openPglite({ pgDataDir: path.join(dataDir, 'pgdata') });
    else database = await openPostgres({ url: testDatabase.location, max: 1 });
    try {
      const log = await rows<{ event_id: string; deliveries: number }>(database.db, sql`select event_id::text, count(*)::int as deliveries from crash_test_log group by 1`);
      const events = await rows<{ id: string; record_id: string; delivered: boolean }>(database.db, sql`select id::text, record_id::text, delivered_at is not null as delivered from outbox_event where type = 'record.created'`);
      expect(events.map((event) => event.record_id).sort()).toEqual([...ids].sort());
      expect(events.every((event) => event.delivered)).toBe(true);
      expect(log).toHaveLength(ids.length);
      expect(log.every((entry) => entry.deliveries === 1)).toBe(true);
    } finally {
      await database.close();
    }
  }, 120_000);
});
