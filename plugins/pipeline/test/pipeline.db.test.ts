import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, sendBadInput, type TestHost, type TestUser } from '@rapport/testing';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer, type PluginEvent } from '@rapport/sdk/server';
import { totalIn } from '../src/exchange-rates';
import { periods } from '../src/stages';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

/** Another plugin, as an automation would be: it hears deals changing stage, as far as its identity may read them. */
const heard: PluginEvent[] = [];
const automationsManifest = defineManifest({ id: 'automations', version: '1.0.0', displayName: { en: 'Automations' }, engines: { rapport: '^1.0.0' }, requires: { pipeline: '^0.3.0' }, events: ['pipeline.stage_changed'], permissions: { objects: { opportunity: { read: 'all' } } } });
const automations = {
  manifest: automationsManifest,
  load: async () =>
    defineServer(automationsManifest, (ctx) => {
      ctx.events.on('pipeline.stage_changed', async (event) => {
        heard.push(event);
      });
    }),
};

/** And one whose identity may not read deals: it hears none of them. */
const heardBlind: PluginEvent[] = [];
const blindManifest = defineManifest({ id: 'blind', version: '1.0.0', displayName: { en: 'Blind' }, engines: { rapport: '^1.0.0' }, events: ['pipeline.stage_changed'] });
const blind = { manifest: blindManifest, load: async () => defineServer(blindManifest, (ctx) => ctx.events.on('pipeline.stage_changed', async (event) => void heardBlind.push(event))) };

