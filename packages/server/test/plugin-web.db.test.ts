import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, importPluginFolder, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

/** A plugin package with a built web module and two navigation entries, one needing the right to read people. */
const folder = path.join(import.meta.dirname, '..', '.test-plugins', `pages-${process.env.RAPPORT_TEST_DB}-${process.pid}`);

describeDb('plugins in the shell: extensions and their web modules', () => {
  let t: TestServer;
  let companiesOnly: string;
  beforeAll(async () => {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(path.join(folder, 'dist', 'chunks'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'rapport-plugin-pages', type: 'module', exports: { './manifest': './manifest.js', './server': './server.js', './web': './dist/web.js' } }));
    fs.writeFileSync(
      path.join(folder, 'manifest.js'),
      `import { defineManifest } from '@rapport/sdk/manifest';
export default defineManifest({ id: 'pages', version: '2.1.0', displayName: { en: 'Pages', fr: 'Pages' }, engines: { rapport: '^1.0.0' },
  navigation: [{ id: 'home', label: { en: 'Pages' }, path: '' }, { id: 'people', label: { en: 'People pages' }, path: 'people', icon: 'users', requires: { object: 'person', action: 'read' } }] });`,
    );
    fs.writeFileSync(path.join(folder, 'server.js'), `import { defineServer } from '@rapport/sdk/server';\nimport manifest from './manifest.js';\nexport default defineServer(manifest, () => {});`);
    fs.writeFileSync(path.join(folder, 'dist', 'web.js'), `import { defineWeb } from '@rapport/sdk/web'; export default defineWeb({ id: 'pages' }, {});`);
    fs.writeFileSync(path.join(folder, 'dist', 'chunks', 'part-1.js'), 'export const part = 1;');
    fs.writeFileSync(path.join(folder, 'secret.txt'), 'not for the web');
    t = await createTestServer({ plugins: [await importPluginFolder(folder)] });
    const role = { key: 'companies_only', labels: { en: 'Companies only' }, definition: { objects: { company: { read: 'all', create: false, update: 'none', delete: 'none', fields: {} } }, export: false, import: false, admin: { settings: false, users: false, plugins: false, audit: false } } };
    expect((await t.request('/api/v1/roles', { method: 'POST', json: role })).status).toBe(201);
    companiesOnly = (await json(await t.request('/api/v1/api-keys', { method: 'POST', json: { name: 'companies', role: 'companies_only' } }))).token;
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });
  const asCompaniesOnly = (url: string) => t.request(url, { headers: { authorization: `Bearer ${companiesOnly}` } });

  it('lists only enabled plugins, to any signed-in caller, and follows enable and disable at once', async () => {
    expect((await t.request('/api/v1/ui/extensions', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect(await json(await t.request('/api/v1/ui/extensions'))).toEqual({ plugins: [] });
    expect((await t.request('/api/v1/plugins/pages/enable', { method: 'POST' })).status).toBe(200);
    const { plugins } = await json(await t.request('/api/v1/ui/extensions'));
    expect(plugins).toEqual([
      {
        id: 'pages',
        version: '2.1.0',
        displayName: { en: 'Pages', fr: 'Pages' },
        navigation: [{ id: 'home', label: { en: 'Pages' }, path: '' }, { id: 'people', label: { en: 'People pages' }, path: 'people', icon: 'users' }],
        // The version, and when the module was built: a rebuilt module is a new URL.
        web: expect.stringMatching(/^\/plugin-web\/pages\/2\.1\.0-[0-9a-z]+\/web\.js$/),
      },
    ]);
    // A caller who cannot read people does not see the entry that needs it (nor a plugin-admin right to see the rest).
    const limited = await json(await asCompaniesOnly('/api/v1/ui/extensions'));
    expect(limited.plugins[0].navigation.map((item: { id: string }) => item.id)).toEqual(['home']);
  });

  it('serves the web module and its chunks, cacheable, and nothing else of the package', async () => {
    const { plugins } = await json(await t.request('/api/v1/ui/extensions'));
    expect((await fetch(`${t.url}${plugins[0].web}`)).status).toBe(200);
    const entry = await fetch(`${t.url}/plugin-web/pages/2.1.0/web.js`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get('content-type')).toContain('text/javascript');
    expect(entry.headers.get('cache-control')).toContain('immutable');
    expect(await entry.text()).toContain("defineWeb({ id: 'pages' }");
    expect((await fetch(`${t.url}/plugin-web/pages/2.1.0/chunks/part-1.js`)).status).toBe(200);
    for (const escape of ['/plugin-web/pages/2.1.0/..%2fsecret.txt', '/plugin-web/pages/2.1.0/%2e%2e/secret.txt', '/plugin-web/pages/2.1.0/..%2fpackage.json', '/plugin-web/pages/2.1.0/%E0%A4%A', '/plugin-web/pages/2.1.0/web.js%00.txt', '/plugin-web/pages/2.1.0/chunks/..%5c..%5csecret.txt', '/plugin-web/nope/1.0.0/web.js']) {
      const response = await fetch(`${t.url}${escape}`);
      expect(await response.text()).not.toContain('not for the web');
      expect(response.status).toBe(404);
    }
    // Another version than the one running: 404 (a stale shell asks again for the list).
    expect((await fetch(`${t.url}/plugin-web/pages/2.0.0/web.js`)).status).toBe(404);
  });

  it('stops serving a disabled plugin and drops it from the list', async () => {
    expect((await t.request('/api/v1/plugins/pages/disable', { method: 'POST' })).status).toBe(200);
    expect(await json(await t.request('/api/v1/ui/extensions'))).toEqual({ plugins: [] });
    expect((await fetch(`${t.url}/plugin-web/pages/2.1.0/web.js`)).status).toBe(404);
  });

  it('tells open shells when plugins change (server-sent events), and lets them go when the server closes', async () => {
    expect((await t.request('/api/v1/ui/events', { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const response = await t.request('/api/v1/ui/events');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let received = '';
    const until = async (pattern: RegExp) => {
      const deadline = Date.now() + 10_000;
      while (!pattern.test(received)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in ${JSON.stringify(received)}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`the stream ended before ${pattern}: ${JSON.stringify(received)}`);
        received += decoder.decode(value);
      }
    };
    await until(/retry: 5000/);
    expect(received).not.toMatch(/event: extensions/);
    expect((await t.request('/api/v1/plugins/pages/enable', { method: 'POST' })).status).toBe(200);
    await until(/event: extensions/);
    received = '';
    expect((await t.request('/api/v1/plugins/pages/disable', { method: 'POST' })).status).toBe(200);
    await until(/event: extensions/);
    // The server closing ends the stream (rather than waiting for the browser to leave).
    t.plugins!.announceClosing();
    const deadline = Date.now() + 5_000;
    let ended = false;
    while (!ended && Date.now() < deadline) ended = (await reader.read()).done;
    expect(ended).toBe(true);
  });
});
