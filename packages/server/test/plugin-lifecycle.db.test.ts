import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { createTestServer, describeDb, eventually, importPluginFolder, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

/*
 * A plugin package written to a folder inside the repository (so that it resolves @rapport/sdk as an
 * installed one would), then rewritten as its next version: upgrade, uninstall and purge at run time.
 */
const folder = path.join(import.meta.dirname, '..', '.test-plugins', `counter-${process.env.RAPPORT_TEST_DB}-${process.pid}`);

function writeVersion(version: string, migrations: string[]) {
  fs.mkdirSync(path.join(folder, 'drizzle', 'meta'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'rapport-plugin-counter', type: 'module', exports: { './manifest': './manifest.js', './server': './server.js' } }));
  fs.writeFileSync(
    path.join(folder, 'manifest.js'),
    `import { defineManifest } from '@rapport/sdk/manifest';
export default defineManifest({
  id: 'counter', version: '${version}', displayName: { en: 'Counter' }, engines: { rapport: '^1.0.0' },
  // A relation that puts a list on person, and a field on company: an upgrade must not clash with them.
  objects: [{ name: 'tally', labels: { singular: { en: 'Tally' }, plural: { en: 'Tallies' } }, labelField: 'title', fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
    { name: 'person', type: 'relation', labels: { en: 'Person' }, relation: { kind: 'manyToOne', target: 'person', reverse: { name: 'tallies', labels: { en: 'Tallies' } } } },
  ] }],
  fields: [{ object: 'company', field: { name: 'tallyCount', type: 'number', labels: { en: 'Tally count' } } }],
  jobs: [{ name: 'tick' }, { name: 'nightly', cron: '0 4 * * *' }],
});`,
  );
  fs.writeFileSync(
    path.join(folder, 'server.js'),
    `import { defineServer } from '@rapport/sdk/server';
import manifest from './manifest.js';
export default defineServer(manifest, (ctx) => {
  ctx.http.get('/version', (c) => c.json({ version: '${version}' }));
  const ticks = globalThis.counterTicks ??= [];
  ctx.jobs.handle('tick', async () => void ticks.push('${version}'));
  ctx.jobs.handle('nightly', async () => {});
  ctx.http.post('/tick', async (c) => c.json({ job: await ctx.jobs.enqueue('tick', {}) }, 202));
  ctx.http.get('/ticks', (c) => c.json({ ticks }));
});`,
  );
  const entries = migrations.map((sqlText, index) => {
    const tag = `000${index}_step`;
    fs.writeFileSync(path.join(folder, 'drizzle', `${tag}.sql`), sqlText);
    return { idx: index, version: '7', when: 1_700_000_000_000 + index, tag, breakpoints: true };
  });
  fs.writeFileSync(path.join(folder, 'drizzle', 'meta', '_journal.json'), JSON.stringify({ version: '7', dialect: 'postgresql', entries }));
}

