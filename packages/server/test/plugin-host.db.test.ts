import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer, refuse } from '@rapport/sdk/server';
import pino from 'pino';
import { createCore } from '@rapport/core';
import { openPostgres } from '@rapport/db';
import { PluginHost, type PluginModule } from '@rapport/server';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

const base = { engines: { rapport: '^1.0.0' }, displayName: { en: 'Test' } };
const plugin = (manifest: Parameters<typeof defineManifest>[0], setup: Parameters<typeof defineServer>[1] = () => {}): PluginModule => {
  const parsed = defineManifest(manifest);
  return { manifest: parsed, load: async () => defineServer(parsed, setup) };
};

/** A package as installed on one server: `reload` reads whatever version is installed there now. */
const installed = { first: '1.0.0', other: '1.0.0' };
const upgradable = (server: keyof typeof installed): PluginModule => {
  const parsed = defineManifest({ ...base, id: 'upgradable', version: installed[server] });
  return { manifest: parsed, load: async () => defineServer(parsed, (ctx) => ctx.http.get('/version', (c) => c.json({ version: parsed.version }))), reload: async () => upgradable(server) };
};

let subscriberCalls = 0;
const PLUGINS: PluginModule[] = [
  upgradable('first'),
  plugin({ ...base, id: 'contacts-extra', version: '1.4.0' }, (ctx) => {
    ctx.http.get('/ping', (c) => c.json({ pong: true }));
  }),
  plugin({ ...base, id: 'needs-contacts', version: '1.0.0', requires: { 'contacts-extra': '^1.2.0' } }),
  plugin({ ...base, id: 'needs-newer', version: '1.0.0', requires: { 'contacts-extra': '^2.0.0' } }),
  plugin({ ...base, id: 'needs-missing', version: '1.0.0', requires: { billing: '^1.0.0' } }),
  plugin({ ...base, id: 'future-api', version: '1.0.0', engines: { rapport: '^2.0.0' } }),
  plugin({ ...base, id: 'broken-at-load', version: '1.0.0' }, () => {
    throw new Error('cannot find my configuration');
  }),
  plugin({ ...base, id: 'name-police', version: '1.0.0' }, (ctx) => {
    ctx.events.before('company', (write) => {
      if (write.action !== 'delete' && String(write.after.name ?? '').toLowerCase().includes('forbidden')) {
        throw refuse('Company names may not say "forbidden"', [{ field: 'name', code: 'forbidden_word', message: 'may not contain "forbidden"' }]);
      }
      if (write.after.name === 'Crash') throw new Error('the check itself broke');
    });
  }),
  plugin({ ...base, id: 'keeps-emails', version: '1.0.0', personalData: ['email addresses'] }),
  plugin({ ...base, id: 'undeclared-events', version: '1.0.0' }, (ctx) => {
    ctx.events.on('record.created', async () => {});
  }),
  plugin({ ...base, id: 'flaky', version: '1.0.0', events: ['record.created'], permissions: { objects: { company: { read: 'all' } } } }, (ctx) => {
    ctx.http.get('/boom', () => {
      throw new Error('kaboom');
    });
    ctx.events.on('record.created', async () => {
      subscriberCalls++;
      throw new Error('subscriber kaboom');
    });
  }),
];

