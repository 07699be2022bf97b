import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, sendBadInput, type TestHost, type TestUser } from '@rapport/testing';
import { DEFAULT_RULES, score } from '../src/scoring';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const root = path.join(import.meta.dirname, '..', '..');

describeDb('the leads plugin', () => {
  let host: TestHost;
  let rep: TestUser;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(root, 'pipeline')), await importPluginFolder(path.join(root, 'leads')), await importPluginFolder(path.join(root, 'activities'))] });
    await host.core.events.start();
    await host.enable('activities');
    await host.enable('pipeline');
    await host.enable('leads');
    rep = await host.user('sales_rep');
  });
  afterAll(() => host?.close());


  it('needs the pipeline plugin: it cannot be disabled under leads', async () => {
    const refused = await host.request('/api/v1/plugins/pipeline/disable', { method: 'POST' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).detail).toMatch(/leads requires pipeline/);
  });

  it('names a lead by first and last name, as its manifest declares', async () => {
    const object = await json(await host.request('/api/v1/metadata/objects/lead'));
    expect(object).toMatchObject({ labelField: 'lastName', titleFields: ['firstName', 'lastName'] });
    await rep.client.records('lead').create({ firstName: 'Inès', lastName: 'Titlelead', source: 'web' });
    const hits = await json(await host.request('/api/v1/search?q=titlelead'));
    expect(hits.data.map((hit: { label: string }) => hit.label)).toEqual(['Inès Titlelead']);
  });

  it('answers garbage to any of its routes with a 4xx problem, never a 5xx', { timeout: 120_000 }, async () => {
    const lead = await rep.client.records('lead').create({ lastName: 'Garbage-In', source: 'web' });
    const report = await sendBadInput(host, 'leads', { params: { id: [lead.id] }, bodies: ['{"company":"x","opportunity":{"name":1}}', '{"createOpportunity":"yes","companyId":"00000000-0000-0000-0000-000000000000"}'] });
    expect(report.routes).toBeGreaterThanOrEqual(1);
    expect(report.wrong).toEqual([]);
  });

  it('scores a lead on every change by the rules, with the reasons, and rescores when it changes', async () => {
    const lead = await rep.client.records('lead').create({ lastName: 'Martin', jobTitle: 'Sales Director', email: 'claire.martin@acme.fr' });
    const scored = await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score !== null && record.score !== undefined);
    expect(scored).toMatchObject({ score: 15, scoreReasons: '+10 Director, +5 Has an email' });
    await rep.client.records('lead').update(lead.id, { source: 'referral' });
    const rescored = await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 30);
    expect(rescored.scoreReasons).toBe('+10 Director, +5 Has an email, +15 Referral');
  });

  it('converts a lead into a person at an existing company (matched by email domain) and an opportunity, in one transaction', async () => {
    const acme = await host.client.records('company').create({ name: 'ACME SAS', domain: 'acme.fr' });
    const lead = await rep.client.records('lead').create({ lastName: 'Durand', firstName: 'Paul', email: 'paul.durand@acme.fr', companyName: 'Acme' });
    const converted = await rep.request(`/api/v1/plugins/leads/leads/${lead.id}/convert`, { method: 'POST', json: { opportunity: { name: 'Acme — first order' } } });
    expect(converted.status, await converted.clone().text()).toBe(201);
    const result = await json(converted);
    expect(result.company).toEqual({ id: acme.id, created: false });
    expect(result.person.created).toBe(true);
    const person = await rep.client.records('person').get(result.person.id);
    expect(person).toMatchObject({ lastName: 'Durand', email: 'paul.durand@acme.fr', company: acme.id });
    expect(await rep.client.records('opportunity').get(result.opportunity.id)).toMatchObject({ name: 'Acme — first order', company: acme.id, stage: 'lead' });
    expect(await rep.client.records('lead').get(lead.id)).toMatchObject({ status: 'converted', convertedPerson: person.id, convertedCompany: acme.id, convertedOpportunity: result.opportunity.id });
    const again = await rep.request(`/api/v1/plugins/leads/leads/${lead.id}/convert`, { method: 'POST', json: {} });
    expect(again.status).toBe(422);
  });

  it('writes nothing when a part of the conversion is refused', async () => {
    const lead = await rep.client.records('lead').create({ lastName: 'Nobody', companyName: 'Brand New Co' });
    const counts = async () => ({
      companies: (await host.client.records('company').list({ limit: 500 })).data.length,
      people: (await host.client.records('person').list({ limit: 500 })).data.length,
      opportunities: (await host.client.records('opportunity').list({ limit: 500 })).data.length,
    });
    const before = await counts();
    const refused = await rep.request(`/api/v1/plugins/leads/leads/${lead.id}/convert`, { method: 'POST', json: { opportunity: { name: 'Bad', amount: { amountMinor: 'lots', currency: 'EUR' } } } });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(await counts()).toEqual(before);
    expect((await rep.client.records('lead').get(lead.id)).status).toBe('new');
    const notJson = await rep.request(`/api/v1/plugins/leads/leads/${lead.id}/convert`, { method: 'POST', json: { opportunity: { name: '' } } });
    expect(notJson.status).toBe(422);
  });

  it('scores by rules as written by hand', () => {
    expect(score({ jobTitle: 'Directeur commercial', phone: '+33612345678', source: 'referral' }, DEFAULT_RULES)).toEqual({ score: 30, reasons: ['+10 Directeur', '+5 Has a phone', '+15 Referral'] });
    expect(score({}, [{ field: 'email', op: 'isSet', points: -20, label: 'Bounced' }])).toEqual({ score: 0, reasons: [] });
    // Activity rules: points per activity of the period, at most `max`; older ones no longer count.
    const now = new Date('2026-06-30T12:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const activities = [{ kind: 'meeting', at: daysAgo(1) }, { kind: 'meeting', at: daysAgo(29) }, { kind: 'meeting', at: daysAgo(31) }, { kind: 'call', at: daysAgo(2) }];
    expect(score({}, DEFAULT_RULES, activities, now)).toEqual({ score: 10, reasons: ['+10 2 × Meeting in 30 days'] });
    expect(score({}, [{ activity: '*', withinDays: 7, points: 3, max: 1, label: 'Touched this week' }], activities, now)).toEqual({ score: 3, reasons: ['+3 Touched this week'] });
    expect(score({}, DEFAULT_RULES, activities, new Date('2026-08-30T12:00:00Z'))).toEqual({ score: 0, reasons: [] });
  });

  it('counts the meetings logged on a lead, rescoring as they are logged, moved, and every night; keeps its last-activity date', async () => {
    const lead = await rep.client.records('lead').create({ lastName: 'Meetings' });
    const other = await rep.client.records('lead').create({ lastName: 'Other' });
    const activities = rep.client.records('activity');
    await activities.create({ subject: 'First meeting', kind: 'meeting', lead: lead.id });
    const second = await activities.create({ subject: 'Second meeting', kind: 'meeting', lead: lead.id });
    const call = await activities.create({ subject: 'A call', kind: 'call', lead: lead.id });
    await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 10);
    expect((await rep.client.records('lead').get(lead.id)).scoreReasons).toBe('+10 2 × Meeting in 30 days');
    // The last activity's date is kept on the lead, by the plugin alone.
    await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.lastActivityAt === call.createdAt);
    const edited = await rep.request(`/api/v1/records/lead/${lead.id}`, { method: 'PATCH', json: { score: 99 } });
    expect(edited.status).toBe(422);
    expect((await json(edited)).errors[0]).toMatchObject({ field: 'score' });
    // Moved to another lead: its points move with it.
    await activities.update(second.id, { lead: other.id });
    await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 5);
    await eventually(() => rep.client.records('lead').get(other.id), (record) => record.score === 5);
    // Rules changed by an admin: every lead is scored again at once, by the nightly job's handler, queued on save.
    const settings = (await json(await host.request('/api/v1/plugins/leads/settings'))).values;
    const rules = settings.rules.map((rule: Json) => ('activity' in rule ? { ...rule, points: 7 } : rule));
    expect((await host.request('/api/v1/plugins/leads/settings', { method: 'PUT', json: { ...settings, rules } })).status).toBe(200);
    await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 7, 20_000);
    expect((await rep.client.records('lead').get(other.id)).score).toBe(7);
    expect((await host.request('/api/v1/plugins/leads/settings', { method: 'PUT', json: settings })).status).toBe(200);
    await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 5, 20_000);
    // The nightly run finds nothing to change then.
    await host.tick('leads', 'rescore');
  });

  it('scores every lead again by rules saved with no activity rule among them (PATCH keeps the other settings)', async () => {
    const before = (await json(await host.request('/api/v1/plugins/leads/settings'))).values;
    const lead = await rep.client.records('lead').create({ lastName: 'Garnier', jobTitle: 'Responsable des achats', source: 'web' });
    await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 0);
    const saved = await host.request('/api/v1/plugins/leads/settings', { method: 'PATCH', json: { rules: [{ field: 'jobTitle', op: 'contains', value: 'achats', points: 20, label: 'Buyer' }] } });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const rescored = await eventually(() => rep.client.records('lead').get(lead.id), (record) => record.score === 20, 20_000);
    expect(rescored.scoreReasons).toBe('+20 Buyer');
    expect((await host.request('/api/v1/plugins/leads/settings', { method: 'PUT', json: before })).status).toBe(200);
  });

  it('refuses rules that cannot be applied, naming the rule and its field, and keeps the saved ones', async () => {
    const before = (await json(await host.request('/api/v1/plugins/leads/settings'))).values;
    for (const [rule, field] of [
      [{ field: 'jobTitle', op: 'contains', value: ' ', points: 5, label: 'Empty' }, 'rules.0.value'],
      [{ activity: 'meeting', withinDays: 0, points: 5, max: 1, label: 'Never' }, 'rules.0.withinDays'],
      [{ field: 'jobTitle', op: 'contains', value: 'x', points: 500, label: 'Too much' }, 'rules.0.points'],
    ] as const) {
      const refused = await host.request('/api/v1/plugins/leads/settings', { method: 'PUT', json: { ...before, rules: [rule] } });
      expect(refused.status, JSON.stringify(rule)).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(refused)).errors.map((error: Json) => error.field)).toContain(field);
    }
    expect((await json(await host.request('/api/v1/plugins/leads/settings'))).values).toEqual(before);
  });

  it('feeds the sales figures’ funnel: leads of the period, their opportunities, those won — as far as the caller sees', async () => {
    const seller = await host.user('sales_rep');
    const leads = seller.client.records('lead');
    const web1 = await leads.create({ lastName: 'Arnaud', source: 'web', companyName: 'Funnel One' });
    const web2 = await leads.create({ lastName: 'Besson', source: 'web', companyName: 'Funnel Two' });
    await leads.create({ lastName: 'Chevalier', source: 'event' });
    const convert = async (id: string, name: string) => json(await seller.request(`/api/v1/plugins/leads/leads/${id}/convert`, { method: 'POST', json: { opportunity: { name } } }));
    const first = await convert(web1.id, 'Funnel One — order');
    await convert(web2.id, 'Funnel Two — order');
    const today = new Date().toISOString().slice(0, 10);
    await seller.client.records('opportunity').update(first.opportunity.id, { stage: 'won', amount: { amountMinor: 100_000, currency: 'EUR' }, closeDate: today });
    // 3 leads, 2 opportunities, 1 won; web: 2 → 2 → 1; event: 1 → 0.
    const figures = await json(await seller.request('/api/v1/plugins/pipeline/kpis'));
    expect(figures.funnel).toMatchObject({ leads: 3, opportunities: 2, won: 1, leadToOpportunity: 0.667, opportunityToWon: 0.5, leadToWon: 0.333 });
    expect(figures.funnel.bySource).toEqual([
      expect.objectContaining({ source: 'web', leads: 2, opportunities: 2, won: 1 }),
      expect.objectContaining({ source: 'event', leads: 1, opportunities: 0, won: 0 }),
    ]);
    // The admin sees everyone's leads: at least these.
    expect((await json(await host.request('/api/v1/plugins/pipeline/kpis'))).funnel.leads).toBeGreaterThan(3);
  });
});