describeDb('plugin lifecycle: upgrade, uninstall and purge at run time', () => {
  let t: TestServer;
  beforeAll(async () => {
    fs.rmSync(folder, { recursive: true, force: true });
    writeVersion('1.0.0', ['CREATE SCHEMA "plugin_counter";\n--> statement-breakpoint\nCREATE TABLE "plugin_counter"."hit" ("id" integer PRIMARY KEY);']);
    t = await createTestServer({ plugins: [await importPluginFolder(folder)] });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('upgrades: new migrations first, then the new code swapped in, without a restart', async () => {
    expect((await t.request('/api/v1/plugins/counter/enable', { method: 'POST' })).status).toBe(200);
    expect(await json(await t.request('/api/v1/plugins/counter/version'))).toEqual({ version: '1.0.0' });
    expect((await t.request('/api/v1/plugins/counter/upgrade', { method: 'POST' })).status).toBe(409); // nothing newer installed
    writeVersion('1.1.0', [
      'CREATE SCHEMA "plugin_counter";\n--> statement-breakpoint\nCREATE TABLE "plugin_counter"."hit" ("id" integer PRIMARY KEY);',
      'ALTER TABLE "plugin_counter"."hit" ADD COLUMN "at" timestamp with time zone;',
    ]);
    const upgraded = await t.request('/api/v1/plugins/counter/upgrade', { method: 'POST' });
    expect(upgraded.status, await upgraded.clone().text()).toBe(200);
    expect(await json(upgraded)).toMatchObject({ version: '1.1.0', status: 'enabled' });
    // Development: the same version read again (rapport dev).
    const reloaded = await t.request('/api/v1/plugins/counter/reload', { method: 'POST' });
    expect(reloaded.status, await reloaded.clone().text()).toBe(200);
    expect(await json(reloaded)).toMatchObject({ version: '1.1.0', status: 'enabled' });
    // Its jobs still run and its schedule is kept: the old code's disposal left the new code's alone.
    expect((await t.request('/api/v1/plugins/counter/tick', { method: 'POST' })).status).toBe(202);
    await eventually(async () => (await json(await t.request('/api/v1/plugins/counter/ticks'))).ticks, (ticks: string[]) => ticks.includes('1.1.0'), 15_000);
    expect((await json(await t.request('/api/v1/jobs'))).schedules).toEqual([{ queue: 'plugin.counter.nightly', cron: '0 4 * * *' }]);
    expect(await json(await t.request('/api/v1/plugins/counter/version'))).toEqual({ version: '1.1.0' });
    const columns = await rows<{ column_name: string }>(t.core.database.db, sql`select column_name from information_schema.columns where table_schema = 'plugin_counter' and table_name = 'hit' order by 1`);
    expect(columns.map((column) => column.column_name)).toEqual(['at', 'id']);
  });

  it('uninstalls only when disabled, keeping data; purges only when uninstalled and confirmed', async () => {
    expect((await json(await t.request('/api/v1/plugins/counter/uninstall', { method: 'POST' }))).detail).toBe('counter is enabled: disable counter first');
    expect((await t.request('/api/v1/plugins/counter/disable', { method: 'POST' })).status).toBe(200);
    expect((await json(await t.request('/api/v1/plugins/counter/purge', { method: 'POST', json: { confirm: 'counter' } }))).detail).toMatch(/uninstall counter first/);
    expect((await json(await t.request('/api/v1/plugins/counter/uninstall', { method: 'POST' }))).status).toBe('uninstalled');
    const [kept] = await rows<{ n: number }>(t.core.database.db, sql`select count(*)::int as n from information_schema.tables where table_schema = 'plugin_counter'`);
    expect(kept!.n).toBe(1);
    const unconfirmed = await t.request('/api/v1/plugins/counter/purge', { method: 'POST', json: { confirm: 'yes' } });
    expect(unconfirmed.status).toBe(422);
    expect((await json(unconfirmed)).errors[0].field).toBe('confirm');
    expect((await t.request('/api/v1/plugins/counter/purge', { method: 'POST', json: { confirm: 'counter' } })).status).toBe(204);
    const [gone] = await rows<{ n: number }>(t.core.database.db, sql`select count(*)::int as n from information_schema.schemata where schema_name = 'plugin_counter'`);
    expect(gone!.n).toBe(0);
    expect((await json(await t.request('/api/v1/plugins'))).data[0]).toMatchObject({ id: 'counter', status: 'available' });
    // Installed again from scratch: its migrations run anew.
    expect((await t.request('/api/v1/plugins/counter/enable', { method: 'POST' })).status).toBe(200);
    expect(await json(await t.request('/api/v1/plugins/counter/version'))).toEqual({ version: '1.1.0' });
  });

  it('goes through disable, enable, upgrade, uninstall, purge and enable with requests in flight: never a 5xx, the core unaffected', async () => {
    const statuses = { plugin: new Map<number, number>(), object: new Map<number, number>(), core: new Map<number, number>() };
    const failures: string[] = [];
    let running = true;
    const count = (map: Map<number, number>, status: number) => map.set(status, (map.get(status) ?? 0) + 1);
    const load = async () => {
      while (running) {
        for (const [kind, path] of [['plugin', '/api/v1/plugins/counter/version'], ['object', '/api/v1/records/tally?limit=5'], ['core', '/api/v1/records/company?limit=5']] as const) {
          try {
            const response = await t.request(path);
            await response.arrayBuffer();
            count(statuses[kind], response.status);
          } catch (error) {
            failures.push(`${path}: ${(error as Error).message}`);
          }
        }
      }
    };
    const loads = [load(), load(), load()];
    const step = async (verb: string, body?: unknown) => {
      const response = await t.request(`/api/v1/plugins/counter/${verb}`, { method: 'POST', ...(body ? { json: body } : {}) });
      expect(response.status, `${verb}: ${await response.clone().text()}`).toBeLessThan(300);
      await new Promise((resolve) => setTimeout(resolve, 30)); // let requests land on each state
    };
    try {
      await step('disable');
      await step('enable');
      writeVersion('1.2.0', [
        'CREATE SCHEMA "plugin_counter";\n--> statement-breakpoint\nCREATE TABLE "plugin_counter"."hit" ("id" integer PRIMARY KEY);',
        'ALTER TABLE "plugin_counter"."hit" ADD COLUMN "at" timestamp with time zone;',
        'ALTER TABLE "plugin_counter"."hit" ADD COLUMN "by" text;',
      ]);
      await step('upgrade');
      await step('disable');
      await step('uninstall');
      await step('purge', { confirm: 'counter' });
      await step('enable');
    } finally {
      running = false;
      await Promise.all(loads);
    }
    expect(failures).toEqual([]);
    const total = (map: Map<number, number>) => [...map.values()].reduce((sum, n) => sum + n, 0);
    expect(total(statuses.core)).toBeGreaterThan(20);
    expect([...statuses.core.keys()]).toEqual([200]);
    // Answered by the plugin while it runs, 404 while it does not: nothing in between.
    expect([...statuses.plugin.keys()].every((status) => status === 200 || status === 404)).toBe(true);
    expect(statuses.plugin.get(200)).toBeGreaterThan(0);
    expect([...statuses.object.keys()].every((status) => status === 200 || status === 404)).toBe(true);
    expect(await json(await t.request('/api/v1/plugins/counter/version'))).toEqual({ version: '1.2.0' });
  });
});
