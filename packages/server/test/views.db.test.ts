import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '@rapport/core';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('saved views: /api/v1/views', () => {
  let t: TestServer;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();
  let teamId = '';
  const as = (who: string, path: string, init: RequestInit & { json?: unknown } = {}) => t.request(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${tokens.get(who)}` } });
  const user = async (name: string, role: string) => {
    const created = await t.request('/api/v1/users', { method: 'POST', json: { email: `${name}@views.test`, name, role, password: 'a long enough password' } });
    expect(created.status).toBe(201);
    const id = (await json(created)).user.id as string;
    const actor: Actor = { kind: 'user', id, userId: id, workspaceId: t.admin.workspaceId };
    tokens.set(name, (await t.core.identity.createApiKey(actor, { name })).token);
    ids.set(name, id);
  };

  beforeAll(async () => {
    t = await createTestServer();
    await user('rep', 'sales_rep');
    await user('teammate', 'sales_rep');
    await user('agent', 'support_agent');
    const team = await t.request('/api/v1/teams', { method: 'POST', json: { name: 'North', members: [ids.get('rep'), ids.get('teammate')] } });
    teamId = (await json(team)).id;
  });
  afterAll(() => t?.close());

  const bigAccounts = { object: 'company', name: 'Big accounts', columns: ['name', 'employees', 'annualRevenue'], filter: { and: [{ field: 'employees', op: 'gte', value: 100 }] }, sort: '-employees' };

  it('saves, reads, changes and deletes a private view, seen by its owner only', async () => {
    const created = await as('rep', '/api/v1/views', { method: 'POST', json: bigAccounts });
    expect(created.status, await created.clone().text()).toBe(201);
    const view = await json(created);
    expect(view).toMatchObject({ object: 'company', name: 'Big accounts', columns: ['name', 'employees', 'annualRevenue'], filter: bigAccounts.filter, sort: '-employees', groupBy: null, visibility: 'private', teamId: null, ownerId: ids.get('rep') });
    expect((await json(await as('rep', '/api/v1/views?object=company'))).data.map((v: Json) => v.id)).toEqual([view.id]);
    expect((await json(await as('teammate', '/api/v1/views?object=company'))).data).toEqual([]);
    expect((await as('teammate', `/api/v1/views/${view.id}`)).status).toBe(404);
    const renamed = await as('rep', `/api/v1/views/${view.id}`, { method: 'PATCH', json: { name: 'Biggest accounts', sort: null } });
    expect(await json(renamed)).toMatchObject({ name: 'Biggest accounts', sort: null, filter: bigAccounts.filter, columns: bigAccounts.columns, visibility: 'private' });
    expect((await as('rep', `/api/v1/views/${view.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await as('rep', `/api/v1/views/${view.id}`)).status).toBe(404);
  });

  it('shares with a team or the workspace; only the owner or a settings admin changes a shared view', async () => {
    const teamView = await json(await as('rep', '/api/v1/views', { method: 'POST', json: { ...bigAccounts, name: 'North pipeline', visibility: 'team', teamId } }));
    const everyone = await json(await as('rep', '/api/v1/views', { method: 'POST', json: { ...bigAccounts, name: 'Everyone', visibility: 'workspace' } }));
    const names = async (who: string) => (await json(await as(who, '/api/v1/views?object=company'))).data.map((v: Json) => v.name).sort();
    expect(await names('teammate')).toEqual(['Everyone', 'North pipeline']);
    expect(await names('agent')).toEqual(['Everyone']);
    expect((await as('teammate', `/api/v1/views/${teamView.id}`, { method: 'PATCH', json: { name: 'Mine now' } })).status).toBe(403);
    expect((await as('agent', `/api/v1/views/${everyone.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await t.request(`/api/v1/views/${everyone.id}`, { method: 'PATCH', json: { name: 'Everyone (curated)' } })).status).toBe(200);
    // A team view needs one of my teams.
    const notMine = await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Theirs', columns: ['name'], visibility: 'team', teamId } });
    expect(notMine.status).toBe(422);
    expect((await json(notMine)).errors).toEqual([expect.objectContaining({ field: 'teamId', code: 'not_a_member' })]);
  });

  it('leaves out columns the reader may not read, and refuses to save a view naming a hidden field', async () => {
    // The support agent cannot read annualRevenue.
    const listed = await json(await as('agent', '/api/v1/views?object=company'));
    const everyone = listed.data.find((v: Json) => v.visibility === 'workspace');
    expect(everyone, JSON.stringify(listed)).toBeDefined();
    expect(everyone.columns).toEqual(['name', 'employees']);
    const counts = await t.rowCounts();
    const hiddenColumn = await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Revenue', columns: ['name', 'annualRevenue'] } });
    expect(hiddenColumn.status).toBe(422);
    expect(hiddenColumn.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(hiddenColumn)).errors).toEqual([expect.objectContaining({ field: 'columns.1', code: 'unknown_field' })]);
    const hiddenFilter = await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Rich', columns: ['name'], filter: { field: 'annualRevenue', op: 'isNull', value: false } } });
    expect(hiddenFilter.status).toBe(400);
    expect((await json(hiddenFilter)).errors[0].field).toBe('annualRevenue');
    const hiddenSort = await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Rich first', sort: '-annualRevenue' } });
    expect(hiddenSort.status).toBe(400);
    expect(await t.rowCounts()).toEqual(counts);
  });

  it('answers bad input with a problem naming the field, and writes nothing', async () => {
    const counts = await t.rowCounts();
    const cases: [unknown, number, string][] = [
      [{ object: 'company' }, 422, 'name'],
      [{ object: 'company', name: 'x', columns: ['name', 'nope'] }, 422, 'columns.1'],
      [{ object: 'company', name: 'x', columns: ['name', 'name'] }, 422, 'columns'],
      [{ object: 'company', name: 'x', filter: '{not json' }, 400, 'filter'],
      [{ object: 'company', name: 'x', filter: { field: 'employees', op: 'near', value: 1 } }, 400, 'filter.op'],
      [{ object: 'company', name: 'x', groupBy: 'employees' }, 422, 'groupBy'],
      [{ object: 'company', name: 'x', visibility: 'team' }, 422, 'teamId'],
      [{ object: 'company', name: 'x', visibility: 'galaxy' }, 422, 'visibility'],
      [{ object: 'company', name: 'x', extra: true }, 422, ''],
    ];
    for (const [body, status, field] of cases) {
      const response = await as('rep', '/api/v1/views', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(status);
      const problem = await json(response);
      if (field) expect(problem.errors.map((error: Json) => error.field), JSON.stringify(body)).toContain(field);
    }
    expect((await as('rep', '/api/v1/views', { method: 'POST', json: { object: 'nothing', name: 'x' } })).status).toBe(404);
    expect((await as('rep', '/api/v1/views?object=nothing')).status).toBe(404);
    expect((await as('rep', '/api/v1/views')).status).toBe(400);
    expect((await as('rep', '/api/v1/views/not-an-id')).status).toBe(404);
    expect(await t.rowCounts()).toEqual(counts);
  });

  it('goes with the custom object it was saved for', async () => {
    expect((await t.request('/api/v1/metadata/objects', { method: 'POST', json: { name: 'visit', labels: { singular: { en: 'Visit' }, plural: { en: 'Visits' } }, fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }], labelField: 'title' } })).status).toBe(201);
    const view = await json(await t.request('/api/v1/views', { method: 'POST', json: { object: 'visit', name: 'All visits', columns: ['title'], visibility: 'workspace' } }));
    expect(view.id).toBeDefined();
    expect((await t.request('/api/v1/metadata/objects/visit', { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/views/${view.id}`)).status).toBe(404);
    // The two shared views of the test above stay; the visit view went with its object.
    expect(await t.rowCounts().then((counts) => counts.saved_view)).toBe(2);
  });
});
