import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('workspaces: several on one server, their data apart on every path', () => {
  let t: TestServer;
  let session: { cookie: string; csrf: string };
  let other: { id: string; token: string; company: string; custom: string };
  const asSession = (path: string, init: RequestInit & { json?: unknown } = {}) =>
    fetch(`${t.url}${path}`, {
      ...init,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });

  beforeAll(async () => {
    t = await createTestServer();
    const login = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse battery' }) });
    session = { cookie: login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; '), csrf: (await json(login)).csrfToken };
    const created = await asSession('/api/v1/workspaces', { method: 'POST', json: { name: 'Other agency', slug: 'other-agency' } });
    expect(created.status, await created.clone().text()).toBe(201);
    const { id } = await json(created);
    expect((await asSession(`/api/v1/workspaces/${id}/switch`, { method: 'POST' })).status).toBe(204);
    expect((await json(await asSession('/api/v1/me'))).workspaceId).toBe(id);
    const { token } = await json(await asSession('/api/v1/api-keys', { method: 'POST', json: { name: 'other' } }));
    const company = await json(await asSession('/api/v1/records/company', { method: 'POST', json: { name: 'Isolated Holdings' } }));
    expect((await asSession('/api/v1/metadata/objects', { method: 'POST', json: { name: 'listing', labels: { singular: { en: 'Listing' }, plural: { en: 'Listings' } }, fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }] } })).status).toBe(201);
    const custom = await json(await asSession('/api/v1/records/listing', { method: 'POST', json: { title: 'Secret listing' } }));
    other = { id, token, company: company.id, custom: custom.id };
  });
  afterAll(() => t?.close());

  it('a record of another workspace does not exist for this one, whatever the path', async () => {
    const paths: [string, RequestInit & { json?: unknown }, number][] = [
      [`/api/v1/records/company/${other.company}`, {}, 404],
      [`/api/v1/records/company/${other.company}`, { method: 'PATCH', json: { name: 'Hijacked' } }, 404],
      [`/api/v1/records/company/${other.company}`, { method: 'DELETE' }, 404],
      [`/api/v1/records/company/${other.company}/restore`, { method: 'POST' }, 404],
      [`/api/v1/records/company/${other.company}/timeline`, {}, 404],
      [`/api/v1/records/company/${other.company}/shares`, {}, 404],
      [`/api/v1/records/company/${other.company}/shares`, { method: 'POST', json: { userId: t.admin.userId, access: 'edit' } }, 404],
      [`/api/v1/records/listing/${other.custom}`, {}, 404],
      ['/api/v1/records/listing', {}, 404],
      ['/api/v1/metadata/objects/listing', {}, 404],
      ['/api/v1/records/person', { method: 'POST', json: { lastName: 'Linked', company: other.company } }, 422],
      ['/api/v1/records/company/batch', { method: 'POST', json: { operation: 'update', records: [{ id: other.company, name: 'Hijacked' }] } }, 404],
    ];
    for (const [path, init, status] of paths) expect((await t.request(path, init)).status, `${init.method ?? 'GET'} ${path}`).toBe(status);
    const search = await json(await t.request('/api/v1/search?q=isolated'));
    expect(search.data).toEqual([]);
    const listed = await json(await t.request('/api/v1/records/company?limit=500'));
    expect(listed.data.map((record: Json) => record.id)).not.toContain(other.company);
    // And the other workspace's key sees its own record, and nothing of this one.
    const withOther = (path: string) => fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${other.token}` } });
    expect((await json(await withOther(`/api/v1/records/company/${other.company}`))).name).toBe('Isolated Holdings');
    const mine = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Home Co' } }));
    expect((await withOther(`/api/v1/records/company/${mine.id}`)).status).toBe(404);
    expect((await json(await withOther('/api/v1/records/company?limit=500'))).data.map((record: Json) => record.id)).toEqual([other.company]);
  });

  it('lists my workspaces; a session switches between them, an API key cannot', async () => {
    const mine = await json(await asSession('/api/v1/workspaces'));
    expect(mine.data.map((space: Json) => [space.slug, space.role, space.current])).toEqual([
      ['default', 'admin', false],
      ['other-agency', 'admin', true],
    ]);
    expect((await t.request(`/api/v1/workspaces/${other.id}/switch`, { method: 'POST' })).status).toBe(403);
    expect((await asSession(`/api/v1/workspaces/${crypto.randomUUID()}/switch`, { method: 'POST' })).status).toBe(404);
    expect((await asSession('/api/v1/workspaces', { method: 'POST', json: { name: 'Again', slug: 'other-agency' } })).status).toBe(409);
  });
});
