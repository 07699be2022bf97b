import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '@rapport/core';
import { rows } from '@rapport/db';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

/*
 * Saved views between members of different roles:
 *   rep, teammate  sales_rep (the team "North"), read every company field
 *   agent          support_agent: annualRevenue is hidden from them
 *   curator        a custom role with the settings admin area, annualRevenue hidden
 *   blind          a custom role that cannot read companies
 *   the admin      t.request (admin, settings included), in no team
 */
const CURATOR = {
  key: 'curator',
  labels: { en: 'Curator' },
  definition: {
    objects: { '*': { read: 'all', create: true, update: 'all', delete: 'all', fields: {} }, company: { read: 'all', create: true, update: 'all', delete: 'all', fields: { annualRevenue: 'hidden' } } },
    export: false,
    import: false,
    admin: { settings: true, users: false, plugins: false, audit: false },
    mfaRequired: false,
  },
};
const BLIND = {
  key: 'blind',
  labels: { en: 'Blind to companies' },
  definition: {
    objects: { '*': { read: 'all', create: false, update: 'none', delete: 'none', fields: {} }, company: { read: 'none', create: false, update: 'none', delete: 'none', fields: {} } },
    export: false,
    import: false,
    admin: { settings: false, users: false, plugins: false, audit: false },
    mfaRequired: false,
  },
};

