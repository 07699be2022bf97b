import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost, type TestUser } from '@rapport/testing';
import { periods, totals } from '../src/stages';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('the pipeline plugin', () => {
  let host: TestHost;
  let rep: TestUser;
  let companyId = '';
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.core.events.start();
    await host.enable('pipeline');
    rep = await host.user('sales_rep');
    companyId = (await host.client.records('company').create({ name: 'Globex' })).id;
  });
  afterAll(() => host?.close());


  it('brings the opportunity object; its stage rules are the API’s validation (amount from Proposal on)', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Globex pilot', company: companyId });
    expect(deal.stage).toBe('lead');
    const refused = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { stage: 'proposal' } });
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors).toEqual([expect.objectContaining({ field: 'amount', message: 'is required from the Proposal stage on' })]);
    const moved = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { stage: 'proposal', amount: { amountMinor: 1_200_000, currency: 'EUR' } } });
    expect(moved.status).toBe(200);
    const lost = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { stage: 'lost' } });
    expect((await json(lost)).errors[0]).toMatchObject({ field: 'lostReason' });
  });

  it('keeps each deal’s stage history, from its events, with the time spent in each stage', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Globex renewal', amount: { amountMinor: 500_000, currency: 'EUR' } });
    // Moves in quick succession, before any event is delivered: each is in the history (events carry the stage they moved to).
    await rep.client.records('opportunity').update(deal.id, { stage: 'qualified' });
    await rep.client.records('opportunity').update(deal.id, { stage: 'proposal' });
    await rep.client.records('opportunity').update(deal.id, { name: 'Globex renewal 2027' }); // no move
    const history = await eventually(
      async () => (await json(await rep.request(`/api/v1/plugins/pipeline/opportunities/${deal.id}/history`))).data,
      (data: Json[]) => data.length >= 3,
    );
    expect(history.map((period: Json) => period.stage)).toEqual(['lead', 'qualified', 'proposal']);
    expect(history.at(-1).to).toBeNull();
    // Someone who cannot read the deal cannot read its history either.
    const other = await host.user('sales_rep');
    expect((await other.request(`/api/v1/plugins/pipeline/opportunities/${deal.id}/history`)).status).toBe(404);
  });

  it('forgets the history of a deal erased after its time in the trash', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Short-lived' });
    const count = async () => {
      const result = (await host.core.database.db.execute(sql`select count(*)::int as n from plugin_pipeline.stage_change where opportunity_id = ${deal.id}::uuid`)) as unknown as { n: number }[] | { rows: { n: number }[] };
      return Number((Array.isArray(result) ? result : result.rows)[0]!.n);
    };
    await eventually(count, (n) => n === 1);
    await rep.client.records('opportunity').delete(deal.id);
    await host.core.database.db.execute(sql`update custom_record set deleted_at = now() - interval '31 days' where id = ${deal.id}::uuid`);
    expect((await host.core.purgeTrash()).erased).toEqual([expect.objectContaining({ object: 'opportunity', count: 1 })]);
    await eventually(count, (n) => n === 0);
  });

  it('adds sample deals to a pipeline that is empty for the caller, as the caller', async () => {
    const admin = await host.request('/api/v1/plugins/pipeline/sample', { method: 'POST' });
    expect(admin.status).toBe(422); // the admin sees the rep's deals
    expect((await json(admin)).errors[0]).toMatchObject({ field: 'opportunity', code: 'not_empty' });
    // A manager with no team sees none of them: their sample deals are theirs.
    const manager = await host.user('sales_manager');
    const created = await manager.request('/api/v1/plugins/pipeline/sample', { method: 'POST' });
    expect(created.status).toBe(201);
    const mine = (await manager.client.records('opportunity').list({ limit: 50 })).data;
    expect(mine.length).toBe((await json(created)).created);
    expect(mine.every((deal) => deal.ownerId === manager.id)).toBe(true);
    expect((await manager.request('/api/v1/plugins/pipeline/sample', { method: 'POST' })).status).toBe(422);
  });

  it('gives sales figures over the deals the caller may see, and refuses a bad period', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const won = { stage: 'won', amount: { amountMinor: 900_000, currency: 'EUR' }, closeDate: today };
    await rep.client.records('opportunity').create({ name: 'Rep win', ...won });
    await host.client.records('opportunity').create({ name: 'Admin win', ...won, amount: { amountMinor: 300_000, currency: 'EUR' } });
    await host.client.records('opportunity').create({ name: 'Admin loss', stage: 'lost', lostReason: 'Budget', closeDate: today });
    const mine = await json(await rep.request('/api/v1/plugins/pipeline/kpis'));
    expect(mine).toMatchObject({ currency: 'EUR', won: 1, lost: 0, winRate: 1, averageDealSize: 900_000 });
    const all = await json(await host.request('/api/v1/plugins/pipeline/kpis'));
    expect(all).toMatchObject({ won: 2, lost: 1, winRate: 0.667, averageDealSize: 600_000 });
    expect(all.open).toBeGreaterThan(mine.open - 1);
    // Per owner: the rep sees only themself; the admin sees both owners.
    expect(mine.byOwner.map((row: Json) => row.ownerId)).toEqual([rep.id]);
    expect(all.byOwner.map((row: Json) => row.ownerId)).toEqual(expect.arrayContaining([rep.id, host.admin.userId]));
    for (const query of ['from=yesterday', 'currency=euro', 'from=2026-02-01&to=2026-01-01', 'colour=red']) {
      const refused = await host.request(`/api/v1/plugins/pipeline/kpis?${query}`);
      expect(refused.status, query).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('computes time in stage and totals per currency', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    expect(periods([{ toStage: 'lead', at: at(1) }, { toStage: 'won', at: at(11) }], at(12))).toEqual([
      { stage: 'lead', from: at(1).toISOString(), to: at(11).toISOString(), days: 10 },
      { stage: 'won', from: at(11).toISOString(), to: null, days: 1 },
    ]);
    expect(totals([{ amount: { amountMinor: 100, currency: 'EUR' } }, { amount: null }, { amount: { amountMinor: 50, currency: 'EUR' } }, { amount: { amountMinor: 7, currency: 'USD' } }])).toEqual({ EUR: 150, USD: 7 });
  });
});
