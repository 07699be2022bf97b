import { sql } from 'drizzle-orm';
import { rows } from '@rapport/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

describeDb('records', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(() => t?.close());

  it('creates, reads, filters, updates and deletes a company', async () => {
    const { records } = t.core;
    const created = await records.create(t.admin, 'company', { name: 'Acme', domain: 'acme.com', employees: 12, annualRevenue: { amountMinor: 1234500, currency: 'EUR' } });
    expect(created.record).toMatchObject({ name: 'Acme', domain: 'acme.com', employees: 12, ownerId: t.admin.userId });
    expect(created.version).toBe(1);
    const person = await records.create(t.admin, 'person', { firstName: 'Éloïse', lastName: 'Dupont', email: 'Eloise.Dupont@Acme.com', company: created.record.id, phone: '06 12 34 56 78' });
    expect(person.record).toMatchObject({ email: 'eloise.dupont@acme.com', phone: '+33612345678', consentStatus: 'unknown', company: created.record.id });

    const list = await records.list(t.admin, 'person', { filter: { field: 'lastName', op: 'eq', value: 'Dupont' }, expand: ['company'] });
    expect(list.data).toHaveLength(1);
    expect(list.data[0]!.company).toMatchObject({ id: created.record.id, name: 'Acme' });

    const hits = await records.search(t.admin, 'eloise');
    expect(hits.data.map((hit) => hit.id)).toContain(person.record.id);

    const updated = await records.update(t.admin, 'company', created.record.id as string, { employees: 13 }, { ifMatch: 1 });
    expect(updated.version).toBe(2);
    await expect(records.update(t.admin, 'company', created.record.id as string, { employees: 14 }, { ifMatch: 1 })).rejects.toMatchObject({ status: 412 });

    const timeline = await records.timeline(t.admin, 'company', created.record.id as string);
    expect(timeline.data.map((entry) => entry.action)).toEqual(['updated', 'created']);
    expect(timeline.data[0]!.changes).toEqual([{ field: 'employees', old: 12, new: 13 }]);
    // A creation's changes are stored without their null `old` (schema/audit.ts) and read back with it.
    expect(timeline.data[1]!.changes).toEqual(expect.arrayContaining([{ field: 'name', old: null, new: 'Acme' }, { field: 'employees', old: null, new: 12 }]));
    const [stored] = await rows<{ changes: unknown[] }>(t.core.database.db, sql`select changes from audit_entry where record_id = ${created.record.id}::uuid and action = 'created'`);
    expect(stored!.changes).toEqual(expect.arrayContaining([{ field: 'name', new: 'Acme' }]));

    await records.delete(t.admin, 'company', created.record.id as string);
    await expect(records.get(t.admin, 'company', created.record.id as string)).rejects.toMatchObject({ status: 404 });
    const restored = await records.restore(t.admin, 'company', created.record.id as string);
    expect(restored.record.name).toBe('Acme');
  });

  it('refuses bad input with per-field problems and writes nothing', async () => {
    await expect(t.core.records.create(t.admin, 'person', { lastName: '', email: 'nope', bogus: 1 })).rejects.toMatchObject({
      status: 422,
      errors: expect.arrayContaining([
        expect.objectContaining({ field: 'bogus', code: 'unknown_field' }),
        expect.objectContaining({ field: 'email' }),
      ]),
    });
    await expect(t.core.records.create(t.admin, 'person', { lastName: 'X', consentStatus: 'granted' })).rejects.toMatchObject({
      status: 422,
      errors: [expect.objectContaining({ field: 'optInAt', code: 'rule_required_when' })],
    });
  });

  it('supports custom objects with custom fields, indexed and unique', async () => {
    await t.core.metadata.createObject(t.admin, {
      name: 'engagement',
      labels: { singular: { en: 'Engagement', fr: 'Mission' }, plural: { en: 'Engagements', fr: 'Missions' } },
      fields: [
        { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
        { name: 'code', type: 'text', labels: { en: 'Code' }, unique: true },
        { name: 'budget', type: 'number', labels: { en: 'Budget' }, indexed: true },
        { name: 'client', type: 'relation', labels: { en: 'Client' }, relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'engagements', labels: { en: 'Engagements' } } } },
        { name: 'startsOn', type: 'date', labels: { en: 'Starts on' } },
        { name: 'endsOn', type: 'date', labels: { en: 'Ends on' } },
      ],
      rules: [{ rule: 'compare', left: 'endsOn', op: 'gte', right: 'startsOn' }],
    });
    const company = await t.core.records.create(t.admin, 'company', { name: 'Globex' });
    const a = await t.core.records.create(t.admin, 'engagement', { title: 'Audit', code: 'E-1', budget: 5000, client: company.record.id });
    await t.core.records.create(t.admin, 'engagement', { title: 'Build', code: 'E-2', budget: 20000 });
    await expect(t.core.records.create(t.admin, 'engagement', { title: 'Dup', code: 'e-1' })).rejects.toMatchObject({ status: 409, errors: [expect.objectContaining({ field: 'code' })] });
    await expect(t.core.records.create(t.admin, 'engagement', { title: 'Bad', startsOn: '2026-02-01', endsOn: '2026-01-01' })).rejects.toMatchObject({ status: 422 });
    const big = await t.core.records.list(t.admin, 'engagement', { filter: { field: 'budget', op: 'gt', value: 10000 } });
    expect(big.data.map((record) => record.title)).toEqual(['Build']);
    const withEngagements = await t.core.records.get(t.admin, 'company', company.record.id as string, { expand: ['engagements'] });
    expect((withEngagements.record.engagements as { id: string }[]).map((record) => record.id)).toEqual([a.record.id]);
    await t.core.metadata.addField(t.admin, 'company', { name: 'tier', type: 'select', labels: { en: 'Tier' }, options: [{ value: 'gold', labels: { en: 'Gold' } }] });
    const tiered = await t.core.records.update(t.admin, 'company', company.record.id as string, { tier: 'gold' });
    expect(tiered.record.tier).toBe('gold');
  });
});
