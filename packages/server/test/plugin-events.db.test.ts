import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer, type PluginEvent } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, eventually, type TestServer } from '@rapport/testing';

const seen: PluginEvent[] = [];
const manifest = defineManifest({
  id: 'watcher',
  version: '1.0.0',
  engines: { rapport: '^1.0.0' },
  displayName: { en: 'Watcher' },
  events: ['record.*'],
  permissions: { objects: { person: { read: 'all' } } },
});
const watcher: PluginModule = {
  manifest,
  load: async () =>
    defineServer(manifest, (ctx) => {
      ctx.events.on('record.*', async (event) => {
        seen.push(event);
      });
    }),
};

describeDb('record events as plugins receive them', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ plugins: [watcher] });
    await t.core.events.start();
    expect((await t.request('/api/v1/plugins/watcher/enable', { method: 'POST' })).status).toBe(200);
  });
  afterAll(() => t?.close());

  it('carry the changed fields with their old and new values; nothing of objects the plugin cannot read', async () => {
    const person = (await (await t.request('/api/v1/records/person', { method: 'POST', json: { firstName: 'Ada', lastName: 'Byron' } })).json()) as { id: string };
    await t.request(`/api/v1/records/person/${person.id}`, { method: 'PATCH', json: { lastName: 'Lovelace', jobTitle: 'Countess' } });
    await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Unseen Co' } });
    const updated = await eventually(async () => seen.find((event) => event.type === 'record.updated' && event.recordId === person.id), Boolean);
    expect(updated!.payload.changes).toEqual(expect.arrayContaining(['lastName', 'jobTitle']));
    expect(updated!.payload.values).toEqual({ lastName: { old: 'Byron', new: 'Lovelace' }, jobTitle: { old: null, new: 'Countess' } });
    const created = seen.find((event) => event.type === 'record.created' && event.recordId === person.id)!;
    expect(created.payload.values).toMatchObject({ firstName: { old: null, new: 'Ada' }, lastName: { old: null, new: 'Byron' } });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen.some((event) => event.object === 'company')).toBe(false);
  });
});
