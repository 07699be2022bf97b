import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineManifest } from '@rapport/sdk/manifest';
import { conflict, defineServer } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

let servicePort = 0;
// A plugin that calls "its" service with the API key an admin set.
const manifest = defineManifest({
  id: 'fetcher',
  version: '1.0.0',
  engines: { rapport: '^1.0.0' },
  displayName: { en: 'Fetcher' },
  secrets: [{ name: 'apiKey', label: { en: 'API key', fr: 'Clé d’API' } }],
  fetch: { hosts: ['localhost', '127.0.0.1', '*.example.test'] },
});
const fetcher: PluginModule = {
  manifest,
  load: async () =>
    defineServer(manifest, (ctx) => {
      ctx.http.get('/try', async (c) => {
        try {
          const key = await ctx.secrets.get('apiKey');
          const response = await ctx.fetch(c.req.query('url') ?? '', { headers: key ? { authorization: `Bearer ${key}` } : {} });
          return c.json({ status: response.status, body: await response.json().catch(() => null) });
        } catch (error) {
          return c.json({ refused: (error as Error).message });
        }
      });
      ctx.http.get('/needs-key', async (c) => {
        const key = await ctx.secrets.get('apiKey');
        if (!key) throw conflict('Set the API key of the fetcher plugin first');
        return c.json({ length: key.length });
      });
      ctx.http.get('/undeclared-secret', async (c) => c.json({ value: await ctx.secrets.get('other') }));
      ctx.health.check('apiKey', async () => {
        if (!(await ctx.secrets.get('apiKey'))) throw new Error('the API key is not set');
      });
      ctx.health.check('service', async () => {
        const response = await ctx.fetch(`http://localhost:${servicePort}/echo`);
        return { detail: `answered ${response.status}` };
      });
    }),
};