describeDb('saved views: /api/v1/views', () => {
  let t: TestServer;
  const tokens = new Map<string, string>();
  const ids = new Map<string, string>();
  let teamId = '';
  const as = (who: string, path: string, init: RequestInit & { json?: unknown } = {}) =>
    who === 'admin' ? t.request(path, init) : t.request(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${tokens.get(who)}` } });
  const user = async (name: string, role: string) => {
    const created = await t.request('/api/v1/users', { method: 'POST', json: { email: `${name}@views.test`, name, role, password: 'a long enough password' } });
    expect(created.status, await created.clone().text()).toBe(201);
    const id = (await json(created)).user.id as string;
    const actor: Actor = { kind: 'user', id, userId: id, workspaceId: t.admin.workspaceId };
    tokens.set(name, (await t.core.identity.createApiKey(actor, { name })).token);
    ids.set(name, id);
  };
  const save = async (who: string, body: unknown) => {
    const response = await as(who, '/api/v1/views', { method: 'POST', json: body });
    expect(response.status, await response.clone().text()).toBe(201);
    return json(response);
  };
  const names = async (who: string, object = 'company') => (await json(await as(who, `/api/v1/views?object=${object}`))).data.map((v: Json) => v.name).sort();
  /** Asserts a problem+json answer with that status naming that field, and returns it. */
  const refused = async (response: Response, status: number, field?: string) => {
    const text = await response.clone().text();
    expect(response.status, text).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json(response);
    expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
    if (field) expect(problem.errors?.map((error: Json) => error.field), text).toContain(field);
    return problem;
  };

  beforeAll(async () => {
    t = await createTestServer();
    expect((await t.request('/api/v1/roles', { method: 'POST', json: CURATOR })).status).toBe(201);
    expect((await t.request('/api/v1/roles', { method: 'POST', json: BLIND })).status).toBe(201);
    await user('rep', 'sales_rep');
    await user('teammate', 'sales_rep');
    await user('agent', 'support_agent');
    await user('curator', 'curator');
    await user('blind', 'blind');
    const team = await t.request('/api/v1/teams', { method: 'POST', json: { name: 'North', members: [ids.get('rep'), ids.get('teammate')] } });
    teamId = (await json(team)).id;
  });
  afterAll(() => t?.close());

  const bigAccounts = { object: 'company', name: 'Big accounts', columns: ['name', 'employees', 'annualRevenue'], filter: { and: [{ field: 'employees', op: 'gte', value: 100 }] }, sort: '-employees' };

  describe('in order', () => {
    it('saves, reads, changes and deletes a private view, seen by its owner only', async () => {
      const view = await save('rep', bigAccounts);
      expect(Object.keys(view).sort()).toEqual(['columns', 'createdAt', 'filter', 'groupBy', 'id', 'name', 'object', 'ownerId', 'sort', 'teamId', 'updatedAt', 'visibility']);
      expect(view).toMatchObject({ object: 'company', name: 'Big accounts', columns: ['name', 'employees', 'annualRevenue'], filter: bigAccounts.filter, sort: '-employees', groupBy: null, visibility: 'private', teamId: null, ownerId: ids.get('rep') });
      expect(await json(await as('rep', `/api/v1/views/${view.id}`))).toEqual(view);
      expect((await json(await as('rep', '/api/v1/views?object=company'))).data).toEqual([view]);
      // Nobody else sees it, a settings admin included: it does not exist for them.
      for (const who of ['teammate', 'agent', 'admin']) {
        expect(await names(who)).toEqual([]);
        await refused(await as(who, `/api/v1/views/${view.id}`), 404);
        await refused(await as(who, `/api/v1/views/${view.id}`, { method: 'PATCH', json: { name: 'Mine now' } }), 404);
        await refused(await as(who, `/api/v1/views/${view.id}`, { method: 'DELETE' }), 404);
      }
      const renamed = await json(await as('rep', `/api/v1/views/${view.id}`, { method: 'PATCH', json: { name: 'Biggest accounts', sort: null } }));
      expect(renamed).toMatchObject({ name: 'Biggest accounts', sort: null, filter: bigAccounts.filter, columns: bigAccounts.columns, visibility: 'private', createdAt: view.createdAt });
      expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(view.updatedAt));
      const cleared = await json(await as('rep', `/api/v1/views/${view.id}`, { method: 'PATCH', json: { filter: null, columns: ['employees', 'name'], sort: '' } }));
      expect(cleared).toMatchObject({ filter: null, columns: ['employees', 'name'], sort: null, name: 'Biggest accounts' });
      // A filter given as its JSON text, as the list's query parameter takes it, is kept as JSON.
      const asText = await json(await as('rep', `/api/v1/views/${view.id}`, { method: 'PATCH', json: { filter: JSON.stringify(bigAccounts.filter) } }));
      expect(asText.filter).toEqual(bigAccounts.filter);
      expect((await as('rep', `/api/v1/views/${view.id}`, { method: 'DELETE' })).status).toBe(204);
      await refused(await as('rep', `/api/v1/views/${view.id}`), 404);
      expect(await names('rep')).toEqual([]);
    });

    it('shares with a team or the workspace; only the owner or a settings admin changes or deletes a shared view', async () => {
      const teamView = await save('rep', { ...bigAccounts, name: 'North pipeline', visibility: 'team', teamId });
      const everyone = await save('rep', { ...bigAccounts, name: 'Everyone', visibility: 'workspace' });
      await save('rep', { ...bigAccounts, name: 'Mine only' });
      expect(await names('rep')).toEqual(['Everyone', 'Mine only', 'North pipeline']);
      expect(await names('teammate')).toEqual(['Everyone', 'North pipeline']);
      expect(await names('agent')).toEqual(['Everyone']);
      expect(await names('admin')).toEqual(['Everyone']);
      // Someone who cannot read companies has no views of them: the object does not exist for them.
      await refused(await as('blind', '/api/v1/views?object=company'), 404);
      await refused(await as('blind', `/api/v1/views/${everyone.id}`), 404);
      await refused(await as('blind', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'x' } }), 422, 'object');

      // A member of the team or the workspace reads a shared view but does not change it.
      await refused(await as('teammate', `/api/v1/views/${teamView.id}`, { method: 'PATCH', json: { name: 'Mine now' } }), 403);
      await refused(await as('teammate', `/api/v1/views/${teamView.id}`, { method: 'DELETE' }), 403);
      await refused(await as('agent', `/api/v1/views/${everyone.id}`, { method: 'PATCH', json: { visibility: 'private' } }), 403);
      await refused(await as('agent', `/api/v1/views/${everyone.id}`, { method: 'DELETE' }), 403);
      // A settings admin does (not its owner: the view stays the rep's).
      const curated = await json(await as('admin', `/api/v1/views/${everyone.id}`, { method: 'PATCH', json: { name: 'Everyone (curated)' } }));
      expect(curated).toMatchObject({ name: 'Everyone (curated)', ownerId: ids.get('rep') });
      // The owner narrows the team view to themselves, and shares it again.
      expect(await json(await as('rep', `/api/v1/views/${teamView.id}`, { method: 'PATCH', json: { visibility: 'private' } }))).toMatchObject({ visibility: 'private', teamId: null });
      expect(await names('teammate')).toEqual(['Everyone (curated)']);
      expect(await json(await as('rep', `/api/v1/views/${teamView.id}`, { method: 'PATCH', json: { visibility: 'team', teamId } }))).toMatchObject({ visibility: 'team', teamId });
      expect(await names('teammate')).toEqual(['Everyone (curated)', 'North pipeline']);

      // A team view needs one of my teams, unless I have the settings area (then a team of this workspace).
      await refused(await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Theirs', columns: ['name'], visibility: 'team', teamId } }), 422, 'teamId');
      const forNorth = await save('admin', { object: 'company', name: 'For North', columns: ['name'], visibility: 'team', teamId });
      expect(await names('teammate')).toContain('For North');
      expect(await names('agent')).not.toContain('For North');
      const problem = await refused(await as('admin', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Nobody', visibility: 'team', teamId: crypto.randomUUID() } }), 422, 'teamId');
      expect(problem.errors[0].code).toBe('unknown_team');
      // The admin deletes a team view of a team they are not in (they made it: its owner).
      expect((await as('admin', `/api/v1/views/${forNorth.id}`, { method: 'DELETE' })).status).toBe(204);
      // A settings admin deletes someone else's workspace view.
      const doomed = await save('agent', { object: 'company', name: 'Doomed', visibility: 'workspace' });
      expect((await as('curator', `/api/v1/views/${doomed.id}`, { method: 'DELETE' })).status).toBe(204);
      expect(await names('agent')).toEqual(['Everyone (curated)']);
    });

    it('never shows a reader a field they may not read, and refuses to save a view naming one', async () => {
      // The admin shares a view over annualRevenue, which the agent may not read.
      const rich = await save('admin', {
        object: 'company',
        name: 'Rich',
        columns: ['name', 'annualRevenue', 'employees'],
        filter: { and: [{ field: 'employees', op: 'gte', value: 10 }, { field: 'annualRevenue.currency', op: 'eq', value: 'EUR' }, { not: { field: 'annualRevenue', op: 'isNull', value: true } }] },
        sort: '-annualRevenue,name',
        visibility: 'workspace',
      });
      const seen = (await json(await as('agent', '/api/v1/views?object=company'))).data.find((v: Json) => v.id === rich.id);
      expect(seen).toMatchObject({ columns: ['name', 'employees'], filter: { and: [{ field: 'employees', op: 'gte', value: 10 }] }, sort: 'name' });
      expect(JSON.stringify(seen)).not.toContain('annualRevenue');
      expect(JSON.stringify(await json(await as('agent', `/api/v1/views/${rich.id}`)))).not.toContain('annualRevenue');
      // The admin still sees all of it.
      expect(await json(await as('admin', `/api/v1/views/${rich.id}`))).toMatchObject({ columns: rich.columns, filter: rich.filter, sort: rich.sort });
      // A settings admin who may not read the field renames the view: they do not see the field, and it stays.
      const renamed = await json(await as('curator', `/api/v1/views/${rich.id}`, { method: 'PATCH', json: { name: 'Rich (EUR)' } }));
      expect(JSON.stringify(renamed)).not.toContain('annualRevenue');
      expect(await json(await as('admin', `/api/v1/views/${rich.id}`))).toMatchObject({ name: 'Rich (EUR)', columns: rich.columns, filter: rich.filter, sort: rich.sort });

      // Saving a view that names a hidden field is refused exactly as a field that does not exist.
      const counts = await t.rowCounts();
      const hidden = await refused(await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Revenue', columns: ['name', 'annualRevenue'] } }), 422, 'columns.1');
      const missing = await refused(await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Revenue', columns: ['name', 'annualRevenu'] } }), 422, 'columns.1');
      expect(hidden.errors[0].code).toBe(missing.errors[0].code);
      expect(hidden.errors[0].code).toBe('unknown_field');
      // Filter and sort: the list's own answers (400, the field named), for the list's own query and for a view.
      const hiddenFilter = { field: 'annualRevenue', op: 'isNull', value: false };
      const fromView = await refused(await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Rich', filter: hiddenFilter } }), 400, 'annualRevenue');
      const fromList = await refused(await as('agent', `/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify(hiddenFilter))}`), 400, 'annualRevenue');
      expect(fromView.errors).toEqual(fromList.errors);
      await refused(await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Rich', filter: { or: [{ field: 'name', op: 'eq', value: 'x' }, { field: 'annualRevenue.currency', op: 'eq', value: 'EUR' }] } } }), 400, 'annualRevenue.currency');
      await refused(await as('agent', '/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Rich first', sort: 'name,-annualRevenue' } }), 400, 'annualRevenue');
      // And in a patch, of the agent's own view.
      const own = await save('agent', { object: 'company', name: 'Agent view', columns: ['name'] });
      await refused(await as('agent', `/api/v1/views/${own.id}`, { method: 'PATCH', json: { columns: ['annualRevenue'] } }), 422, 'columns.0');
      await refused(await as('agent', `/api/v1/views/${own.id}`, { method: 'PATCH', json: { filter: hiddenFilter } }), 400, 'annualRevenue');
      await refused(await as('agent', `/api/v1/views/${own.id}`, { method: 'PATCH', json: { sort: '-annualRevenue' } }), 400, 'annualRevenue');
      expect(await json(await as('agent', `/api/v1/views/${own.id}`))).toEqual(own);
      const after = await t.rowCounts();
      expect(after.saved_view).toBe(counts.saved_view! + 1);
      expect((await as('agent', `/api/v1/views/${own.id}`, { method: 'DELETE' })).status).toBe(204);
      expect(await t.rowCounts()).toEqual(counts);
    });

    it('answers bad input with a problem naming the field and the rule, and writes nothing', async () => {
      const mine = await save('rep', { object: 'company', name: 'Kept as it is', columns: ['name'], filter: { field: 'name', op: 'startsWith', value: 'A' } });
      const counts = await t.rowCounts();
      const deep = { and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ and: [{ field: 'name', op: 'eq', value: 'x' }] }] }] }] }] }] }] };
      const cases: [unknown, number, string, string?][] = [
        [{ object: 'company' }, 422, 'name'],
        [{ object: 'company', name: '   ' }, 422, 'name'],
        [{ object: 'company', name: 'x'.repeat(101) }, 422, 'name'],
        [{ object: 'nothing', name: 'x' }, 422, 'object', 'unknown_object'],
        [{ name: 'x' }, 422, 'object'],
        [{ object: 'company', name: 'x', columns: 'name' }, 422, 'columns'],
        [{ object: 'company', name: 'x', columns: ['name', 'nope'] }, 422, 'columns.1', 'unknown_field'],
        [{ object: 'company', name: 'x', columns: ['name', 'name'] }, 422, 'columns', 'duplicate'],
        [{ object: 'company', name: 'x', filter: '{not json' }, 400, 'filter', 'invalid_json'],
        [{ object: 'company', name: 'x', filter: 42 }, 400, 'filter'],
        [{ object: 'company', name: 'x', filter: { field: 'employees', op: 'near', value: 1 } }, 400, 'filter.op'],
        [{ object: 'company', name: 'x', filter: { field: 'nope', op: 'eq', value: 1 } }, 400, 'nope', 'unknown_field'],
        [{ object: 'company', name: 'x', filter: { field: 'employees', op: 'gte', value: 'many' } }, 400, 'filter.employees', 'invalid_value'],
        [{ object: 'company', name: 'x', filter: deep }, 400, 'filter', 'too_deep'],
        [{ object: 'company', name: 'x', sort: '-nope' }, 400, 'nope', 'unknown_field'],
        [{ object: 'company', name: 'x', sort: 'a,b,c,d,e' }, 400, 'sort', 'too_big'],
        [{ object: 'company', name: 'x', sort: 7 }, 422, 'sort'],
        [{ object: 'company', name: 'x', groupBy: 'employees' }, 422, 'groupBy', 'not_groupable'],
        [{ object: 'company', name: 'x', groupBy: 'nope' }, 422, 'groupBy', 'unknown_field'],
        [{ object: 'company', name: 'x', visibility: 'team' }, 422, 'teamId', 'required'],
        [{ object: 'company', name: 'x', visibility: 'workspace', teamId }, 422, 'teamId', 'unexpected'],
        [{ object: 'company', name: 'x', visibility: 'team', teamId: 'north' }, 422, 'teamId'],
        [{ object: 'company', name: 'x', visibility: 'galaxy' }, 422, 'visibility'],
        [{ object: 'company', name: 'x', ownerId: ids.get('teammate') }, 422, 'ownerId', 'unknown_field'],
        [{ object: 'company', name: 'x', extra: true }, 422, 'extra', 'unknown_field'],
        [[], 422, ''],
      ];
      for (const [body, status, field, code] of cases) {
        const problem = await refused(await as('rep', '/api/v1/views', { method: 'POST', json: body }), status, field || undefined);
        if (code) expect(problem.errors.find((error: Json) => error.field === field)?.code, JSON.stringify(body)).toBe(code);
        // The same mistakes in a patch (those that are not about creating).
        const { object: _object, name: _name, ...patch } = body as Record<string, unknown>;
        if (Object.keys(patch).length > 0 && field !== 'object') await refused(await as('rep', `/api/v1/views/${mine.id}`, { method: 'PATCH', json: patch }), status, field || undefined);
      }
      await refused(await as('rep', `/api/v1/views/${mine.id}`, { method: 'PATCH', json: { object: 'person' } }), 422, 'object');
      await refused(await as('rep', `/api/v1/views/${mine.id}`, { method: 'PATCH', json: { name: '' } }), 422, 'name');
      await refused(await as('rep', '/api/v1/views', { method: 'POST', body: '{"object":', headers: { 'content-type': 'application/json' } }), 400);
      await refused(await as('rep', '/api/v1/views?object=nothing'), 404);
      await refused(await as('rep', '/api/v1/views'), 400);
      await refused(await as('rep', '/api/v1/views?object=company&extra=1'), 400);
      await refused(await as('rep', '/api/v1/views/not-an-id'), 404);
      await refused(await as('rep', `/api/v1/views/${crypto.randomUUID()}`, { method: 'PATCH', json: { name: 'x' } }), 404);
      expect(await t.rowCounts()).toEqual(counts);
      expect(await json(await as('rep', `/api/v1/views/${mine.id}`))).toEqual(mine);
      expect((await as('rep', `/api/v1/views/${mine.id}`, { method: 'DELETE' })).status).toBe(204);
    });

    it('works for custom objects, and goes with the custom object it was saved for', async () => {
      const visit = { name: 'visit', labels: { singular: { en: 'Visit' }, plural: { en: 'Visits' } }, labelField: 'title', fields: [
        { name: 'title', type: 'text', labels: { en: 'Title' } },
        { name: 'kind', type: 'select', labels: { en: 'Kind' }, options: [{ value: 'call', labels: { en: 'Call' } }, { value: 'onsite', labels: { en: 'On site' } }] },
        { name: 'client', type: 'relation', labels: { en: 'Client' }, relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'visits', labels: { en: 'Visits' } } } },
      ] };
      const created = await t.request('/api/v1/metadata/objects', { method: 'POST', json: visit });
      expect(created.status, await created.clone().text()).toBe(201);
      const board = await save('rep', { object: 'visit', name: 'Board', columns: ['title', 'kind', 'client'], groupBy: 'kind', filter: { field: 'kind', op: 'in', value: ['call'] }, sort: 'title', visibility: 'workspace' });
      expect(board).toMatchObject({ object: 'visit', groupBy: 'kind' });
      expect(await names('agent', 'visit')).toEqual(['Board']);
      // A company view over the other side of the relation.
      const withVisits = await save('rep', { object: 'company', name: 'With visits', columns: ['name', 'visits'], filter: { and: [{ field: 'name', op: 'startsWith', value: 'A' }, { field: 'visits', op: 'isNull', value: false }] } });
      expect((await t.request('/api/v1/metadata/objects/visit', { method: 'DELETE' })).status).toBe(204);
      await refused(await as('rep', `/api/v1/views/${board.id}`), 404);
      await refused(await as('rep', '/api/v1/views?object=visit'), 404);
      // The company view forgot the relation that went with the object.
      expect(await json(await as('rep', `/api/v1/views/${withVisits.id}`))).toMatchObject({ columns: ['name'], filter: { and: [{ field: 'name', op: 'startsWith', value: 'A' }] } });
      expect((await as('rep', `/api/v1/views/${withVisits.id}`, { method: 'DELETE' })).status).toBe(204);
    });

    it('forgets a deleted field, and makes a deleted team’s views private to their owners', async () => {
      const tier = { name: 'tier', type: 'select', labels: { en: 'Tier' }, options: [{ value: 'gold', labels: { en: 'Gold' } }, { value: 'silver', labels: { en: 'Silver' } }] };
      expect((await t.request('/api/v1/metadata/objects/company/fields', { method: 'POST', json: tier })).status).toBe(201);
      const tiers = await save('rep', { object: 'company', name: 'Tiers', columns: ['name', 'tier'], groupBy: 'tier', filter: { or: [{ field: 'tier', op: 'eq', value: 'gold' }, { field: 'employees', op: 'gt', value: 5 }] }, sort: 'tier,-createdAt', visibility: 'team', teamId });
      expect((await t.request('/api/v1/metadata/objects/company/fields/tier', { method: 'DELETE' })).status).toBe(204);
      const forgot = { columns: ['name'], groupBy: null, filter: { or: [{ field: 'employees', op: 'gt', value: 5 }] }, sort: '-createdAt' };
      expect(await json(await as('rep', `/api/v1/views/${tiers.id}`))).toMatchObject(forgot);
      // A field made again with the same name does not bring the old conditions back; a rename works.
      expect((await t.request('/api/v1/metadata/objects/company/fields', { method: 'POST', json: { name: 'tier', type: 'text', labels: { en: 'Tier' } } })).status).toBe(201);
      expect(await json(await as('rep', `/api/v1/views/${tiers.id}`, { method: 'PATCH', json: { name: 'Sizes' } }))).toMatchObject({ ...forgot, name: 'Sizes' });

      expect(await names('teammate')).toContain('Sizes');
      expect((await t.request(`/api/v1/teams/${teamId}`, { method: 'DELETE' })).status).toBe(204);
      expect(await names('teammate')).not.toContain('Sizes');
      expect(await json(await as('rep', `/api/v1/views/${tiers.id}`))).toMatchObject({ name: 'Sizes', visibility: 'private', teamId: null });
    });
  });

  it('keeps each workspace’s views to itself, for the same person too', async () => {
    const home = await save('admin', { object: 'company', name: 'Home workspace', visibility: 'workspace' });
    const mineHere = await save('admin', { object: 'company', name: 'Home private' });
    // The admin makes a second workspace and gets a key there: the same person, another workspace.
    const other = await t.core.workspaces.create(await t.core.access.resolve(t.admin), { name: 'Elsewhere', slug: 'elsewhere' });
    const token = (await t.core.identity.createApiKey({ ...t.admin, workspaceId: other.id }, { name: 'elsewhere' })).token;
    const there = (path: string, init: RequestInit & { json?: unknown } = {}) => t.request(path, { ...init, headers: { authorization: `Bearer ${token}` } });
    expect((await json(await there('/api/v1/views?object=company'))).data).toEqual([]);
    for (const view of [home, mineHere]) {
      await refused(await there(`/api/v1/views/${view.id}`), 404);
      await refused(await there(`/api/v1/views/${view.id}`, { method: 'PATCH', json: { name: 'Moved' } }), 404);
      await refused(await there(`/api/v1/views/${view.id}`, { method: 'DELETE' }), 404);
    }
    // A team of this workspace is no team there, a settings admin's included.
    const team = await json(await t.request('/api/v1/teams', { method: 'POST', json: { name: 'Home team', members: [t.admin.userId] } }));
    const problem = await refused(await there('/api/v1/views', { method: 'POST', json: { object: 'company', name: 'x', visibility: 'team', teamId: team.id } }), 422, 'teamId');
    expect(problem.errors[0].code).toBe('unknown_team');
    const away = await json(await there('/api/v1/views', { method: 'POST', json: { object: 'company', name: 'Away', visibility: 'workspace' } }));
    expect(await names('admin')).not.toContain('Away');
    expect(await names('rep')).not.toContain('Away');
    await refused(await as('admin', `/api/v1/views/${away.id}`), 404);
    expect((await json(await as('admin', `/api/v1/views/${home.id}`))).name).toBe('Home workspace');
  });
});

describeDb('saved views of a plugin’s object', () => {
  let t: TestServer;
  const manifest = defineManifest({
    id: 'visits',
    version: '1.0.0',
    displayName: { en: 'Visits' },
    engines: { rapport: '^1.0.0' },
    objects: [
      {
        name: 'siteVisit',
        labels: { singular: { en: 'Site visit' }, plural: { en: 'Site visits' } },
        icon: 'map',
        labelField: 'title',
        fields: [
          { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
          { name: 'stage', type: 'select', labels: { en: 'Stage' }, options: [{ value: 'planned', labels: { en: 'Planned' } }, { value: 'done', labels: { en: 'Done' } }] },
        ],
      },
    ],
  });
  const visits: PluginModule = { manifest, load: async () => defineServer(manifest, () => {}) };
  beforeAll(async () => {
    t = await createTestServer({ plugins: [visits] });
  });
  afterAll(() => t?.close());

  it('are saved like any other, unseen while the plugin is off, and purged with it', async () => {
    expect((await t.request('/api/v1/plugins/visits/enable', { method: 'POST' })).status).toBe(200);
    const created = await t.request('/api/v1/views', { method: 'POST', json: { object: 'siteVisit', name: 'Board', columns: ['title', 'stage'], groupBy: 'stage', filter: { field: 'stage', op: 'ne', value: 'done' }, sort: 'title', visibility: 'workspace' } });
    expect(created.status, await created.clone().text()).toBe(201);
    const board = await json(created);
    expect(board).toMatchObject({ object: 'siteVisit', groupBy: 'stage', columns: ['title', 'stage'] });
    expect((await t.request('/api/v1/plugins/visits/disable', { method: 'POST' })).status).toBe(200);
    expect((await t.request(`/api/v1/views/${board.id}`)).status).toBe(404);
    expect((await t.request('/api/v1/views?object=siteVisit')).status).toBe(404);
    expect((await t.request('/api/v1/plugins/visits/enable', { method: 'POST' })).status).toBe(200);
    expect(await (await t.request(`/api/v1/views/${board.id}`)).json()).toEqual(board);
    expect((await t.request('/api/v1/plugins/visits/disable', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/plugins/visits/uninstall', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/plugins/visits/purge', { method: 'POST', json: { confirm: 'visits' } })).status).toBe(204);
    const [left] = await rows<{ n: number }>(t.core.database.db, sql`select count(*)::int as n from saved_view where object = 'siteVisit'`);
    expect(left!.n).toBe(0);
  });
});
