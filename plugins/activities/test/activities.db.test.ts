import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost, type TestUser } from '@rapport/testing';
import { reminderDelay } from '../src/reminders';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('the activities plugin', () => {
  let host: TestHost;
  let rep: TestUser;
  let other: TestUser;
  let companyId = '';
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.core.events.start();
    await host.enable('activities');
    rep = await host.user('sales_rep');
    other = await host.user('sales_rep');
    companyId = (await host.client.records('company').create({ name: 'Initech' })).id;
  });
  afterAll(() => host?.close());


  it("reminds the owner of a task due soon, and not of one that was done", async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    await rep.client.records('activity').create({ subject: 'Call Initech back', kind: 'call', dueAt: soon, company: companyId });
    await rep.client.records('activity').create({ subject: 'Already done', dueAt: soon, done: true });
    const notifications = await eventually(
      async () => (await json(await rep.request('/api/v1/notifications'))).data,
      (data: Json[]) => data.length > 0,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const all = (await json(await rep.request('/api/v1/notifications'))).data;
    expect(all.map((notification: Json) => notification.title.en)).toEqual(['Call due soon: Call Initech back']);
    expect(notifications[0].kind).toBe('activities.due');
  });

  it('keeps the last-activity date of the company and person an activity is about, read-only to people', async () => {
    const company = await host.client.records('company').create({ name: 'Quiet Co' });
    const person = await host.client.records('person').create({ lastName: 'Quiet', company: company.id });
    expect((await json(await host.request(`/api/v1/records/company/${company.id}`))).lastActivityAt).toBeNull();
    const call = await host.client.records('activity').create({ subject: 'First call', kind: 'call', company: company.id, person: person.id });
    const stamped = await eventually(async () => json(await host.request(`/api/v1/records/person/${person.id}`)), (record: Json) => Boolean(record.lastActivityAt));
    expect(stamped.lastActivityAt).toBe(call.createdAt);
    expect((await json(await host.request(`/api/v1/records/company/${company.id}`))).lastActivityAt).toBe(call.createdAt);
    // Done later: the date moves to when it was done.
    const done = await host.client.records('activity').update(call.id, { done: true });
    await eventually(async () => (await json(await host.request(`/api/v1/records/company/${company.id}`))).lastActivityAt, (at: string) => at === done.updatedAt);
    // "No activity for 30 days" is a filter on it.
    const idle = await json(await host.request(`/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ or: [{ field: 'lastActivityAt', op: 'isNull', value: true }, { field: 'lastActivityAt', op: 'lt', value: new Date(Date.now() - 30 * 86_400_000).toISOString() }] }))}&limit=500`));
    expect(idle.data.map((record: Json) => record.id)).not.toContain(company.id);
    const edited = await host.request(`/api/v1/records/company/${company.id}`, { method: 'PATCH', json: { lastActivityAt: '2020-01-01T00:00:00.000Z' } });
    expect(edited.status).toBe(422);
  });

  it("adds activities to their company's timeline, only those the reader may read", async () => {
    await other.client.records('activity').create({ subject: 'Private prep', kind: 'note', company: companyId });
    const titles = async (user: TestUser) => (await json(await user.request(`/api/v1/records/company/${companyId}/timeline`))).data.filter((entry: Json) => entry.source === 'activities').map((entry: Json) => entry.title.en);
    expect(await titles(rep)).toEqual(['Call: Call Initech back']);
    expect(await titles(other)).toEqual(['Note: Private prep']);
    expect((await titles(await host.user('sales_manager'))).sort()).toEqual([]);
    const adminTitles = (await json(await host.request(`/api/v1/records/company/${companyId}/timeline`))).data.filter((entry: Json) => entry.source === 'activities').map((entry: Json) => entry.title.en);
    expect(adminTitles.sort()).toEqual(['Call: Call Initech back', 'Note: Private prep']);
  });

  it('works on any object a workspace opts in: a relation from activities to it puts them in its timeline', async () => {
    const en = (text: string) => ({ en: text });
    const object = { name: 'property', labels: { singular: en('Property'), plural: en('Properties') }, labelField: 'address', fields: [{ name: 'address', type: 'text', labels: en('Address'), required: true }] };
    expect((await host.request('/api/v1/metadata/objects', { method: 'POST', json: object })).status).toBe(201);
    const field = { name: 'property', type: 'relation', labels: en('Property'), relation: { kind: 'manyToOne', target: 'property', reverse: { name: 'activities', labels: en('Activities') } } };
    const added = await host.request('/api/v1/metadata/objects/activity/fields', { method: 'POST', json: field });
    expect(added.status, await added.clone().text()).toBe(201);
    const property = await rep.client.records('property').create({ address: '12 rue des Lilas' });
    await rep.client.records('activity').create({ subject: 'Viewing with the Martins', kind: 'meeting', property: property.id });
    // Someone else's activity on it, which the rep may not read.
    await host.client.records('activity').create({ subject: 'Private valuation', kind: 'note', property: property.id, ownerId: other.id });
    const titles = async (user: Pick<TestUser, 'request'>) => (await json(await user.request(`/api/v1/records/property/${property.id}/timeline`))).data.filter((entry: Json) => entry.source === 'activities').map((entry: Json) => entry.title.en).sort();
    expect(await titles(host)).toEqual(['Meeting: Viewing with the Martins', 'Note: Private valuation']);
    expect(await titles(rep)).toEqual(['Meeting: Viewing with the Martins']);
  });

  it('waits until a quarter of an hour before the due time', () => {
    const now = Date.UTC(2026, 0, 1, 9, 0);
    expect(reminderDelay(new Date(now + 60 * 60_000).toISOString(), now)).toBe(45 * 60);
    expect(reminderDelay(new Date(now + 5 * 60_000).toISOString(), now)).toBe(0);
  });
});
