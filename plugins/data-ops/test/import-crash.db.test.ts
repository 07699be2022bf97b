import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { type ChildDatabase, createChildDatabase, describeDb, startServerProcess, stopServerProcesses } from '@rapport/testing';

const root = path.resolve(import.meta.dirname, '../../..');
const fixture = path.join(import.meta.dirname, 'fixtures/import-server.ts');
const ROWS = 10_000;

describeDb('data-ops: an import killed mid-run (SIGKILL) and resumed writes every row exactly once', () => {
  let database: ChildDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createChildDatabase();
    ({ env } = database);
  });
  afterAll(async () => {
    await stopServerProcesses();
    await database?.close();
  });

  it('resumes where the dead server stopped', async () => {
    const lines = ['Prénom;Nom;Email'];
    for (let index = 1; index <= ROWS; index++) lines.push(`Prénom${index};Nom${index};personne${index}@societe${index}.crash.test`);
    const file = lines.join('\n');

    const first = await startServerProcess(fixture, { cwd: root, env: { ...env, CRASH_AFTER_ROWS: '1000' } });
    const login = await fetch(`${first.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@rapport.local', password: 'correct horse battery' }) });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const headers = { cookie, 'x-csrf-token': csrfToken };
    expect((await fetch(`${first.url}/api/v1/plugins/data-ops/enable`, { method: 'POST', headers })).status).toBe(200);
    const keyResponse = await fetch(`${first.url}/api/v1/api-keys`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'crash test' }) });
    const { token } = (await keyResponse.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const upload = await fetch(`${first.url}/api/v1/plugins/data-ops/imports?object=person&fileName=crash.csv`, { method: 'POST', headers: auth, body: file });
    expect(upload.status).toBe(201);
    const { id } = (await upload.json()) as { id: string };
    expect((await fetch(`${first.url}/api/v1/plugins/data-ops/imports/${id}/start`, { method: 'POST', headers: auth })).status).toBe(202);
    let current = first;
    const progress = async (url: string, attempt = 1): Promise<{ status: string; progress: { processed: number; created: number } }> => {
      try {
        return (await (await fetch(`${url}/api/v1/plugins/data-ops/imports/${id}`, { headers: auth })).json()) as { status: string; progress: { processed: number; created: number } };
      } catch (error) {
        // A kept-alive socket the busy server closed under the request (as browsers do, try again on a new one).
        if (attempt < 3 && current.process.exitCode === null && current.process.signalCode === null) return progress(url, attempt + 1);
        throw new Error(`${(error as Error).message}; the server (exit ${current.process.exitCode}, signal ${current.process.signalCode}) said:\n${current.output.slice(-3000)}`);
      }
    };
    // The server kills itself once 1,000 rows are in, long before the last.
    await first.exited;
    expect(first.process.signalCode).toBe('SIGKILL');

    const second = await startServerProcess(fixture, { cwd: root, env });
    current = second;
    // Before the stalled run is taken up again (its lease lapses 15 s after its last batch).
    const killedAt = await progress(second.url);
    expect(killedAt.progress.processed).toBeGreaterThanOrEqual(1000);
    expect(killedAt.progress.processed).toBeLessThan(ROWS);
    const started = Date.now();
    let done = await progress(second.url);
    while (done.status === 'running' && Date.now() - started < 90_000) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      done = await progress(second.url);
    }
    second.process.kill('SIGTERM');
    await second.exited;
    expect(done).toMatchObject({ status: 'done', progress: { processed: ROWS, created: ROWS } });

    const opened = await database.open();
    try {
      const [people] = await rows<{ total: number; emails: number }>(opened.db, sql`select count(*)::int as total, count(distinct email)::int as emails from person where email like '%.crash.test' and deleted_at is null`);
      expect(people).toEqual({ total: ROWS, emails: ROWS });
      const statuses = await rows<{ status: string; count: number; records: number }>(opened.db, sql`select status, count(*)::int as count, count(distinct record_id)::int as records from plugin_data_ops.import_row where import_id = ${id} group by 1`);
      expect(statuses).toEqual([{ status: 'created', count: ROWS, records: ROWS }]);
    } finally {
      await opened.close();
    }
  }, 180_000);
});