describeDb('plugin host: refusals that say what to do, and isolation of failures', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ plugins: PLUGINS });
  });
  afterAll(() => t?.close());

  const enable = (id: string) => t.request(`/api/v1/plugins/${id}/enable`, { method: 'POST' });
  const detail = async (response: Response) => ({ status: response.status, detail: (await json(response)).detail as string });

  it('refuses, saying what to do: plugin API range, missing or incompatible or disabled requirements, required by an enabled plugin', async () => {
    expect(await detail(await enable('future-api'))).toEqual({ status: 409, detail: expect.stringMatching(/needs the plugin API \^2\.0\.0/) });
    expect(await detail(await enable('needs-missing'))).toEqual({ status: 409, detail: 'needs-missing requires billing ^1.0.0: install billing ^1.0.0 first' });
    expect(await detail(await enable('needs-newer'))).toEqual({ status: 409, detail: 'needs-newer requires contacts-extra ^2.0.0: install contacts-extra ^2.0.0 first' });
    expect(await detail(await enable('needs-contacts'))).toEqual({ status: 409, detail: 'needs-contacts requires contacts-extra: enable contacts-extra first' });
    expect((await enable('contacts-extra')).status).toBe(200);
    expect((await enable('needs-contacts')).status).toBe(200);
    expect(await detail(await t.request('/api/v1/plugins/contacts-extra/disable', { method: 'POST' }))).toEqual({ status: 409, detail: 'needs-contacts requires contacts-extra: disable needs-contacts first' });
    expect((await t.request('/api/v1/plugins/needs-contacts/disable', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/plugins/contacts-extra/disable', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/plugins/nope/enable', { method: 'POST' })).status).toBe(404);
  });

  it('a plugin that throws at load is marked failed with its error; the others go on', async () => {
    const broken = await detail(await enable('broken-at-load'));
    expect(broken).toEqual({ status: 409, detail: 'broken-at-load failed to start: cannot find my configuration' });
    expect((await detail(await enable('keeps-emails'))).detail).toBe(
      'keeps-emails failed to start: it declares personal data (email addresses) but registers no GDPR hooks: call ctx.gdpr.register({ exportPersonalData, erasePersonalData })',
    );
    const undeclared = await detail(await enable('undeclared-events'));
    expect(undeclared.detail).toMatch(/subscribes to record\.created, which its manifest does not declare/);
    const listed = (await json(await t.request('/api/v1/plugins'))).data as Json[];
    expect(listed.find((entry) => entry.id === 'broken-at-load')).toMatchObject({ status: 'failed', error: 'cannot find my configuration' });
    expect((await enable('contacts-extra')).status).toBe(200);
    expect(await json(await t.request('/api/v1/plugins/contacts-extra/ping'))).toEqual({ pong: true });
  });

  it('a route that throws is a 502 problem, a subscriber that throws is retried; requests go on', async () => {
    expect((await enable('flaky')).status).toBe(200);
    const boom = await t.request('/api/v1/plugins/flaky/boom');
    expect(boom.status).toBe(502);
    expect(boom.headers.get('content-type')).toContain('application/problem+json');
    // A reference to the server's log, not the error's message (it may hold SQL, parameters, other people's data).
    const problem = await json(boom);
    expect(problem.detail).toMatch(/failed to answer; the server's log has the details under [0-9a-f-]{36}$/);
    expect(problem.detail).not.toMatch(/kaboom/);
    const created = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Still works' } });
    expect(created.status).toBe(201);
    await t.core.events.dispatchOnce();
    expect(subscriberCalls).toBe(1);
    expect((await t.request('/api/v1/records/company?limit=1')).status).toBe(200);
  });

  it('on several servers, enabling or disabling on one takes effect on the others (NOTIFY, then reconcile)', async () => {
    const database = t.testDatabase.driver === 'postgres' ? await openPostgres({ url: t.testDatabase.location, max: 2 }) : t.testDatabase.database;
    const otherCore = createCore({ database });
    await otherCore.start({ dispatch: false });
    const other = new PluginHost(otherCore, pino({ level: 'silent' }));
    for (const module of PLUGINS) other.register(module);
    await other.start();
    const env = { auth: { actor: t.admin, via: 'apiKey' as const } } as never;
    const answers = async () => (await other.dispatch('contacts-extra', new Request('http://x/api/v1/plugins/contacts-extra/ping'), env).catch((error: { status: number }) => ({ status: error.status }))).status;
    const eventually = async (status: number) => {
      const deadline = Date.now() + 5000;
      while ((await answers()) !== status && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return answers();
    };
    try {
      expect(await answers()).toBe(200); // enabled earlier on the first server, in the table at start-up
      expect((await t.request('/api/v1/plugins/contacts-extra/disable', { method: 'POST' })).status).toBe(200);
      expect(await eventually(404)).toBe(404);
      expect((await enable('contacts-extra')).status).toBe(200);
      expect(await eventually(200)).toBe(200);
    } finally {
      await other.stop();
      await otherCore.stop();
      if (database !== t.testDatabase.database) await database.close();
    }
  });

  it('an upgrade through one server reaches the others with that version installed; one without it stops running the plugin', async () => {
    expect((await enable('upgradable')).status).toBe(200);
    const database = t.testDatabase.driver === 'postgres' ? await openPostgres({ url: t.testDatabase.location, max: 2 }) : t.testDatabase.database;
    const otherCore = createCore({ database });
    await otherCore.start({ dispatch: false });
    const other = new PluginHost(otherCore, pino({ level: 'silent' }));
    for (const module of PLUGINS) other.register(module.manifest.id === 'upgradable' ? upgradable('other') : module);
    await other.start();
    const env = { auth: { actor: t.admin, via: 'apiKey' as const } } as never;
    const answer = async () => {
      const response = await other.dispatch('upgradable', new Request('http://x/api/v1/plugins/upgradable/version'), env).catch((error: { status: number }) => ({ status: error.status, json: async () => null }));
      return response.status === 200 ? ((await response.json()) as { version: string }).version : response.status;
    };
    const eventually = async (expected: string | number) => {
      const deadline = Date.now() + 5000;
      while ((await answer()) !== expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      return answer();
    };
    try {
      expect(await answer()).toBe('1.0.0');
      // 2.0.0 installed on both servers, upgraded through the first: the other swaps it in too.
      installed.first = installed.other = '2.0.0';
      expect((await t.request('/api/v1/plugins/upgradable/upgrade', { method: 'POST' })).status).toBe(200);
      expect(await eventually('2.0.0')).toBe('2.0.0');
      // 3.0.0 installed on the first only: the other does not run its 2.0.0 code against 3.0.0's data.
      installed.first = '3.0.0';
      expect((await t.request('/api/v1/plugins/upgradable/upgrade', { method: 'POST' })).status).toBe(200);
      expect(await eventually(404)).toBe(404);
      expect((await json(await t.request('/api/v1/plugins/upgradable/version'))).version).toBe('3.0.0');
    } finally {
      await other.stop();
      await otherCore.stop();
      if (database !== t.testDatabase.database) await database.close();
    }
  });

  it('a before hook vetoes writes inside their transaction: nothing of the batch is written', async () => {
    expect((await enable('name-police')).status).toBe(200);
    const before = await t.rowCounts();
    const refused = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Forbidden Fruit Ltd' } });
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors).toEqual([{ field: 'name', code: 'forbidden_word', message: 'may not contain "forbidden"' }]);
    const batch = await t.request('/api/v1/records/company/batch', { method: 'POST', json: { operation: 'create', records: [{ name: 'Fine Ltd' }, { name: 'forbidden too' }] } });
    expect(batch.status).toBe(422);
    // The refusal names the record of the batch it is about, as validation does.
    expect((await json(batch)).errors).toEqual([{ field: 'records.1.name', code: 'forbidden_word', message: 'may not contain "forbidden"' }]);
    const broken = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Crash' } });
    expect(broken.status).toBe(502);
    expect(await t.rowCounts()).toEqual(before);
    expect((await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Allowed Ltd' } })).status).toBe(201);
    expect((await t.request('/api/v1/plugins/name-police/disable', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Forbidden no more' } })).status).toBe(201);
  });
});