describeDb('the pipeline plugin', () => {
  let host: TestHost;
  let rep: TestUser;
  let companyId = '';
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..')), await importPluginFolder(path.join(import.meta.dirname, '../../activities')), automations, blind] });
    await host.core.events.start();
    await host.enable('activities');
    await host.enable('pipeline');
    await host.enable('automations');
    await host.enable('blind');
    rep = await host.user('sales_rep');
    companyId = (await host.client.records('company').create({ name: 'Globex' })).id;
  });
  afterAll(() => host?.close());


  it('brings the opportunity object; what a stage requires is the API’s validation (amount from Proposal on)', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Globex pilot', company: companyId });
    expect(deal.stage).toBe('lead');
    const refused = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { stage: 'proposal' } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await json(refused)).errors).toEqual([expect.objectContaining({ field: 'amount', code: 'required', message: 'is required in the stage "proposal"' })]);
    const moved = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { stage: 'proposal', amount: { amountMinor: 1_200_000, currency: 'EUR' } } });
    expect(moved.status).toBe(200);
    const lost = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { stage: 'lost' } });
    expect((await json(lost)).errors[0]).toMatchObject({ field: 'lostReason' });
  });

  it('keeps the people on a deal with their role; the person lists their deals', async () => {
    const buyer = await rep.client.records('person').create({ lastName: 'Decides', company: companyId });
    const user = await rep.client.records('person').create({ lastName: 'Uses', company: companyId });
    const deal = await rep.client.records('opportunity').create({ name: 'Globex licences', company: companyId, contacts: [{ id: buyer.id, role: 'decision_maker' }, user.id] });
    const read = await json(await rep.request(`/api/v1/records/opportunity/${deal.id}?expand=contacts`));
    expect(read.contacts).toEqual(expect.arrayContaining([expect.objectContaining({ id: buyer.id, role: 'decision_maker' }), expect.objectContaining({ id: user.id })]));
    expect(read.contacts.find((link: Json) => link.id === buyer.id).record.lastName).toBe('Decides');
    expect((await json(await rep.request(`/api/v1/records/person/${buyer.id}`))).opportunities.map((link: Json) => link.id)).toEqual([deal.id]);
    const refused = await rep.request(`/api/v1/records/opportunity/${deal.id}`, { method: 'PATCH', json: { contacts: [{ id: buyer.id, role: 'boss' }] } });
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors[0].field).toMatch(/^contacts\.0\.role$/);
    expect((await json(await rep.request(`/api/v1/records/opportunity/${deal.id}`))).contacts).toHaveLength(2);
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

  it('tells other plugins each stage a deal enters (pipeline.stage_changed), as their identity may read it', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Heard deal', amount: { amountMinor: 100_000, currency: 'EUR' } });
    await eventually(async () => heard.filter((event) => event.recordId === deal.id).length, (count) => count === 1);
    await rep.client.records('opportunity').update(deal.id, { stage: 'qualified' });
    const events = await eventually(async () => heard.filter((event) => event.recordId === deal.id), (found) => found.length === 2);
    expect(events.map((event) => [event.type, event.object, event.payload.from, event.payload.to])).toEqual([
      ['pipeline.stage_changed', 'opportunity', null, 'lead'],
      ['pipeline.stage_changed', 'opportunity', 'lead', 'qualified'],
    ]);
    expect(events[1]!.payload).toMatchObject({ opportunityId: deal.id, actorId: expect.any(String) });
    expect(heardBlind).toEqual([]);
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

  it('runs several pipelines that admins edit at run time: stages, probabilities, requirements, rates', async () => {
    const settings = async (as: { request: TestHost['request'] }, body: unknown) => as.request('/api/v1/plugins/pipeline/settings', { method: 'PUT', json: body });
    const current = (await json(await host.request('/api/v1/plugins/pipeline/settings'))).values;
    expect(current.pipelines.map((pipeline: Json) => pipeline.key)).toEqual(['sales']);
    const renewals = {
      key: 'renewals',
      labels: { en: 'Renewals', fr: 'Renouvellements' },
      stages: [
        { stage: 'qualified', probability: 60, rottingDays: 7 },
        { stage: 'negotiation', probability: 85, requires: ['company', 'amount'] },
        { stage: 'won', probability: 100, outcome: 'won' },
        { stage: 'lost', probability: 0, outcome: 'lost' },
      ],
    };
    // Bad pipelines are refused, naming the place and the rule; nothing is saved.
    const bad = [
      [{ ...renewals, stages: renewals.stages.filter((stage) => stage.outcome !== 'won') }, 'pipelines.1.stages', /needs a won stage/],
      [{ ...renewals, key: 'sales' }, 'pipelines.1.key', /used by another pipeline/],
      [{ ...renewals, stages: [...renewals.stages, renewals.stages[0]] }, 'pipelines.1.stages.4.stage', /twice/],
      [{ ...renewals, stages: [{ ...renewals.stages[0], probability: 120 }, ...renewals.stages.slice(1)] }, 'pipelines.1.stages.0.probability', /100/],
      [{ ...renewals, key: 'Renewals!' }, 'pipelines.1.key', /lower case/],
    ] as const;
    for (const [pipeline, field, message] of bad) {
      const refused = await settings(host, { ...current, pipelines: [...current.pipelines, pipeline] });
      expect(refused.status, field).toBe(422);
      expect((await json(refused)).errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    }
    const badRate = await settings(host, { ...current, exchangeRates: [{ from: 'USD', to: 'USD', rate: 1, date: '2026-01-01' }] });
    expect((await json(badRate)).errors[0]).toMatchObject({ field: 'exchangeRates.0.to' });
    // Only admins of plugins change them.
    expect((await settings(rep, { ...current, pipelines: [...current.pipelines, renewals] })).status).toBe(403);
    const saved = await settings(host, { ...current, pipelines: [...current.pipelines, renewals], exchangeRates: [{ from: 'USD', to: 'EUR', rate: 0.9, date: '2020-01-01' }] });
    expect(saved.status).toBe(200);

    // The board hears of it at once: the pipelines with their defaults filled in.
    const board = await json(await rep.request('/api/v1/plugins/pipeline/board'));
    expect(board.pipelines[1]).toMatchObject({ key: 'renewals', stages: [{ stage: 'qualified', outcome: 'open', rottingDays: 7, requires: [] }, { stage: 'negotiation', requires: ['company', 'amount'] }, {}, {}] });

    // A deal's stage must be one of its pipeline's, and the fields its stage requires be filled.
    const deals = rep.client.records('opportunity');
    const notInPipeline = await rep.request('/api/v1/records/opportunity', { method: 'POST', json: { name: 'Renewal 1', pipeline: 'renewals', stage: 'lead' } });
    expect(notInPipeline.status).toBe(422);
    expect((await json(notInPipeline)).errors[0]).toMatchObject({ field: 'stage', code: 'not_in_pipeline', message: 'must be one of qualified, negotiation, won, lost' });
    const unknown = await rep.request('/api/v1/records/opportunity', { method: 'POST', json: { name: 'Renewal 1', pipeline: 'nope', stage: 'qualified' } });
    expect((await json(unknown)).errors[0]).toMatchObject({ field: 'pipeline', code: 'unknown_pipeline' });
    const renewal = await deals.create({ name: 'Globex renewal 2028', pipeline: 'renewals', stage: 'qualified', amount: { amountMinor: 1_000_000, currency: 'USD' } });
    const needsCompany = await rep.request(`/api/v1/records/opportunity/${renewal.id}`, { method: 'PATCH', json: { stage: 'negotiation' } });
    expect((await json(needsCompany)).errors).toEqual([expect.objectContaining({ field: 'company', code: 'required' })]);
    // In this pipeline, negotiation does not ask for a close date (the sales pipeline's does).
    expect((await rep.request(`/api/v1/records/opportunity/${renewal.id}`, { method: 'PATCH', json: { stage: 'negotiation', company: companyId } })).status).toBe(200);
    // Emptying a field the deal's stage requires is refused too; other edits of a deal are not checked.
    expect((await rep.request(`/api/v1/records/opportunity/${renewal.id}`, { method: 'PATCH', json: { company: null } })).status).toBe(422);
    expect((await rep.request(`/api/v1/records/opportunity/${renewal.id}`, { method: 'PATCH', json: { name: 'Globex renewal 2028 (3 years)' } })).status).toBe(200);

    // Figures per pipeline, in the report's currency at the admin's rate: 10,000 $ at 0.9 → 9,000 € × 85 %.
    const figures = await json(await rep.request('/api/v1/plugins/pipeline/kpis?pipeline=renewals&currency=EUR'));
    expect(figures).toMatchObject({ open: 1, pipelineValue: 900_000, weightedPipeline: 765_000, otherCurrencies: 0 });
    expect(figures.bySource).toEqual([expect.objectContaining({ source: null, open: 1 })]);
    const unknownPipeline = await rep.request('/api/v1/plugins/pipeline/kpis?pipeline=nope');
    expect(unknownPipeline.status).toBe(422);
    expect((await json(unknownPipeline)).errors[0]).toMatchObject({ field: 'pipeline' });

    // Put back as it was for the other tests.
    expect((await settings(host, current)).status).toBe(200);
  });

  it('changes some settings with PATCH and keeps the others; a bad value changes nothing', async () => {
    const before = (await json(await host.request('/api/v1/plugins/pipeline/settings'))).values;
    const rate = { from: 'CHF', to: 'EUR', rate: 1.05, date: '2026-01-01' };
    const patched = await host.request('/api/v1/plugins/pipeline/settings', { method: 'PATCH', json: { exchangeRates: [rate] } });
    expect(patched.status, await patched.clone().text()).toBe(200);
    const after = (await json(await host.request('/api/v1/plugins/pipeline/settings'))).values;
    expect(after).toEqual({ ...before, exchangeRates: [rate] });
    const refused = await host.request('/api/v1/plugins/pipeline/settings', { method: 'PATCH', json: { rottingDays: 0 } });
    expect(refused.status).toBe(422);
    expect((await json(refused)).errors[0].field).toBe('rottingDays');
    expect((await json(await host.request('/api/v1/plugins/pipeline/settings'))).values).toEqual(after);
    // Admins of plugins only.
    expect((await rep.request('/api/v1/plugins/pipeline/settings', { method: 'PATCH', json: { rottingDays: 3 } })).status).toBe(403);
    expect((await host.request('/api/v1/plugins/pipeline/settings', { method: 'PUT', json: before })).status).toBe(200);
  });

  it('answers garbage to any of its routes with a 4xx problem, never a 5xx', { timeout: 120_000 }, async () => {
    const [deal] = (await json(await host.request('/api/v1/records/opportunity?limit=1'))).data;
    const report = await sendBadInput(host, 'pipeline', { params: { id: [deal.id] }, queries: ['?from=2026-01-01&to=2025-01-01', '?from=2026-02-30&to=x&pipeline=nothing&owner=%00', '?period=zz&currency=XXX'] });
    expect(report.routes).toBeGreaterThanOrEqual(4);
    expect(report.wrong).toEqual([]);
  });

  it('computes time in stage, and a column’s total in one currency (apart, what has no rate)', () => {
    const at = (day: number) => new Date(Date.UTC(2026, 0, day));
    expect(periods([{ toStage: 'lead', at: at(1) }, { toStage: 'won', at: at(11) }], at(12))).toEqual([
      { stage: 'lead', from: at(1).toISOString(), to: at(11).toISOString(), days: 10 },
      { stage: 'won', from: at(11).toISOString(), to: null, days: 1 },
    ]);
    const deals = [{ amount: { amountMinor: 100, currency: 'EUR' } }, { amount: null }, { amount: { amountMinor: 50, currency: 'EUR' } }, { amount: { amountMinor: 7, currency: 'USD' } }, { amount: { amountMinor: 1_000, currency: 'GBP' }, closeDate: '2026-02-01' }];
    expect(totalIn([], deals, 'EUR')).toEqual({ EUR: 150, USD: 7, GBP: 1_000 });
    // 10.00 £ at 1.15 → 11.50 €; the rate of 2026-03 is not in force yet on the deal's close date.
    expect(totalIn([{ from: 'GBP', to: 'EUR', rate: 1.15, date: '2026-01-01' }, { from: 'GBP', to: 'EUR', rate: 2, date: '2026-03-01' }], deals, 'EUR')).toEqual({ EUR: 1_300, USD: 7 });
  });

  it('disabled, its routes, object and shell entries go and its data stays; enabled again, all is back', async () => {
    const deal = await rep.client.records('opportunity').create({ name: 'Kept while disabled' });
    const extensions = async () => (await json(await host.request('/api/v1/ui/extensions'))).plugins.map((plugin: Json) => plugin.id);
    expect(await extensions()).toContain('pipeline');
    // What requires it goes first.
    expect((await host.request('/api/v1/plugins/pipeline/disable', { method: 'POST' })).status).toBe(409);
    expect((await host.request('/api/v1/plugins/automations/disable', { method: 'POST' })).status).toBe(200);
    expect((await host.request('/api/v1/plugins/pipeline/disable', { method: 'POST' })).status).toBe(200);
    expect(await extensions()).not.toContain('pipeline');
    expect((await host.request('/api/v1/plugins/pipeline/board')).status).toBe(404);
    expect((await host.request('/api/v1/plugins/pipeline/kpis')).status).toBe(404);
    expect((await host.request(`/api/v1/records/opportunity/${deal.id}`)).status).toBe(404);
    expect((await host.request('/api/v1/plugins/pipeline/enable', { method: 'POST' })).status).toBe(200);
    expect(await extensions()).toContain('pipeline');
    expect((await json(await host.request(`/api/v1/records/opportunity/${deal.id}`))).name).toBe('Kept while disabled');
    expect((await host.request('/api/v1/plugins/pipeline/board')).status).toBe(200);
  });
});
