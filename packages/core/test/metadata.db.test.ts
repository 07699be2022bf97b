import { afterAll, beforeAll, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';
import { metadataOverride } from '../src/schema/metadata';

const label = (en: string, fr?: string) => ({ en, ...(fr ? { fr } : {}) });

describeDb('metadata: custom objects and fields at run time', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
  });
  afterAll(() => t?.close());

  it('creates an object with every field type and uses it like any other', async () => {
    const object = await t.core.metadata.createObject(t.admin, {
      name: 'deal',
      labels: { singular: label('Deal', 'Affaire'), plural: label('Deals', 'Affaires') },
      icon: 'handshake',
      fields: [
        { name: 'title', type: 'text', labels: label('Title', 'Titre'), required: true },
        { name: 'notes', type: 'longText', labels: label('Notes') },
        { name: 'amount', type: 'currency', labels: label('Amount', 'Montant'), currencies: ['EUR', 'USD'] },
        { name: 'probability', type: 'number', labels: label('Probability'), rules: [{ rule: 'min', value: 0 }, { rule: 'max', value: 100 }] },
        { name: 'won', type: 'boolean', labels: label('Won') },
        { name: 'closeDate', type: 'date', labels: label('Close date') },
        { name: 'nextCall', type: 'datetime', labels: label('Next call') },
        { name: 'contactEmail', type: 'email', labels: label('Email'), personalData: true },
        { name: 'contactPhone', type: 'phone', labels: label('Phone'), defaultCountry: 'GB' },
        { name: 'website', type: 'url', labels: label('Website') },
        { name: 'stage', type: 'select', labels: label('Stage'), default: 'lead', options: [{ value: 'lead', labels: label('Lead') }, { value: 'won', labels: label('Won', 'Gagné') }] },
        { name: 'tags', type: 'multiSelect', labels: label('Tags'), options: [{ value: 'hot', labels: label('Hot') }, { value: 'vip', labels: label('VIP') }] },
        { name: 'rating', type: 'rating', labels: label('Rating'), max: 3 },
        { name: 'site', type: 'address', labels: label('Site') },
        { name: 'extra', type: 'json', labels: label('Extra') },
        { name: 'account', type: 'relation', labels: label('Account'), relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'deals', labels: label('Deals') } } },
        {
          name: 'contacts',
          type: 'relation',
          labels: label('Contacts'),
          relation: { kind: 'manyToMany', target: 'person', reverse: { name: 'deals', labels: label('Deals') }, attributes: [{ name: 'role', type: 'select', labels: label('Role'), options: [{ value: 'decider', labels: label('Decider') }, { value: 'user', labels: label('User') }] }] },
        },
      ],
      rules: [{ rule: 'compare', left: 'closeDate', op: 'gte', right: 'createdAt', message: 'cannot be before the deal was created' }],
    });
    expect(object.fields.map((field) => field.name)).toContain('contacts');

    const account = await t.core.records.create(t.admin, 'company', { name: 'Umbrella' });
    const alice = await t.core.records.create(t.admin, 'person', { lastName: 'Alice' });
    const bob = await t.core.records.create(t.admin, 'person', { lastName: 'Bob' });
    const deal = await t.core.records.create(t.admin, 'deal', {
      title: 'Big one',
      amount: { amountMinor: 1_500_000, currency: 'EUR' },
      probability: 60,
      closeDate: '2099-01-31',
      nextCall: '2099-01-15T09:30:00+01:00',
      contactEmail: 'Buyer@Umbrella.com',
      contactPhone: '020 7946 0958',
      tags: ['hot', 'vip', 'hot'],
      rating: 3,
      site: { city: 'Lyon', country: 'FR' },
      extra: { source: 'fair', booth: 12 },
      account: account.record.id,
      contacts: [{ id: alice.record.id, role: 'decider' }, bob.record.id],
    });
    expect(deal.record).toMatchObject({
      stage: 'lead',
      contactEmail: 'buyer@umbrella.com',
      contactPhone: '+442079460958',
      nextCall: '2099-01-15T08:30:00.000Z',
      tags: ['hot', 'vip'],
      contacts: [{ id: alice.record.id, role: 'decider' }, { id: bob.record.id }],
    });

    const expanded = await t.core.records.get(t.admin, 'deal', deal.record.id as string, { expand: ['contacts', 'account'] });
    expect((expanded.record.contacts as { record: { lastName: string } }[]).map((link) => link.record.lastName)).toEqual(['Alice', 'Bob']);
    expect((expanded.record.account as { name: string }).name).toBe('Umbrella');
    const aliceDeals = await t.core.records.get(t.admin, 'person', alice.record.id as string, { expand: ['deals'] });
    expect((aliceDeals.record.deals as { id: string; role: string }[])[0]).toMatchObject({ id: deal.record.id, role: 'decider' });

    for (const [filter, expected] of [
      [{ field: 'amount', op: 'gte', value: 1_000_000 }, 1],
      [{ field: 'amount.currency', op: 'eq', value: 'USD' }, 0],
      [{ field: 'tags', op: 'contains', value: 'vip' }, 1],
      [{ field: 'site.city', op: 'eq', value: 'Lyon' }, 1],
      [{ field: 'contacts', op: 'contains', value: bob.record.id }, 1],
      [{ field: 'nextCall', op: 'lt', value: '2099-01-15T09:00:00Z' }, 1],
      [{ or: [{ field: 'won', op: 'isNull', value: true }, { field: 'won', op: 'eq', value: true }] }, 1],
      [{ not: { field: 'stage', op: 'in', value: ['lead'] } }, 0],
    ] as const) {
      const page = await t.core.records.list(t.admin, 'deal', { filter });
      expect(page.data.length, JSON.stringify(filter)).toBe(expected);
    }
    const byPerson = await t.core.records.list(t.admin, 'person', { filter: { field: 'deals', op: 'contains', value: deal.record.id } });
    expect(byPerson.data.map((record) => record.lastName).sort()).toEqual(['Alice', 'Bob']);

    await expect(t.core.records.create(t.admin, 'deal', { title: 'x', closeDate: '2000-01-01' })).rejects.toMatchObject({ errors: [expect.objectContaining({ field: 'closeDate', message: 'cannot be before the deal was created' })] });
    await expect(t.core.records.create(t.admin, 'deal', { title: 'x', probability: 101, rating: 4, amount: { amountMinor: 1.5, currency: 'XXY' } })).rejects.toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ field: 'probability' }),
        expect.objectContaining({ field: 'rating' }),
        expect.objectContaining({ field: 'amount.amountMinor' }),
        expect.objectContaining({ field: 'amount.currency' }),
      ]),
    });
    await expect(t.core.records.create(t.admin, 'deal', { title: 'x', contacts: [{ id: '00000000-0000-7000-8000-000000000000' }] })).rejects.toMatchObject({ errors: [expect.objectContaining({ field: 'contacts.0', code: 'relation_not_found' })] });
  });

  it('renames labels without touching data, and refuses deletions something depends on', async () => {
    await t.core.metadata.updateField(t.admin, 'deal', 'title', { labels: { en: 'Name', fr: 'Nom' } });
    const page = await t.core.records.list(t.admin, 'deal', {});
    expect(page.data[0]!.title).toBe('Big one');
    await t.core.metadata.updateObject(t.admin, 'company', { labels: { singular: { en: 'Account', fr: 'Compte' }, plural: { en: 'Accounts', fr: 'Comptes' } } });
    expect((await t.core.metadata.get(t.admin, 'company')).labels.singular.en).toBe('Account');

    await expect(t.core.metadata.deleteField(t.admin, 'deal', 'title')).rejects.toMatchObject({ status: 409, detail: expect.stringContaining('label') });
    await expect(t.core.metadata.deleteField(t.admin, 'deal', 'closeDate')).rejects.toMatchObject({ status: 409, detail: expect.stringContaining('rule') });
    await expect(t.core.metadata.deleteField(t.admin, 'person', 'lastName')).rejects.toMatchObject({ status: 409 });
    await expect(t.core.metadata.deleteField(t.admin, 'company', 'deals')).rejects.toMatchObject({ status: 409 });
    await expect(t.core.metadata.deleteObject(t.admin, 'deal')).rejects.toMatchObject({ status: 409 });

    await t.core.metadata.deleteField(t.admin, 'deal', 'tags');
    const after = await t.core.records.list(t.admin, 'deal', {});
    expect(after.data[0]).not.toHaveProperty('tags');
    await expect(t.core.records.list(t.admin, 'deal', { filter: { field: 'tags', op: 'isNull', value: true } })).rejects.toMatchObject({ status: 400 });
  });

  it('names records by their title fields, which admins may choose, and keeps them valid', async () => {
    // The core's person is named by first and last name; search hits and the API say so.
    expect((await t.core.metadata.get(t.admin, 'person')).titleFields).toEqual(['firstName', 'lastName']);
    expect((await t.core.metadata.get(t.admin, 'company')).titleFields).toEqual(['name']);
    await t.core.records.create(t.admin, 'person', { firstName: 'Anaïs', lastName: 'Titlecase' });
    await t.core.records.create(t.admin, 'person', { lastName: 'Titlecase-Solo' });
    const hits = await t.core.records.search(t.admin, 'titlecase');
    expect(hits.data.map((hit) => hit.label).sort()).toEqual(['Anaïs Titlecase', 'Titlecase-Solo']);

    const room = await t.core.metadata.createObject(t.admin, {
      name: 'room',
      labels: { singular: label('Room', 'Salle'), plural: label('Rooms', 'Salles') },
      labelField: 'code',
      titleFields: ['building', 'code'],
      fields: [
        { name: 'building', type: 'text', labels: label('Building', 'Bâtiment') },
        { name: 'code', type: 'text', labels: label('Code'), searchable: true },
        { name: 'seats', type: 'number', labels: label('Seats', 'Places') },
      ],
    });
    expect(room.titleFields).toEqual(['building', 'code']);
    await t.core.records.create(t.admin, 'room', { building: 'Nord', code: 'B12' });
    expect((await t.core.records.search(t.admin, 'b12', { objects: ['room'] })).data[0]!.label).toBe('Nord B12');
    await expect(t.core.metadata.deleteField(t.admin, 'room', 'building')).rejects.toMatchObject({ status: 409, detail: expect.stringContaining('title fields') });

    // Each must be a field of the object that can name a record, once; nothing changes otherwise.
    await expect(t.core.metadata.updateObject(t.admin, 'room', { titleFields: ['building', 'nowhere', 'building'] })).rejects.toMatchObject({
      status: 422,
      errors: [expect.objectContaining({ field: 'titleFields.1', code: 'invalid' }), expect.objectContaining({ field: 'titleFields.2', code: 'duplicate' })],
    });
    await expect(t.core.metadata.updateObject(t.admin, 'person', { titleFields: ['company'] })).rejects.toMatchObject({ status: 422, errors: [expect.objectContaining({ field: 'titleFields.0' })] });
    await expect(t.core.metadata.updateObject(t.admin, 'person', { titleFields: [] })).rejects.toMatchObject({ status: 422 });
    expect((await t.core.metadata.get(t.admin, 'room')).titleFields).toEqual(['building', 'code']);

    // A new label field alone names records by it; title fields may then be chosen again.
    await t.core.metadata.updateObject(t.admin, 'room', { labelField: 'building' });
    expect((await t.core.metadata.get(t.admin, 'room')).titleFields).toEqual(['building']);
    await t.core.metadata.updateObject(t.admin, 'person', { labelField: 'email' });
    expect((await t.core.metadata.get(t.admin, 'person')).titleFields).toEqual(['email']);
    await t.core.metadata.updateObject(t.admin, 'person', { labelField: 'lastName', titleFields: ['firstName', 'lastName'] });
    expect((await t.core.metadata.get(t.admin, 'person')).titleFields).toEqual(['firstName', 'lastName']);
  });

  it('names records by the label field an admin chose before title fields existed', async () => {
    // An override kept by an earlier version: the label field alone, no title fields.
    const [before] = await t.core.database.db.select().from(metadataOverride).where(and(eq(metadataOverride.workspaceId, t.admin.workspaceId), eq(metadataOverride.entityKey, 'core:company')));
    await t.core.metadata.addField(t.admin, 'company', { name: 'tradeName', type: 'text', labels: label('Trade name') });
    await t.core.database.db
      .insert(metadataOverride)
      .values({ workspaceId: t.admin.workspaceId, entityKey: 'core:company', patch: { ...(before?.patch ?? {}), labelField: 'tradeName' } })
      .onConflictDoUpdate({ target: [metadataOverride.workspaceId, metadataOverride.entityKey], set: { patch: { ...(before?.patch ?? {}), labelField: 'tradeName' } } });
    t.core.registry.invalidate();
    expect(await t.core.metadata.get(t.admin, 'company')).toMatchObject({ labelField: 'tradeName', titleFields: ['tradeName'] });
    await t.core.metadata.updateObject(t.admin, 'company', { labelField: 'name' });
    expect(await t.core.metadata.get(t.admin, 'company')).toMatchObject({ labelField: 'name', titleFields: ['name'] });
  });

  it('makes a field unique or indexed only when the data allows, in one transaction', async () => {
    await t.core.metadata.addField(t.admin, 'company', { name: 'vat', type: 'text', labels: label('VAT number') });
    const [a, b] = (await t.core.records.batch(t.admin, 'company', { operation: 'create', records: [{ name: 'V1', vat: 'FR1' }, { name: 'V2', vat: 'fr1' }] })).data;
    await expect(t.core.metadata.updateField(t.admin, 'company', 'vat', { unique: true })).rejects.toMatchObject({ status: 409 });
    expect((await t.core.metadata.get(t.admin, 'company')).fields.find((field) => field.name === 'vat')?.unique).toBe(false);
    await t.core.records.update(t.admin, 'company', b!.id as string, { vat: 'FR2' });
    await t.core.metadata.updateField(t.admin, 'company', 'vat', { unique: true, indexed: true });
    await expect(t.core.records.create(t.admin, 'company', { name: 'V3', vat: 'fr2' })).rejects.toMatchObject({ status: 409 });
    const found = await t.core.records.list(t.admin, 'company', { filter: { field: 'vat', op: 'eq', value: 'FR1' } });
    expect(found.data.map((record) => record.id)).toEqual([a!.id]);
    await expect(t.core.metadata.updateField(t.admin, 'company', 'vat', { required: true })).rejects.toMatchObject({ status: 409 });
  });

  it('leaves nothing half-made when one field of a new object is wrong', async () => {
    const before = (await t.core.metadata.list(t.admin)).length;
    await expect(
      t.core.metadata.createObject(t.admin, {
        name: 'broken',
        labels: { singular: label('Broken'), plural: label('Broken') },
        fields: [
          { name: 'title', type: 'text', labels: label('Title') },
          { name: 'kind', type: 'select', labels: label('Kind') },
          { name: 'owner2', type: 'relation', labels: label('X'), relation: { kind: 'manyToOne', target: 'nowhere' } },
          { name: 'id', type: 'text', labels: label('Id') },
        ],
      }),
    ).rejects.toMatchObject({
      status: 422,
      errors: expect.arrayContaining([
        expect.objectContaining({ field: 'fields.1.options' }),
        expect.objectContaining({ field: 'fields.2.relation.target' }),
        expect.objectContaining({ field: 'fields.3.name', code: 'reserved' }),
      ]),
    });
    expect((await t.core.metadata.list(t.admin)).length).toBe(before);
    await expect(t.core.records.list(t.admin, 'broken', {})).rejects.toMatchObject({ status: 404 });
  });
});
