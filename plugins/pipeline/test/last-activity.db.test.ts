import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost, type TestUser } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const plugins = path.join(import.meta.dirname, '../..');

describeDb('the pipeline: when deals last had an activity', () => {
  let host: TestHost;
  let rep: TestUser;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(plugins, 'pipeline')), await importPluginFolder(path.join(plugins, 'activities'))] });
    await host.enable('pipeline');
    await host.enable('activities');
    rep = await host.user('sales_rep');
  });
  afterAll(() => host?.close());

  const lastActivity = (as: Pick<TestHost, 'request'>, body: unknown) => as.request('/api/v1/plugins/pipeline/last-activity', { method: 'POST', json: body });

  it('reads the activities linked to deals once a workspace links them, as far as the caller may read them', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Busy deal' });
    const quiet = await rep.client.records('opportunity').create({ name: 'Quiet deal' });
    // Activities are not linked to deals until the workspace adds the relation: no date, and it says so.
    expect(await json(await lastActivity(rep, { ids: [deal.id] }))).toEqual({ data: {}, linked: false });

    const added = await host.request('/api/v1/metadata/objects/activity/fields', { method: 'POST', json: { name: 'deal', type: 'relation', labels: { en: 'Deal', fr: 'Affaire' }, relation: { kind: 'manyToOne', target: 'opportunity' } } });
    expect(added.status, await added.clone().text()).toBe(201);
    const first = await rep.client.records('activity').create({ subject: 'Discovery call', kind: 'call', deal: deal.id });
    const second = await rep.client.records('activity').create({ subject: 'Follow-up', kind: 'email', deal: deal.id });
    const answer = await json(await lastActivity(rep, { ids: [deal.id, quiet.id] }));
    expect(answer.linked).toBe(true);
    expect(answer.data).toEqual({ [deal.id]: second.createdAt });
    expect(new Date(second.createdAt as string) >= new Date(first.createdAt as string)).toBe(true);

    // Another rep reads neither the deal nor its activities: nothing comes back for it.
    const other = await host.user('sales_rep');
    expect((await json(await lastActivity(other, { ids: [deal.id] }))).data).toEqual({});
  });

  it('refuses a bad request with a problem naming the field', async () => {
    for (const body of [{}, { ids: ['not-an-id'] }, { ids: [], extra: 1 }]) {
      const refused = await lastActivity(rep, body);
      expect(refused.status, JSON.stringify(body)).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(refused)).errors[0].field).toMatch(/^(ids|ids\.0|body)$/);
    }
  });
});