describeDb('plugins: secrets set by admins, and a fetch that stays out of the server’s network', () => {
  let t: TestServer;
  let strict: TestServer;
  let service: http.Server;
  let port = 0;
  beforeAll(async () => {
    // "The service": echoes what it got; redirects where asked.
    service = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname === '/redirect') {
        response.writeHead(302, { location: url.searchParams.get('to') ?? '/echo' }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: url.pathname, authorization: request.headers.authorization ?? null }));
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    port = (service.address() as AddressInfo).port;
    servicePort = port;
    t = await createTestServer({ plugins: [fetcher], pluginFetchPrivateHosts: ['localhost'] });
    strict = await createTestServer({ plugins: [fetcher] });
    for (const server of [t, strict]) expect((await server.request('/api/v1/plugins/fetcher/enable', { method: 'POST' })).status).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await strict?.close();
    service?.close();
  });

  const attempt = async (server: TestServer, url: string) => json(await server.request(`/api/v1/plugins/fetcher/try?url=${encodeURIComponent(url)}`));

  it('keeps secrets sealed, answers only whether they are set, and audits their changes', async () => {
    const secrets = '/api/v1/plugins/fetcher/secrets';
    const health = async (server: TestServer) => (await json(await server.request('/api/v1/plugins/health'))).data.find((plugin: Json) => plugin.id === 'fetcher');
    expect(await health(t)).toMatchObject({ status: 'failing', checks: [{ name: 'apiKey', ok: false, detail: 'the API key is not set' }, { name: 'service', ok: true, detail: 'answered 200' }] });
    expect((await json(await t.request(secrets))).data).toEqual([{ name: 'apiKey', label: { en: 'API key', fr: 'Clé d’API' }, description: null, set: false, updatedAt: null }]);
    const missing = await t.request('/api/v1/plugins/fetcher/needs-key');
    expect(missing.status).toBe(409);
    expect((await json(missing)).detail).toBe('Set the API key of the fetcher plugin first');

    expect((await t.request(`${secrets}/apiKey`, { method: 'PUT', json: { value: 'sk-live-0123456789' } })).status).toBe(204);
    const listed = await (await t.request(secrets)).text();
    expect(listed).not.toContain('sk-live');
    expect(JSON.parse(listed).data[0].set).toBe(true);
    const stored = (await t.core.database.db.execute(sql`select value from plugin_secret where plugin_id = 'fetcher'`)) as unknown as { rows?: { value: string }[] } & { value: string }[];
    const value = (stored.rows ?? stored)[0]!.value;
    expect(value).not.toContain('sk-live');
    expect((await json(await t.request('/api/v1/plugins/fetcher/needs-key'))).length).toBe(18);
    expect((await health(t)).status).toBe('ok');
    // The strict server's plugin may not reach the service inside the network: its check says why.
    expect((await health(strict)).checks[1]).toMatchObject({ name: 'service', ok: false, detail: expect.stringContaining('inside the server') });
    expect((await json(await t.request('/api/v1/audit?action=plugin.secretChanged'))).data[0].detail).toEqual({ name: 'apiKey', change: 'set' });

    // Refusals: an undeclared name, an empty value, someone who does not administer plugins.
    expect((await t.request(`${secrets}/other`, { method: 'PUT', json: { value: 'x' } })).status).toBe(404);
    const empty = await t.request(`${secrets}/apiKey`, { method: 'PUT', json: { value: '' } });
    expect(empty.status).toBe(422);
    expect((await json(empty)).errors[0].field).toBe('value');
    const rep = await t.core.identity.createUser(t.admin.workspaceId, { email: `rep-${Date.now()}@test.rapport`, name: 'Rep', role: 'sales_rep', password: 'a long enough password' });
    const { token } = await t.core.identity.createApiKey({ kind: 'user', id: rep.user.id, userId: rep.user.id, workspaceId: t.admin.workspaceId }, { name: 'rep' });
    expect((await t.request(`${secrets}/apiKey`, { method: 'PUT', json: { value: 'mine' }, headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await t.request(secrets, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect((await t.request('/api/v1/plugins/health', { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    // A plugin reading a secret it did not declare is a bug of the plugin.
    expect((await t.request('/api/v1/plugins/fetcher/undeclared-secret')).status).toBe(502);

    expect((await t.request(`${secrets}/apiKey`, { method: 'DELETE' })).status).toBe(204);
    expect((await json(await t.request(secrets))).data[0].set).toBe(false);
    await t.request(`${secrets}/apiKey`, { method: 'PUT', json: { value: 'sk-live-0123456789' } });
  });

  it('fetches the declared hosts, with the secret; refuses undeclared hosts, other schemes and addresses inside the network', async () => {
    const ok = await attempt(t, `http://localhost:${port}/echo`);
    expect(ok).toEqual({ status: 200, body: { path: '/echo', authorization: 'Bearer sk-live-0123456789' } });
    // A redirect on the same host is followed.
    expect((await attempt(t, `http://localhost:${port}/redirect?to=/landed`)).body.path).toBe('/landed');

    expect((await attempt(t, 'https://api.elsewhere.test/v1')).refused).toContain('api.elsewhere.test is not among the hosts its manifest declares');
    expect((await attempt(t, `ftp://localhost:${port}/`)).refused).toContain('ftp: URLs are not allowed');
    expect((await attempt(t, `http://user:pass@localhost:${port}/`)).refused).toContain('credentials in URLs');
    // Declared, but a loopback address the admin did not allow.
    expect((await attempt(t, `http://127.0.0.1:${port}/echo`)).refused).toContain("127.0.0.1 is inside the server's network");
    // Redirects are checked hop by hop: to an address inside the network, or to an undeclared host.
    expect((await attempt(t, `http://localhost:${port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${port}/echo`)}`)).refused).toContain("127.0.0.1 is inside the server's network");
    expect((await attempt(t, `http://localhost:${port}/redirect?to=${encodeURIComponent('http://169.254.169.254/latest/meta-data')}`)).refused).toContain('169.254.169.254 is not among the hosts');
    // Without the admin's permission, a declared name that resolves inside the network is refused when connecting.
    expect((await attempt(strict, `http://localhost:${port}/echo`)).refused).toContain("localhost resolves to 127.0.0.1, inside the server's network");
  });
});
