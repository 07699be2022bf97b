import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost } from '@rapport/testing';
import { type DevSession, startDev } from '../src/dev-command';
import { scaffoldPlugin } from '../src/plugin-scaffold';
import { linkPluginDependencies } from './link-plugin';

type Json = any;
const repo = path.resolve(import.meta.dirname, '../../..');
const base = path.join(repo, 'packages', 'cli', '.test-plugins', `dev-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);

describeDb('rapport dev: the running server reads a plugin again at every change of its sources', () => {
  let host: TestHost;
  let folder: string;
  let session: DevSession | undefined;
  let stdout = '';
  let stderr = '';
  beforeAll(async () => {
    ({ folder } = scaffoldPlugin('dev-visits', { dir: path.join(base, 'dev-visits') }));
    linkPluginDependencies(folder);
    host = await createTestHost({ plugins: [await importPluginFolder(folder)] });
    await host.enable('dev-visits');
  }, 60_000);
  afterAll(async () => {
    session?.stop();
    await host?.close();
    fs.rmSync(base, { recursive: true, force: true });
  });

  const edit = (file: string, change: (text: string) => string) => fs.writeFileSync(path.join(folder, file), change(fs.readFileSync(path.join(folder, file), 'utf8')));
  const get = async (route: string) => (await host.request(`/api/v1/plugins/dev-visits${route}`)).json() as Promise<Json>;
  const webUrl = async () => ((await (await host.request('/api/v1/ui/extensions')).json()) as Json).plugins.find((plugin: Json) => plugin.id === 'dev-visits').web as string;

  it('builds the web module and reloads the plugin at start, then at each change — the files it imports too', { timeout: 60_000 }, async () => {
    session = await startDev(folder, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: {} }, { url: host.url, apiKey: host.apiKey });
    expect(session.reloads).toBe(1);
    expect(stdout).toMatch(/reloaded dev-visits \(enabled, web \d+ KB\) in \d+ ms/);
    expect(fs.existsSync(path.join(folder, 'dist', 'web.js'))).toBe(true);
    const firstWeb = await webUrl();
    expect((await host.request(firstWeb)).status).toBe(200);

    fs.writeFileSync(path.join(folder, 'src', 'greeting.ts'), "export const greeting = 'one';\n");
    edit('src/server.ts', (text) => text.replace("ctx.http.get('/summary'", "ctx.http.get('/greeting', (c) => c.json({ greeting }));\n  ctx.http.get('/summary'").replace(/^/, "import { greeting } from './greeting';\n"));
    await eventually(() => get('/greeting').catch(() => null), (body) => body?.greeting === 'one', 20_000);
    // Only the imported file changes: it is read again too.
    fs.writeFileSync(path.join(folder, 'src', 'greeting.ts'), "export const greeting = 'two';\n");
    await eventually(() => get('/greeting'), (body) => body.greeting === 'two', 20_000);
    // The rebuilt web module has a new URL: browsers do not keep the old one.
    const newWeb = await webUrl();
    expect(newWeb).not.toBe(firstWeb);
    expect((await host.request(newWeb)).status).toBe(200);
  });

  it('says why when the new code does not start, and recovers at the next change', { timeout: 60_000 }, async () => {
    const reloads = session!.reloads;
    fs.writeFileSync(path.join(folder, 'src', 'greeting.ts'), "throw new Error('broken on purpose');\nexport const greeting = 'three';\n");
    await eventually(async () => session!.lastError, (error) => Boolean(error), 20_000);
    expect(stderr).toMatch(/dev-visits: .*broken on purpose/);
    fs.writeFileSync(path.join(folder, 'src', 'greeting.ts'), "export const greeting = 'fixed';\n");
    await eventually(() => get('/greeting').catch(() => null), (body) => body?.greeting === 'fixed', 20_000);
    // The CLI counts the reload once the server's answer is in: a moment after the route answers anew.
    await eventually(async () => [session!.reloads, session!.lastError] as const, ([count, error]) => count >= reloads + 2 && error === null, 10_000);
  });
});
