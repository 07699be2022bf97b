import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost, type TestUser } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const plugins = path.join(import.meta.dirname, '../..');

describeDb('the pipeline: activities on deals and when deals last had one', () => {
  let host: TestHost;
  let rep: TestUser;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(plugins, 'pipeline')), await importPluginFolder(path.join(plugins, 'activities'))] });
    await host.core.events.start();
    await host.enable('activities');
    await host.enable('pipeline');
    rep = await host.user('sales_rep');
  });
  afterAll(() => host?.close());

  it('needs the activities plugin: enabled after it, and it cannot be disabled under the pipeline', async () => {
    const refused = await host.request('/api/v1/plugins/activities/disable', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).detail).toMatch(/pipeline requires activities/);
  });

  it('links activities to deals (a field it brings) and keeps the date of the last one on the deal, moving forward only', async () => {
    const activity = await json(await host.request('/api/v1/metadata/objects/activity'));
    expect(activity.fields.find((field: Json) => field.name === 'opportunity')).toMatchObject({ type: 'relation', relation: { kind: 'manyToOne', target: 'opportunity' } });
    const opportunity = await json(await host.request('/api/v1/metadata/objects/opportunity'));
    expect(opportunity.fields.find((field: Json) => field.name === 'lastActivityAt')).toMatchObject({ type: 'datetime', readOnly: true });

    const deal = await rep.client.records('opportunity').create({ name: 'Busy deal' });
    const quiet = await rep.client.records('opportunity').create({ name: 'Quiet deal' });
    const activities = rep.client.records('activity');
    await activities.create({ subject: 'Discovery call', kind: 'call', opportunity: deal.id });
    const second = await activities.create({ subject: 'Follow-up', kind: 'email', opportunity: deal.id });
    await eventually(() => rep.client.records('opportunity').get(deal.id), (record) => record.lastActivityAt === second.createdAt);
    expect((await rep.client.records('opportunity').get(quiet.id)).lastActivityAt ?? null).toBeNull();

    // A task planned on the quiet deal is not an activity until it is done.
    const task = await activities.create({ subject: 'Send the proposal', kind: 'task', dueAt: new Date(Date.now() + 86_400_000).toISOString() });
    await activities.update(task.id, { opportunity: quiet.id });
    const moved = await eventually(() => rep.client.records('opportunity').get(quiet.id), (record) => Boolean(record.lastActivityAt));
    const done = await activities.update(task.id, { done: true });
    await eventually(() => rep.client.records('opportunity').get(quiet.id), (record) => record.lastActivityAt === done.updatedAt);
    expect(new Date(done.updatedAt as string) >= new Date(moved.lastActivityAt as string)).toBe(true);

    // The deal's activities, as its page lists them.
    const listed = await json(await rep.request(`/api/v1/records/activity?filter=${encodeURIComponent(JSON.stringify({ field: 'opportunity', op: 'eq', value: deal.id }))}`));
    expect(listed.data.map((entry: Json) => entry.subject).sort()).toEqual(['Discovery call', 'Follow-up']);
  });

  it('keeps the date to itself: nobody else may write it', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Hands off' });
    const refused = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { lastActivityAt: '2020-01-01T00:00:00.000Z' } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(refused)).errors[0].field).toBe('lastActivityAt');
    const admin = await host.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { lastActivityAt: '2020-01-01T00:00:00.000Z' } });
    expect(admin.status).toBe(422);
  });
});
