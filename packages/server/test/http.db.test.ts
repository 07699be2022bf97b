import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

const json = async (response: Response): Promise<any> => response.json();

describeDb('HTTP API', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer();
  });
  afterAll(() => t?.close());

  it('requires credentials except on the public routes', async () => {
    for (const path of ['/api/v1/health', '/api/v1/ready', '/api/v1/openapi.json']) {
      expect((await fetch(`${t.url}${path}`)).status, path).toBe(200);
    }
    const anonymous = await fetch(`${t.url}/api/v1/records/company`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const badKey = await fetch(`${t.url}/api/v1/records/company`, { headers: { authorization: 'Bearer rk_nope' } });
    expect(badKey.status).toBe(401);
  });

  it('refuses a revoked API key on the next request', async () => {
    const created = await t.request('/api/v1/api-keys', { method: 'POST', json: { name: 'short-lived' } });
    expect(created.status).toBe(201);
    const { token, key } = await json(created);
    const withKey = () => fetch(`${t.url}/api/v1/records/company?limit=1`, { headers: { authorization: `Bearer ${token}` } });
    expect((await withKey()).status).toBe(200);
    const listed = await json(await t.request('/api/v1/api-keys'));
    expect(listed.data.find((candidate: { id: string }) => candidate.id === key.id)).toMatchObject({ name: 'short-lived', revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await t.request(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await withKey()).status).toBe(401);
  });

  it('signs in with a session cookie and enforces CSRF on writes', async () => {
    const login = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery' }) });
    expect(login.status).toBe(200);
    const { csrfToken } = await json(login);
    const cookies = login.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    expect(login.headers.getSetCookie().find((cookie) => cookie.startsWith('rapport_session='))).toMatch(/HttpOnly/i);
    const me = await fetch(`${t.url}/api/v1/me`, { headers: { cookie: cookies } });
    expect((await json(me)).user.email).toBe('admin@example.com');
    const body = JSON.stringify({ name: 'Cookie Corp' });
    const noCsrf = await fetch(`${t.url}/api/v1/records/company`, { method: 'POST', headers: { cookie: cookies, 'content-type': 'application/json' }, body });
    expect(noCsrf.status).toBe(403);
    const withCsrf = await fetch(`${t.url}/api/v1/records/company`, { method: 'POST', headers: { cookie: cookies, 'content-type': 'application/json', 'x-csrf-token': csrfToken }, body });
    expect(withCsrf.status).toBe(201);
    const wrongPassword = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'wrong' }) });
    expect(wrongPassword.status).toBe(401);
  });

  it('creates, lists with filters and sorts, updates with If-Match, deletes and restores', async () => {
    const created = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Initech', employees: 50 } });
    expect(created.status).toBe(201);
    const company = await json(created);
    expect(created.headers.get('etag')).toBe('"1"');
    const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'employees', op: 'gte', value: 10 }, { field: 'name', op: 'startsWith', value: 'init' }] }));
    const list = await json(await t.request(`/api/v1/records/company?filter=${filter}&sort=-employees,name&limit=10`));
    expect(list.data.map((record: { id: string }) => record.id)).toContain(company.id);
    expect(list.pageInfo).toEqual({ nextCursor: null, hasMore: false });
    const stale = await t.request(`/api/v1/records/company/${company.id}`, { method: 'PATCH', headers: { 'if-match': '"7"' }, json: { employees: 51 } });
    expect(stale.status).toBe(412);
    const patched = await t.request(`/api/v1/records/company/${company.id}`, { method: 'PATCH', headers: { 'if-match': '"1"' }, json: { employees: 51 } });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    // A list gives each record's version when asked (`fields=…,version`), for If-Match on a later write.
    const versions = await json(await t.request(`/api/v1/records/company?filter=${filter}&fields=name,version`));
    expect(versions.data.find((record: { id: string }) => record.id === company.id)).toEqual({ id: company.id, name: 'Initech', version: 2 });
    expect((await json(await t.request(`/api/v1/records/company?filter=${filter}&fields=name`))).data[0].version).toBeUndefined();
    expect((await t.request(`/api/v1/records/company/${company.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/records/company/${company.id}`)).status).toBe(404);
    const trash = await json(await t.request('/api/v1/records/company?deleted=only'));
    expect(trash.data.map((record: { id: string }) => record.id)).toContain(company.id);
    expect((await t.request(`/api/v1/records/company/${company.id}/restore`, { method: 'POST' })).status).toBe(200);
    const timeline = await json(await t.request(`/api/v1/records/company/${company.id}/timeline`));
    expect(timeline.data.map((entry: { action: string }) => entry.action)).toEqual(['restored', 'deleted', 'updated', 'created']);
    // Written through an API key: the timeline names the key and the user accountable for it.
    expect(timeline.data[0].actor).toEqual({ kind: 'apiKey', id: expect.any(String), name: 'tests', userId: t.admin.userId ?? t.admin.id });
  });

  it('answers bad input with problem+json naming the field, and writes nothing', async () => {
    const before = await t.rowCounts();
    const cases: [string, RequestInit & { json?: unknown }, number][] = [
      ['/api/v1/records/company', { method: 'POST', json: { name: 'X', employees: 'many' } }, 422],
      ['/api/v1/records/company', { method: 'POST', json: { name: 'X', nope: true } }, 422],
      ['/api/v1/records/company', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } }, 400],
      ['/api/v1/records/company', { method: 'POST', body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
      ['/api/v1/records/company?filter=%7B', {}, 400],
      ['/api/v1/records/company?sort=-nope', {}, 400],
      ['/api/v1/records/company?limit=0', {}, 400],
      ['/api/v1/records/company?cursor=abc', {}, 400],
      ['/api/v1/records/company?bogus=1', {}, 400],
      ['/api/v1/records/nothing', {}, 404],
      ['/api/v1/records/company/not-a-uuid', {}, 404],
      ['/api/v1/records/company/batch', { method: 'POST', json: { operation: 'create', records: [{ name: 'A' }, { name: 'B', employees: -1 }] } }, 422],
    ];
    for (const [path, init, status] of cases) {
      const response = await t.request(path, init);
      expect(response.status, path).toBe(status);
      expect(response.headers.get('content-type'), path).toContain('application/problem+json');
      const problem = await json(response);
      expect(problem).toMatchObject({ type: expect.stringContaining('https://rapport.dev/problems/'), status });
    }
    const batch = await json(await t.request('/api/v1/records/company/batch', { method: 'POST', json: { operation: 'create', records: [{ name: 'A' }, { name: 'B', employees: -1 }] } }));
    expect(batch.errors).toEqual([expect.objectContaining({ field: 'records.1.employees' })]);
    // Fields one may read but not write say why, rather than pass for unknown ones.
    const readOnly = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'X', createdAt: '2020-01-01T00:00:00Z', people: [] } }));
    expect(readOnly.errors).toEqual([
      { field: 'createdAt', code: 'read_only', message: 'is set by Rapport: read-only' },
      { field: 'people', code: 'read_only', message: 'lists the person records whose company points here: set person.company instead' },
    ]);
    expect(await t.rowCounts()).toEqual(before);
  });

  it('refuses bodies over the limit with 413', async () => {
    const response = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'x'.repeat(11 * 1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
  });

  it('replays an Idempotency-Key instead of creating twice, even when requests race', async () => {
    const before = (await json(await t.request('/api/v1/records/company?limit=500'))).data.length;
    const send = () => t.request('/api/v1/records/company', { method: 'POST', headers: { 'idempotency-key': 'race-1' }, json: { name: 'Once Only' } });
    const answers = await Promise.all(Array.from({ length: 8 }, send));
    const bodies = await Promise.all(answers.map((answer) => json(answer)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(201));
    expect(new Set(bodies.map((body) => body.id)).size).toBe(1);
    const after = (await json(await t.request('/api/v1/records/company?limit=500'))).data.length;
    expect(after).toBe(before + 1);
    const reused = await t.request('/api/v1/records/company', { method: 'POST', headers: { 'idempotency-key': 'race-1' }, json: { name: 'Something else' } });
    expect(reused.status).toBe(422);
  });

  it('searches accent-insensitively across objects', async () => {
    await t.request('/api/v1/records/person', { method: 'POST', json: { firstName: 'Eloise', lastName: 'Martin', email: 'eloise.martin@example.fr' } });
    const hits = await json(await t.request(`/api/v1/search?q=${encodeURIComponent('Éloïse')}`));
    expect(hits.data[0]).toMatchObject({ object: 'person', matchedField: 'firstName' });
    const byEmail = await json(await t.request('/api/v1/search?q=martin%40example'));
    expect(byEmail.data.length).toBeGreaterThan(0);
  });

  it('keeps long texts in any script: what fits an index is written and found, what does not is refused by name', async () => {
    // 600 ideographs are 1,800 bytes: within what a sorted, filtered or searched text may hold.
    const ideographs = (count: number, from: number) => Array.from({ length: count }, (_, index) => String.fromCodePoint(from + ((index * 7919) % 20000))).join('');
    const name = `漢字 ${ideographs(600, 0x4e00)}`;
    const created = await t.request('/api/v1/records/company', { method: 'POST', json: { name } });
    expect(created.status).toBe(201);
    const hits = await json(await t.request(`/api/v1/search?q=${encodeURIComponent('漢字')}`));
    expect(hits.data.map((hit: { id: string }) => hit.id)).toContain((await json(created)).id);

    // 1,000 emoji are within the 1,000 characters but 4,000 bytes: a 422 on the field, nothing written.
    const before = (await json(await t.request('/api/v1/records/company?limit=500'))).data.length;
    const emoji = Array.from({ length: 1000 }, (_, index) => String.fromCodePoint(0x1f300 + ((index * 31) % 700))).join('');
    const refused = await t.request('/api/v1/records/company', { method: 'POST', json: { name: emoji } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(refused)).errors).toEqual([expect.objectContaining({ field: 'name', code: 'too_big', message: expect.stringContaining('at most 2000 bytes') })]);
    const indexed = await t.request('/api/v1/metadata/objects/company/fields', { method: 'POST', json: { name: 'motto', type: 'text', indexed: true, labels: { en: 'Motto', fr: 'Devise' } } });
    expect(indexed.status).toBe(201);
    expect((await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Motto Corp', motto: emoji } })).status).toBe(422);
    expect((await json(await t.request('/api/v1/records/company?limit=500'))).data.length).toBe(before);

    // A long text made searchable keeps the start of its words that fits the index.
    const notes = await t.request('/api/v1/metadata/objects/company/fields', { method: 'POST', json: { name: 'history', type: 'longText', searchable: true, labels: { en: 'History', fr: 'Historique' } } });
    expect(notes.status).toBe(201);
    const long = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Long History', history: `${ideographs(1999, 0x4e00)} ${'ﬃ'.repeat(1500)}` } });
    expect(long.status).toBe(201);
  });
});
