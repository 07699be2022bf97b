import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, importPluginFolder, sendBadInput, type TestServer } from '@rapport/testing';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { rows } from '@rapport/db';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('the hello plugin, enabled and disabled at run time', () => {
  let t: TestServer;
  let repToken: string;
  beforeAll(async () => {
    t = await createTestServer({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await t.core.events.start();
    const rep = await t.core.identity.createUser(t.admin.workspaceId, { email: 'rep@hello.test', name: 'Rep', role: 'sales_rep', password: 'a long enough password' });
    repToken = (await t.core.identity.createApiKey({ kind: 'user', id: rep.user.id, userId: rep.user.id, workspaceId: t.admin.workspaceId }, { name: 'rep' })).token;
  });
  afterAll(() => t?.close());

  const enable = () => t.request('/api/v1/plugins/hello/enable', { method: 'POST' });
  const disable = () => t.request('/api/v1/plugins/hello/disable', { method: 'POST' });
  const waitFor = async (check: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('timed out');
  };

  it('is listed from its manifest before it runs, and its routes answer only once enabled', async () => {
    const listed = await json(await t.request('/api/v1/plugins'));
    expect(listed.data).toEqual([expect.objectContaining({ id: 'hello', version: '0.1.0', status: 'available' })]);
    expect((await t.request('/api/v1/plugins/hello/greeting')).status).toBe(404);
    const enabled = await enable();
    expect(enabled.status, await enabled.clone().text()).toBe(200);
    expect((await json(enabled)).status).toBe('enabled');
    const greeting = await json(await t.request('/api/v1/plugins/hello/greeting'));
    expect(greeting.greeting).toMatch(/^Hello apiKey /);
    // Its own table, created by its migrations in its own schema and ledger.
    expect((await json(await t.request('/api/v1/plugins/hello/greeting'))).timesGreeted).toBe(2);
    const [ledger] = await rows<{ n: number }>(t.core.database.db, sql`select count(*)::int as n from __migrations_plugin_hello`);
    expect(ledger!.n).toBe(1);
  });

  it('routes act as the calling user: a rep counts only the people they may see', async () => {
    await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Admin’s person' } });
    const asRep = (path: string, init: RequestInit & { json?: unknown } = {}) => t.request(path, { ...init, headers: { authorization: `Bearer ${repToken}` } });
    await asRep('/api/v1/records/person', { method: 'POST', json: { lastName: 'Rep’s person' } });
    const admin = await json(await t.request('/api/v1/plugins/hello/greeting'));
    const rep = await json(await asRep('/api/v1/plugins/hello/greeting'));
    expect(rep.peopleYouMaySee).toBe(1);
    expect(admin.peopleYouMaySee).toBeGreaterThan(rep.peopleYouMaySee);
    // Managing plugins is an admin area.
    expect((await asRep('/api/v1/plugins/hello/disable', { method: 'POST' })).status).toBe(403);
  });

  it('its subscriber acts as the plugin, limited to its manifest, and stops when disabled', async () => {
    const company = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Seen Co' } }));
    await t.request('/api/v1/metadata/objects', { method: 'POST', json: { name: 'secret', labels: { singular: { en: 'Secret' }, plural: { en: 'Secrets' } }, fields: [{ name: 'title', type: 'text', labels: { en: 'Title' } }] } });
    const secret = await json(await t.request('/api/v1/records/secret', { method: 'POST', json: { title: 'Not for plugins' } }));
    const seen = async () => (await json(await t.request('/api/v1/plugins/hello/seen'))).data as Json[];
    await waitFor(async () => (await seen()).some((entry) => entry.id === company.id));
    expect((await seen()).find((entry) => entry.id === company.id)).toEqual({ object: 'company', id: company.id, label: 'Seen Co' });
    // A person by first and last name, as its object's title fields say.
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { firstName: 'Ada', lastName: 'Seen' } }));
    await waitFor(async () => (await seen()).some((entry) => entry.id === person.id));
    expect((await seen()).find((entry) => entry.id === person.id)?.label).toBe('Ada Seen');
    // …and says so in the company's timeline, after its creation.
    const timeline = (await json(await t.request(`/api/v1/records/company/${company.id}/timeline`))).data as Json[];
    expect(timeline.map((entry) => entry.action)).toEqual(['hello.noticed', 'created']);
    expect(timeline[0]).toMatchObject({ source: 'hello', title: { en: 'Hello noticed it' }, actor: { kind: 'plugin', id: 'hello' } });
    const firstPage = await json(await t.request(`/api/v1/records/company/${company.id}/timeline?limit=1`));
    expect(firstPage.data.map((entry: Json) => entry.action)).toEqual(['hello.noticed']);
    const secondPage = await json(await t.request(`/api/v1/records/company/${company.id}/timeline?limit=1&cursor=${firstPage.pageInfo.nextCursor}`));
    expect(secondPage.data.map((entry: Json) => entry.action)).toEqual(['created']);
    // An object the manifest does not name never reaches the plugin.
    await t.core.events.dispatchOnce();
    expect((await seen()).some((entry) => entry.id === secret.id)).toBe(false);
    // The plugin's identity cannot write: its manifest grants reads only.
    const pluginRecords = t.core.records;
    await expect(pluginRecords.create({ kind: 'plugin', id: 'hello', workspaceId: t.admin.workspaceId }, 'company', { name: 'By plugin' })).rejects.toMatchObject({ status: 403 });

    expect((await json(await disable())).status).toBe('disabled');
    expect((await t.request('/api/v1/plugins/hello/greeting')).status).toBe(404);
    // Disabled, its identity has no rights at all.
    await expect(pluginRecords.list({ kind: 'plugin', id: 'hello', workspaceId: t.admin.workspaceId }, 'company')).rejects.toMatchObject({ status: 403 });
  });

  it('three enable/disable cycles leave exactly one subscriber call per event', async () => {
    for (let cycle = 0; cycle < 3; cycle++) {
      expect((await enable()).status).toBe(200);
      expect((await disable()).status).toBe(200);
    }
    expect((await enable()).status).toBe(200);
    const { id } = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Once' } }));
    const seen = async () => ((await json(await t.request('/api/v1/plugins/hello/seen'))).data as Json[]).filter((entry) => entry.id === id);
    await waitFor(async () => (await seen()).length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.core.events.dispatchOnce();
    expect(await seen()).toHaveLength(1);
  });

  it('has settings an admin edits at run time, validated by the schema in its manifest', async () => {
    expect((await enable()).status).toBe(200);
    const form = await json(await t.request('/api/v1/plugins/hello/settings'));
    expect(form.values).toEqual({ salutation: 'Hello' });
    expect(form.schema.properties.salutation).toMatchObject({ type: 'string', maxLength: 50, default: 'Hello' });
    const bad = await t.request('/api/v1/plugins/hello/settings', { method: 'PUT', json: { salutation: '', extra: 1 } });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors.map((error: Json) => error.field)).toContain('salutation');
    expect((await t.request('/api/v1/plugins/hello/settings', { method: 'PUT', json: { salutation: 'Bonjour' } })).status).toBe(200);
    expect((await json(await t.request('/api/v1/plugins/hello/greeting'))).greeting).toMatch(/^Bonjour apiKey /);
  });

  it('runs its jobs in the background as its own identity, and keeps its cron schedule only while enabled', async () => {
    expect((await enable()).status).toBe(200);
    const queued = await t.request('/api/v1/plugins/hello/tally', { method: 'POST' });
    expect(queued.status).toBe(202);
    const { job } = await json(queued);
    await waitFor(async () => ((await json(await t.request('/api/v1/plugins/hello/tallies'))).data as Json[]).length > 0);
    const [tally] = (await json(await t.request('/api/v1/plugins/hello/tallies'))).data;
    const people = (await json(await t.request('/api/v1/records/person?limit=500'))).data.length;
    expect(tally).toEqual({ workspaceId: t.admin.workspaceId, people, companies: expect.any(Number) });
    await waitFor(async () => ((await json(await t.request('/api/v1/jobs'))).data as Json[]).some((entry) => entry.id === job && entry.state === 'completed'));
    const jobs = await json(await t.request('/api/v1/jobs'));
    expect(jobs.data.find((entry: Json) => entry.id === job)).toMatchObject({ plugin: 'hello', queue: 'plugin.hello.tally', state: 'completed' });
    expect(jobs.schedules).toEqual([{ queue: 'plugin.hello.nightly-tally', cron: '0 3 * * *' }]);
    expect((await disable()).status).toBe(200);
    expect((await json(await t.request('/api/v1/jobs'))).schedules).toEqual([]);
  });

  it("notifies a new record's owner in the app, as their preferences say", async () => {
    expect((await enable()).status).toBe(200);
    const before = (await json(await t.request('/api/v1/notifications'))).unreadCount as number;
    const { id } = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Notified Co' } }));
    await waitFor(async () => (await json(await t.request('/api/v1/notifications'))).unreadCount > before);
    const inbox = await json(await t.request('/api/v1/notifications?unread=true'));
    expect(inbox.data[0]).toMatchObject({ kind: 'hello.record-seen', source: 'hello', title: { en: 'Hello noticed Notified Co' }, link: { object: 'company', id }, readAt: null });
    expect((await t.request('/api/v1/notifications/read', { method: 'POST', json: { all: true } })).status).toBe(204);
    expect((await json(await t.request('/api/v1/notifications'))).unreadCount).toBe(0);
    // Turned off in the app for this kind: nothing more arrives.
    expect((await t.request('/api/v1/notifications/preferences', { method: 'PUT', json: [{ kind: 'hello.record-seen', inApp: false, email: false }] })).status).toBe(200);
    const { id: quiet } = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Quiet Co' } }));
    await waitFor(async () => ((await json(await t.request('/api/v1/plugins/hello/seen'))).data as Json[]).some((entry) => entry.id === quiet));
    expect((await json(await t.request('/api/v1/notifications'))).unreadCount).toBe(0);
    expect((await t.request('/api/v1/notifications/read', { method: 'POST', json: { ids: [] } })).status).toBe(422);
  });

  it('brings its own object to every workspace while enabled; the data stays when it is disabled', async () => {
    expect((await enable()).status).toBe(200);
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Carded' } }));
    const card = await t.request('/api/v1/records/helloCard', { method: 'POST', json: { title: 'Welcome!', person: person.id } });
    expect(card.status, await card.clone().text()).toBe(201);
    const { id } = await json(card);
    const expanded = await json(await t.request(`/api/v1/records/person/${person.id}?expand=helloCards`));
    expect(expanded.helloCards.map((entry: Json) => entry.title)).toEqual(['Welcome!']);
    const object = await json(await t.request('/api/v1/metadata/objects/helloCard'));
    expect(object).toMatchObject({ owner: 'plugin:hello', labels: { singular: { fr: 'Carte de bienvenue' } } });
    // Users may extend it, not delete it.
    expect((await t.request('/api/v1/metadata/objects/helloCard/fields', { method: 'POST', json: { name: 'mood', type: 'text', labels: { en: 'Mood' } } })).status).toBe(201);
    expect((await t.request('/api/v1/metadata/objects/helloCard', { method: 'DELETE' })).status).toBeGreaterThanOrEqual(400);
    expect((await disable()).status).toBe(200);
    expect((await t.request(`/api/v1/records/helloCard/${id}`)).status).toBe(404);
    expect((await enable()).status).toBe(200);
    expect((await json(await t.request(`/api/v1/records/helloCard/${id}`))).title).toBe('Welcome!');
    // Purged, its records go with it (and what pointed at them); enabled again, it starts empty.
    expect((await disable()).status).toBe(200);
    expect((await t.request('/api/v1/plugins/hello/uninstall', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/plugins/hello/purge', { method: 'POST', json: { confirm: 'hello' } })).status).toBe(204);
    const [left] = await rows<{ n: number }>(t.core.database.db, sql`select count(*)::int as n from custom_record where object = 'helloCard'`);
    expect(left!.n).toBe(0);
    expect((await enable()).status).toBe(200);
    expect((await json(await t.request('/api/v1/records/helloCard'))).data).toEqual([]);
    expect((await json(await t.request(`/api/v1/records/person/${person.id}?expand=helloCards`))).helloCards).toEqual([]);
  });

  // Last: its tally route starts a job each time, which the tests above count.
  it('answers garbage to any of its routes with a 4xx problem, never a 5xx', async () => {
    expect((await enable()).status).toBe(200);
    const report = await sendBadInput(t, 'hello');
    expect(report.routes).toBe(4);
    expect(report.wrong).toEqual([]);
  });
});
