import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

describeDb('record profile: fill rates, invalid values, named counts, exact duplicates', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
    const { data } = await t.core.records.batch(t.admin, 'person', {
      operation: 'create',
      records: [
        { lastName: 'Martin', email: 'anne@acme.fr', phone: '+33612345678' },
        { lastName: 'Martin', email: 'ANNE@acme.fr ', phone: '+33612345678' },
        { lastName: 'Durand', email: 'paul@acme.fr', phone: '+33698765432' },
        { lastName: 'Petit' },
        { lastName: 'Noreply', email: 'noreply@example.com' },
      ],
    });
    // Values written before today's rules, or around the API (an old migration): the profile must see them.
    await t.core.database.db.execute(sql`update person set email = 'not an email', phone = '06 12' where id = ${data[3]!.id}::uuid`);
  });
  afterAll(() => t?.close());

  it('counts filled, invalid and duplicated values in two queries', async () => {
    const queries: string[] = [];
    const stop = t.core.database.onQuery((query) => queries.push(query));
    const profile = await t.core.records.profile(t.admin, 'person', {
      duplicateKeys: ['email', 'phone'],
      counts: { noEmail: { field: 'email', op: 'isNull', value: true }, placeholder: { field: 'email', op: 'startsWith', value: 'noreply@' } },
    });
    stop();
    expect(queries.filter((text) => /count\(/.test(text))).toHaveLength(2);
    expect(profile.total).toBe(5);
    const field = (name: string) => profile.fields.find((candidate) => candidate.name === name)!;
    expect(field('lastName')).toMatchObject({ filled: 5, invalid: null, duplicated: null });
    expect(field('email')).toMatchObject({ filled: 5, invalid: 1, duplicated: 2 });
    expect(field('phone')).toMatchObject({ filled: 4, invalid: 1, duplicated: 2 });
    expect(field('firstName').filled).toBe(0);
    expect(profile.fields.map((candidate) => candidate.name)).not.toContain('id');
    expect(profile.counts).toEqual({ noEmail: 0, placeholder: 1 });
    expect(profile.duplicateRecords).toBe(2);
  });

  it('checks rules added after the data, and skips a pattern Postgres cannot run', async () => {
    await t.core.metadata.addField(t.admin, 'company', { name: 'siren', type: 'text', labels: { en: 'SIREN' } });
    await t.core.records.batch(t.admin, 'company', { operation: 'create', records: [{ name: 'A', siren: '123456789' }, { name: 'B', siren: '12 34' }, { name: 'C' }] });
    await t.core.database.db.execute(sql`update company set employees = -5 where name = 'A'`);
    await t.core.metadata.updateField(t.admin, 'company', 'siren', { rules: [{ rule: 'regex', pattern: '^\\d{9}$' }] });
    const profile = await t.core.records.profile(t.admin, 'company');
    expect(profile.fields.find((field) => field.name === 'siren')).toMatchObject({ filled: 2, invalid: 1 });
    expect(profile.fields.find((field) => field.name === 'employees')).toMatchObject({ filled: 1, invalid: 1 });
    // A named group JavaScript accepts (Postgres does not): the other checks still count.
    await t.core.metadata.updateField(t.admin, 'company', 'siren', { rules: [{ rule: 'regex', pattern: '^(?<digits>\\d{9})$' }] });
    const fallback = await t.core.records.profile(t.admin, 'company');
    expect(fallback.fields.find((field) => field.name === 'siren')!.invalid).toBeNull();
    expect(fallback.fields.find((field) => field.name === 'employees')!.invalid).toBe(1);
  });

  it('refuses bad counts and keys with the field named, before running anything', async () => {
    await expect(t.core.records.profile(t.admin, 'person', { counts: { 'bad name': {} } })).rejects.toMatchObject({ status: 400, errors: [{ field: 'counts.bad name' }] });
    await expect(t.core.records.profile(t.admin, 'person', { counts: { x: { field: 'nope', op: 'isNull', value: true } } })).rejects.toMatchObject({ status: 400 });
    await expect(t.core.records.profile(t.admin, 'person', { duplicateKeys: ['address'] })).rejects.toMatchObject({ status: 400, errors: [{ field: 'duplicateKeys' }] });
    await expect(t.core.records.profile(t.admin, 'nothing')).rejects.toMatchObject({ status: 404 });
  });
});
