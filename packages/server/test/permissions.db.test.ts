import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '@rapport/core';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('permissions: hierarchy, shares, deactivation, key ceilings, bad definitions, audit', () => {
  let t: TestServer;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();

  const as = (who: string, path: string, init: RequestInit & { json?: unknown } = {}) => t.request(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${tokens.get(who)}` } });
  const user = async (name: string, role: string, managerId?: string) => {
    const created = await t.request('/api/v1/users', { method: 'POST', json: { email: `${name}@perm.test`, name, role, password: 'a long enough password' } });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = (await json(created)).user.id as string;
    if (managerId) expect((await t.request(`/api/v1/users/${id}`, { method: 'PATCH', json: { managerId } })).status).toBe(200);
    const actor: Actor = { kind: 'user', id, userId: id, workspaceId: t.admin.workspaceId };
    tokens.set(name, (await t.core.identity.createApiKey(actor, { name })).token);
    ids.set(name, id);
    return id;
  };

  beforeAll(async () => {
    t = await createTestServer();
    // director ← manager ← lead ← rep ; peer reports to the director too.
    const director = await user('director', 'sales_manager');
    const manager = await user('manager', 'sales_manager', director);
    const lead = await user('lead', 'sales_manager', manager);
    await user('rep', 'sales_rep', lead);
    await user('peer', 'sales_rep', director);
  }, 120_000);
  afterAll(() => t?.close());

  it('a manager three levels up sees and reassigns a rep’s record; a peer does not see it', async () => {
    const created = await as('rep', '/api/v1/records/person', { method: 'POST', json: { lastName: 'Deal contact' } });
    expect(created.status).toBe(201);
    const { id } = await json(created);
    expect((await as('director', `/api/v1/records/person/${id}`)).status).toBe(200);
    expect((await as('peer', `/api/v1/records/person/${id}`)).status).toBe(404);
    const listed = await json(await as('peer', '/api/v1/records/person?limit=500'));
    expect(listed.data.map((record: Json) => record.id)).not.toContain(id);
    // The director gives it to the lead, who is under them too.
    expect((await as('director', `/api/v1/records/person/${id}`, { method: 'PATCH', json: { ownerId: ids.get('lead') } })).status).toBe(200);
    // The rep no longer sees it; the lead does.
    expect((await as('rep', `/api/v1/records/person/${id}`)).status).toBe(404);
    expect((await as('lead', `/api/v1/records/person/${id}`)).status).toBe(200);
    // A rep cannot hand a record to someone whose records they do not manage.
    const mine = await json(await as('rep', '/api/v1/records/person', { method: 'POST', json: { lastName: 'Mine' } }));
    const refused = await as('rep', `/api/v1/records/person/${mine.id}`, { method: 'PATCH', json: { ownerId: ids.get('peer') } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(await as('rep', `/api/v1/records/person/${mine.id}`))).ownerId).toBe(ids.get('rep'));
  });

  it('a shared record is visible until the share is removed; an edit share allows editing', async () => {
    const { id } = await json(await as('rep', '/api/v1/records/company', { method: 'POST', json: { name: 'Shared Co' } }));
    // Companies are readable by every rep; editing is the rep's own: the share is what lets the peer edit.
    let employees = 1;
    const peerEdits = async () => (await as('peer', `/api/v1/records/company/${id}`, { method: 'PATCH', json: { employees: employees++ } })).status;
    expect(await peerEdits()).toBe(404);
    const share = await as('rep', `/api/v1/records/company/${id}/shares`, { method: 'POST', json: { userId: ids.get('peer'), access: 'edit' } });
    expect(share.status).toBe(201);
    expect(await peerEdits()).toBe(200);
    const { id: shareId } = await json(share);
    expect((await as('rep', `/api/v1/records/company/${id}/shares/${shareId}`, { method: 'DELETE' })).status).toBe(204);
    expect(await peerEdits()).toBe(404);
    // Only someone who may edit a record shares it; a share names a user or a team, not both.
    expect((await as('peer', `/api/v1/records/company/${id}/shares`, { method: 'POST', json: { userId: ids.get('peer'), access: 'read' } })).status).toBe(403);
    const both = await as('rep', `/api/v1/records/company/${id}/shares`, { method: 'POST', json: { userId: ids.get('peer'), teamId: ids.get('peer'), access: 'read' } });
    expect(both.status).toBe(422);
    expect((await json(both)).errors[0].field).toBe('userId');
  });

  it('a deactivated user is refused at the next request, with a key or a session', async () => {
    await user('leaver', 'sales_rep');
    const login = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'leaver@perm.test', password: 'a long enough password' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { cookie } })).status).toBe(200);
    expect((await as('leaver', '/api/v1/me')).status).toBe(200);
    const deactivated = await t.request(`/api/v1/users/${ids.get('leaver')}/deactivate`, { method: 'POST' });
    expect(deactivated.status).toBe(200);
    expect((await json(deactivated)).deactivated).toBe(true);
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { cookie } })).status).toBe(401);
    expect((await as('leaver', '/api/v1/me')).status).toBe(401);
    const again = await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'leaver@perm.test', password: 'a long enough password' }) });
    expect(again.status).toBe(403);
  });

  it('an API key never exceeds its creator: refused beyond, narrowed when the creator loses rights', async () => {
    const beyond = await as('rep', '/api/v1/api-keys', { method: 'POST', json: { name: 'too much', role: 'admin' } });
    expect(beyond.status).toBe(403);
    expect((await json(beyond)).errors.map((error: Json) => error.field)).toContain('role.admin.users');
    // A manager may hand a key the narrower role of a rep (within their own rights)…
    const narrower = await as('manager', '/api/v1/api-keys', { method: 'POST', json: { name: 'rep-like', role: 'sales_rep' } });
    expect(narrower.status, await narrower.clone().text()).toBe(201);
    const { token } = await json(narrower);
    const withKey = (path: string, init: RequestInit & { json?: unknown } = {}) => t.request(path, { ...init, headers: { authorization: `Bearer ${token}` } });
    expect((await withKey('/api/v1/records/company', { method: 'POST', json: { name: 'Made by key' } })).status).toBe(201);
    // …but not the read-only role, which reads every person where the manager reads their team's only.
    expect((await as('manager', '/api/v1/api-keys', { method: 'POST', json: { name: 'reads all', role: 'read_only' } })).status).toBe(403);
    // Demoted, the creator takes their keys down with them: rep ∩ read-only.
    expect((await t.request(`/api/v1/users/${ids.get('manager')}`, { method: 'PATCH', json: { role: 'read_only' } })).status).toBe(200);
    expect((await withKey('/api/v1/records/company', { method: 'POST', json: { name: 'Not any more' } })).status).toBe(403);
    const me = await json(await withKey('/api/v1/me'));
    expect(me.permissions.objects.company).toMatchObject({ read: 'all', create: false, update: 'none', delete: 'none' });
    expect(me.permissions.objects.person).toMatchObject({ read: 'own', create: false, update: 'none' });
  });

  it('refuses malformed roles, unknown objects and fields, and cycles in the hierarchy, naming the problem', async () => {
    const base = { key: 'bad_role', labels: { en: 'Bad' }, definition: { objects: {}, export: false, import: false, admin: { settings: false, users: false, plugins: false, audit: false } } };
    const cases: [unknown, string][] = [
      [{ ...base, definition: { ...base.definition, objects: { company: { read: 'some', create: true, update: 'all', delete: 'all' } } } }, 'definition.objects.company.read'],
      [{ ...base, definition: { ...base.definition, objects: { company: { read: 'own', create: true, update: 'all', delete: 'none' } } } }, 'definition.objects.company.update'],
      [{ ...base, definition: { ...base.definition, objects: { planet: { read: 'all', create: true, update: 'all', delete: 'all' } } } }, 'definition.objects.planet'],
      [{ ...base, definition: { ...base.definition, objects: { company: { read: 'all', create: true, update: 'all', delete: 'all', fields: { shoeSize: 'hidden' } } } } }, 'definition.objects.company.fields.shoeSize'],
      [{ ...base, definition: { ...base.definition, objects: { company: { read: 'all', create: true, update: 'all', delete: 'all', fields: { name: 'invisible' } } } } }, 'definition.objects.company.fields.name'],
      [{ ...base, key: 'Bad Key' }, 'key'],
      [{ ...base, definition: { ...base.definition, admin: { settings: 'yes' } } }, 'definition.admin.settings'],
      [{ ...base, key: 'admin' }, 'key'],
    ];
    const before = await t.rowCounts();
    for (const [body, field] of cases) {
      const response = await t.request('/api/v1/roles', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      const problem = await json(response);
      expect(problem.errors.map((error: Json) => error.field), JSON.stringify(problem)).toContain(field);
    }
    expect(await t.rowCounts()).toEqual(before);
    // director ← manager ← lead: the director may not report to the lead.
    const cycle = await t.request(`/api/v1/users/${ids.get('director')}`, { method: 'PATCH', json: { managerId: ids.get('lead') } });
    expect(cycle.status).toBe(422);
    expect((await json(cycle)).errors).toEqual([expect.objectContaining({ field: 'managerId', code: 'cycle' })]);
    const self = await t.request(`/api/v1/users/${ids.get('director')}`, { method: 'PATCH', json: { managerId: ids.get('director') } });
    expect((await json(self)).errors[0].code).toBe('cycle');
  });

  it('roles take effect at once when edited; only admins of users manage roles, teams and users', async () => {
    expect((await as('rep', '/api/v1/roles', { method: 'POST', json: { key: 'x_role', labels: { en: 'X' }, definition: { objects: {}, export: false, import: false, admin: { settings: false, users: false, plugins: false, audit: false } } } })).status).toBe(403);
    expect((await as('rep', '/api/v1/teams', { method: 'POST', json: { name: 'Rogue' } })).status).toBe(403);
    expect((await as('rep', `/api/v1/users/${ids.get('rep')}`, { method: 'PATCH', json: { role: 'admin' } })).status).toBe(403);
    expect((await as('rep', '/api/v1/metadata/objects', { method: 'POST', json: { name: 'rogue', labels: { singular: { en: 'R' }, plural: { en: 'Rs' } }, fields: [{ name: 'title', type: 'text', labels: { en: 'T' } }] } })).status).toBe(403);
    expect((await as('rep', '/api/v1/audit')).status).toBe(403);
    // Hide the email of people from reps: the next read no longer has it.
    const person = await json(await as('rep', '/api/v1/records/person', { method: 'POST', json: { lastName: 'Hidden mail', email: 'hidden@perm.test' } }));
    expect((await json(await as('rep', `/api/v1/records/person/${person.id}`))).email).toBe('hidden@perm.test');
    const role = await json(await t.request('/api/v1/roles/sales_rep'));
    const definition = structuredClone(role.definition);
    definition.objects.person = { ...definition.objects['*'], fields: { email: 'hidden' } };
    expect((await t.request('/api/v1/roles/sales_rep', { method: 'PATCH', json: { definition } })).status).toBe(200);
    expect(await json(await as('rep', `/api/v1/records/person/${person.id}`))).not.toHaveProperty('email');
    // Deleting an edited preset resets it.
    expect((await t.request('/api/v1/roles/sales_rep', { method: 'DELETE' })).status).toBe(204);
    expect((await json(await as('rep', `/api/v1/records/person/${person.id}`))).email).toBe('hidden@perm.test');
  });

  it('records sign-ins, permission changes and key use in an append-only audit', async () => {
    await fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'rep@perm.test', password: 'wrong password!' }) });
    const page = await json(await t.request('/api/v1/audit?limit=500'));
    const actions = new Set(page.data.map((entry: Json) => entry.action));
    for (const action of ['auth.login', 'role.updated', 'role.deleted', 'member.updated', 'member.deactivated', 'share.created', 'share.deleted', 'apiKey.created', 'apiKey.used']) expect(actions, action).toContain(action);
    expect(page.data.find((entry: Json) => entry.action === 'auth.login' && entry.outcome === 'failure').detail.email).toBe('rep@perm.test');
    const failures = await json(await t.request('/api/v1/audit?action=auth.login&limit=5'));
    expect(failures.data.every((entry: Json) => entry.action === 'auth.login')).toBe(true);
    // No API changes it, and the database itself refuses.
    expect((await t.request('/api/v1/audit', { method: 'DELETE' })).status).toBe(404);
    const refused = await t.core.database.db.execute(sql`delete from access_audit`).then(
      () => 'deleted',
      (error: Error & { cause?: Error }) => error.cause?.message ?? error.message,
    );
    expect(refused).toMatch(/append-only/);
  });

  it('records who read a field marked sensitive, and which records', async () => {
    const added = await t.request('/api/v1/metadata/objects/person/fields', { method: 'POST', json: { name: 'salary', type: 'number', labels: { en: 'Salary', fr: 'Salaire' }, sensitive: true } });
    expect(added.status, await added.clone().text()).toBe(201);
    const { id } = await json(await as('rep', '/api/v1/records/person', { method: 'POST', json: { lastName: 'Paid', salary: 50_000 } }));
    expect((await json(await as('lead', `/api/v1/records/person/${id}`))).salary).toBe(50_000);
    const reads = await json(await t.request(`/api/v1/audit?action=field.sensitiveRead&userId=${ids.get('lead')}`));
    expect(reads.data[0]).toMatchObject({ target: 'person', detail: { fields: ['salary'], count: 1, records: [id] } });
    // Hidden from a role, the field is neither shown nor audited as read.
    const before = (await json(await t.request('/api/v1/audit?action=field.sensitiveRead&limit=500'))).data.length;
    const role = await json(await t.request('/api/v1/roles/sales_rep'));
    const definition = structuredClone(role.definition);
    definition.objects.person = { ...definition.objects['*'], fields: { salary: 'hidden' } };
    expect((await t.request('/api/v1/roles/sales_rep', { method: 'PATCH', json: { definition } })).status).toBe(200);
    expect(await json(await as('rep', `/api/v1/records/person/${id}`))).not.toHaveProperty('salary');
    expect((await json(await t.request('/api/v1/audit?action=field.sensitiveRead&limit=500'))).data.length).toBe(before);
    expect((await t.request('/api/v1/roles/sales_rep', { method: 'DELETE' })).status).toBe(204);
  });

  it('locks an account after repeated failed sign-ins', async () => {
    await user('guessed', 'sales_rep');
    const attempt = (password: string) => fetch(`${t.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'guessed@perm.test', password }) });
    for (let index = 0; index < 5; index++) expect((await attempt('not the password')).status).toBe(401);
    const locked = await attempt('a long enough password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await json(locked)).detail).toMatch(/try again in 15 minute/);
  });
});
