import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('data-ops: duplicate candidates', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.enable('data-ops');
  });
  afterAll(() => host?.close());

  it('finds the same email exactly and a similar name, best first, with the fields that matched', async () => {
    const people = host.client.records('person');
    const john = await people.create({ firstName: 'John', lastName: 'Smithson', email: 'john.smithson@acme.test' });
    const typedTwice = await people.create({ firstName: 'Jon', lastName: 'Smithson', email: 'john.smithson@acme.test' });
    const similar = await people.create({ firstName: 'Johnny', lastName: 'Smithsonn' });
    await people.create({ firstName: 'Marie', lastName: 'Curie', email: 'marie@radium.test' });
    const { data } = await json(await host.request(`/api/v1/plugins/data-ops/duplicates/person/${john.id}`));
    expect(data[0]).toMatchObject({ id: typedTwice.id, score: 1 });
    expect(data[0].matched).toEqual(expect.arrayContaining([{ field: 'email', kind: 'same' }]));
    const fuzzy = data.find((candidate: Json) => candidate.id === similar.id);
    expect(fuzzy.matched[0].kind).toBe('similar');
    expect(fuzzy.score).toBeGreaterThan(0.4);
    expect(fuzzy.score).toBeLessThan(1);
    expect(data.map((candidate: Json) => candidate.label)).not.toContain('Marie Curie');
    // Named as a person reads them, with what tells two of the same name apart.
    expect(data[0]).toMatchObject({ label: 'Jon Smithson', detail: 'john.smithson@acme.test' });
  });

  it('takes a shared last name for a duplicate only when the whole name is close', async () => {
    const people = host.client.records('person');
    const jean = await people.create({ firstName: 'Jean', lastName: 'Martinez' });
    const jon = await people.create({ firstName: 'Jon', lastName: 'Martinez', phone: '+33611223399' });
    const marie = await people.create({ firstName: 'Marie', lastName: 'Martinez' });
    const { data } = await json(await host.request(`/api/v1/plugins/data-ops/duplicates/person/${jean.id}`));
    const ids = data.map((candidate: Json) => candidate.id);
    expect(ids).toContain(jon.id);
    expect(ids).not.toContain(marie.id);
    expect(data.find((candidate: Json) => candidate.id === jon.id)).toMatchObject({ label: 'Jon Martinez', detail: '+33611223399', matched: [{ field: 'lastName', kind: 'similar' }] });
    expect(data.find((candidate: Json) => candidate.id === jon.id).score).toBeCloseTo(0.91, 1);
  });

  it('shows only records the caller may read, and 404 for a record they may not', async () => {
    const rep = await host.user('sales_rep');
    const mine = await rep.client.records('person').create({ lastName: 'Dupont', email: 'shared@dupont.test' });
    const theirs = await host.client.records('person').create({ lastName: 'Dupont', email: 'shared@dupont.test' });
    expect((await json(await rep.request(`/api/v1/plugins/data-ops/duplicates/person/${mine.id}`))).data).toEqual([]);
    expect((await json(await host.request(`/api/v1/plugins/data-ops/duplicates/person/${mine.id}`))).data.map((candidate: Json) => candidate.id)).toContain(theirs.id);
    expect((await rep.request(`/api/v1/plugins/data-ops/duplicates/person/${theirs.id}`)).status).toBe(404);
    expect((await rep.request('/api/v1/plugins/data-ops/duplicates/nothing/x')).status).toBe(404);
  });
});
