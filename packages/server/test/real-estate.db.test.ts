import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyDistribution } from '@rapport/server';
import { createTestServer, describeDb, importPluginFolder, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const root = path.join(import.meta.dirname, '../../..');
const realEstate = JSON.parse(fs.readFileSync(path.join(root, 'apps/server/distributions/real-estate.distro.json'), 'utf8'));

describeDb('the real-estate distribution, on the pipeline and activities plugins', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ plugins: [await importPluginFolder(path.join(root, 'plugins/pipeline')), await importPluginFolder(path.join(root, 'plugins/activities'))] });
  });
  afterAll(() => t?.close());

  it('turns an empty server into an agency CRM: plugins, a property object, a buyer pipeline, viewings, roles, demo data; the second time changes nothing', async () => {
    const access = await t.core.access.resolve(t.admin);
    const first = await applyDistribution(t.core, access, t.plugins, realEstate, { activate: true });
    expect(first).toMatchObject({ pluginsEnabled: ['activities', 'pipeline'], objectsCreated: ['property'], rolesChanged: ['agent', 'agency_manager'], demoRecords: 8, workspace: true });
    expect(first.fieldsAdded.sort()).toEqual(['activity.property', 'opportunity.buyer', 'opportunity.property', 'person.budget', 'property.seller']);
    expect(first.fieldsChanged.sort()).toEqual(['activity.kind', 'opportunity.stage']);

    // The pipeline's stages are the agency's, in French and English.
    const opportunity = await json(await t.request('/api/v1/metadata/objects/opportunity'));
    const stage = opportunity.fields.find((field: Json) => field.name === 'stage');
    expect(stage.labels).toEqual({ en: 'Buyer stage', fr: 'Étape acquéreur' });
    expect(stage.options.map((option: Json) => option.value)).toEqual(['lead', 'viewing', 'offer', 'preliminary', 'won', 'lost']);
    const deals = (await json(await t.request('/api/v1/records/opportunity?expand=property,buyer&sort=name'))).data;
    expect(deals.map((deal: Json) => [deal.name, deal.stage, deal.property.title, deal.buyer.lastName])).toEqual([
      ['Benali — T3 Croix-Rousse', 'offer', 'T3 lumineux, Croix-Rousse', 'Benali'],
      ['Laurent — T3 Croix-Rousse', 'viewing', 'T3 lumineux, Croix-Rousse', 'Laurent'],
    ]);
    const viewings = (await json(await t.request('/api/v1/records/activity?expand=property'))).data;
    expect(viewings).toEqual([expect.objectContaining({ kind: 'viewing', subject: 'Visite du T3 avec Sophie Laurent' })]);
    // The buyer pipeline's requirements hold: a signed deed needs an amount and a date; viewings rot after a week.
    const unsigned = await t.request(`/api/v1/records/opportunity/${deals[1].id}`, { method: 'PATCH', json: { stage: 'won' } });
    expect(unsigned.status).toBe(422);
    expect((await json(unsigned)).errors.map((error: Json) => error.field)).toEqual(['amount', 'closeDate']);
    const board = await json(await t.request('/api/v1/plugins/pipeline/board'));
    expect(board.rottingDays).toBe(10);
    expect(board.pipelines).toEqual([expect.objectContaining({ key: 'buyers', labels: { en: 'Buyers', fr: 'Acquéreurs' } })]);
    expect(board.pipelines[0].stages.find((stage: Json) => stage.stage === 'viewing')).toMatchObject({ probability: 30, rottingDays: 7, outcome: 'open' });

    const second = await applyDistribution(t.core, access, t.plugins, realEstate, { activate: true });
    expect(second).toEqual({ objectsCreated: [], fieldsAdded: [], fieldsChanged: [], rolesChanged: [], pluginsEnabled: [], demoRecords: 0, workspace: false });
  });

  it('from the command line without a server, refuses before writing anything (its plugins run only in a server)', async () => {
    const fresh = await createTestServer({ plugins: [await importPluginFolder(path.join(root, 'plugins/pipeline')), await importPluginFolder(path.join(root, 'plugins/activities'))] });
    try {
      const access = await fresh.core.access.resolve(fresh.admin);
      const counts = await fresh.rowCounts();
      await expect(applyDistribution(fresh.core, access, fresh.plugins, realEstate, { activate: false })).rejects.toThrow(/start it \(pnpm start\), then apply the distribution beside it/);
      expect(await fresh.rowCounts()).toEqual(counts);
    } finally {
      await fresh.close();
    }
  });

  it('says what is missing when the plugins are not on the server', async () => {
    const bare = await createTestServer();
    try {
      const access = await bare.core.access.resolve(bare.admin);
      await expect(applyDistribution(bare.core, access, undefined, realEstate, { activate: true })).rejects.toThrow(/needs the plugin pipeline/);
      expect((await json(await bare.request('/api/v1/metadata/objects'))).data.map((object: Json) => object.name).sort()).toEqual(['company', 'person']);
    } finally {
      await bare.close();
    }
  });
});
