import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, sendBadInput, type TestHost } from '@rapport/testing';
import manifest from '../src/manifest';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

// From its sources: the package itself exports the built JavaScript (`pnpm build`), as published.
const visits = { manifest, load: async () => (await import('../src/server')).default };

describeDb('the example visits plugin', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [visits] });
    await host.enable('example-visits');
  });
  afterAll(() => host?.close());

  it('logs visits on people and lists the recent ones the caller may read, with how many went well', async () => {
    const rep = await host.user('sales_rep');
    const person = await rep.client.records('person').create({ firstName: 'Ada', lastName: 'Field' });
    const today = new Date().toISOString().slice(0, 10);
    await rep.client.records('visit').create({ title: 'Showroom tour', person: person.id, visitedOn: today, outcome: 'positive' });
    await rep.client.records('visit').create({ title: 'Old visit', person: person.id, visitedOn: '2020-01-01', outcome: 'negative' });
    const recent = await json(await rep.request('/api/v1/plugins/example-visits/recent'));
    expect(recent).toMatchObject({ days: 30, positive: 1 });
    expect(recent.visits.map((visit: Json) => [visit.title, visit.person.lastName])).toEqual([['Showroom tour', 'Field']]);
    // Another rep reads none of them.
    const other = await host.user('sales_rep');
    expect((await json(await other.request('/api/v1/plugins/example-visits/recent'))).visits).toEqual([]);
  });

  it('refuses a bad period with a problem naming the parameter, and a visit with no date', async () => {
    const refused = await host.request('/api/v1/plugins/example-visits/recent?days=0');
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(refused)).errors[0].field).toBe('days');
    const undated = await host.request('/api/v1/records/visit', { method: 'POST', json: { title: 'When?' } });
    expect(undated.status).toBe(422);
    expect((await json(undated)).errors[0].field).toBe('visitedOn');
  });

  it('answers garbage to its route with a 4xx problem, never a 5xx', async () => {
    const report = await sendBadInput(host, 'example-visits', { queries: ['?days=0', '?days=100000', '?days=1.5', '?days=%00'] });
    expect(report.routes).toBe(1);
    expect(report.wrong).toEqual([]);
  });
});
