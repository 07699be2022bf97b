import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyDistribution, exportDistribution } from '@rapport/server';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const consultancy = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../../apps/server/distributions/consultancy.distro.json'), 'utf8'));

describeDb('distributions: one file makes a CRM for one trade; applying it twice changes nothing', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer();
  });
  afterAll(() => t?.close());

  const snapshot = async () => ({
    objects: (await json(await t.request('/api/v1/metadata/objects'))).data,
    roles: (await json(await t.request('/api/v1/roles'))).data,
    engagements: (await json(await t.request('/api/v1/records/engagement?limit=100&sort=title'))).data.map(({ createdAt: _c, updatedAt: _u, ...rest }: Json) => rest),
    companies: (await json(await t.request('/api/v1/records/company?limit=100'))).data.length,
    workspace: await json(await t.request('/api/v1/settings/workspace')),
  });

  it('applies the consultancy distribution, then applying it again changes nothing', async () => {
    const access = await t.core.access.resolve(t.admin);
    const first = await applyDistribution(t.core, access, undefined, consultancy, { activate: true });
    expect(first).toMatchObject({ objectsCreated: ['engagement'], rolesChanged: ['consultant', 'partner'], demoRecords: 4, workspace: true });
    expect(first.fieldsAdded).toEqual(['engagement.client', 'person.expertise']);
    const after = await snapshot();
    expect(after.workspace).toEqual({ name: 'Consultancy', locale: 'fr', currency: 'EUR', trashDays: 30 });
    expect(after.engagements.map((record: Json) => record.title)).toEqual(['Audit du système d\u2019information'.replace('\u2019', "'"), 'Stratégie de croissance 2027']);
    const lumen = (await json(await t.request(`/api/v1/records/engagement/${after.engagements[1].id}?expand=client`))).client;
    expect(lumen.name).toBe('Lumen Énergie');
    // The object's rule came with it.
    const backwards = await t.request('/api/v1/records/engagement', { method: 'POST', json: { title: 'Backwards', client: lumen.id, startDate: '2026-05-02', endDate: '2026-05-01' } });
    expect(backwards.status).toBe(422);

    const second = await applyDistribution(t.core, access, undefined, consultancy, { activate: true });
    expect(second).toEqual({ objectsCreated: [], fieldsAdded: [], fieldsChanged: [], rolesChanged: [], pluginsEnabled: [], demoRecords: 0, workspace: false });
    expect(await snapshot()).toEqual(after);
  });

  it('exports the configuration as a distribution that applies to an empty server with the same result', async () => {
    const exported = await exportDistribution(t.core, await t.core.access.resolve(t.admin), undefined, 'copy');
    expect(exported.objects.map((object) => object.name)).toEqual(['engagement']);
    expect(exported.fields.person?.map((field) => field.name)).toEqual(['expertise']);
    expect(exported.roles.map((role) => role.key).sort()).toEqual(['consultant', 'partner']);
    const fresh = await createTestServer();
    try {
      const report = await applyDistribution(fresh.core, await fresh.core.access.resolve(fresh.admin), undefined, exported, { activate: true });
      expect(report.objectsCreated).toEqual(['engagement']);
      const object = (server: TestServer) => server.request('/api/v1/metadata/objects/engagement').then(json).then(({ key: _k, ...rest }: Json) => rest);
      expect(await object(fresh)).toEqual(await object(t));
    } finally {
      await fresh.close();
    }
  });

  it('refuses a malformed distribution naming the field, and changes nothing', async () => {
    const before = await t.rowCounts();
    const access = await t.core.access.resolve(t.admin);
    await expect(applyDistribution(t.core, access, undefined, { name: 'Broken', objects: [{ name: 'Bad Name', labels: {} }] }, { activate: true })).rejects.toMatchObject({
      status: 422,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'objects.0.name' })]),
    });
    await expect(applyDistribution(t.core, access, undefined, { name: 'Needs plugins', plugins: { pipeline: {} } }, { activate: true })).rejects.toMatchObject({ status: 409 });
    expect(await t.rowCounts()).toEqual(before);
  });
});
