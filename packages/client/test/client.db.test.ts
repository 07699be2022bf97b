import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, expectTypeOf, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';
import { ApiProblem, type ApiRecord, type components, createClient, type RapportClient, throwOnProblem, unwrap } from '../src/index';
import type { OpenAPI3 } from 'openapi-typescript';
import { GENERATE_COMMAND, renderDocument, renderSchema } from '../scripts/schema';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

type Company = components['schemas']['Company'];

/** The first line where two texts differ, to say where a stale file went wrong. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  for (let line = 0; line < Math.max(a.length, b.length); line++) {
    if (a[line] !== b[line]) return `line ${line + 1}: committed ${JSON.stringify(a[line] ?? '(end of file)')}, generated ${JSON.stringify(b[line] ?? '(end of file)')}`;
  }
  return 'none';
}

describeDb('@rapport/client', () => {
  let t: TestServer;
  let client: RapportClient;
  beforeAll(async () => {
    // With a plugin host (and no plugin), as the generator and every real server: its routes are part of the API.
    t = await createTestServer({ plugins: [] });
    client = createClient({ baseUrl: t.url, apiKey: t.apiKey });
  });
  afterAll(() => t?.close());

  it('is up to date with the API (else: run pnpm --filter @rapport/client generate)', async () => {
    // The anonymous document: the objects declared in code, as scripts/generate.ts sees it.
    const response = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as OpenAPI3;
    const schema = await renderSchema(document);
    const committedSchema = fs.readFileSync(path.join(root, 'src/schema.d.ts'), 'utf8');
    if (schema !== committedSchema) {
      expect.fail(`packages/client/src/schema.d.ts is stale: the API changed but the client was not regenerated; run ${GENERATE_COMMAND} (first difference at ${firstDifference(committedSchema, schema)})`);
    }
    const committedDocument = fs.readFileSync(path.join(root, 'openapi.json'), 'utf8');
    if (renderDocument(document) !== committedDocument) {
      expect.fail(`packages/client/openapi.json is stale: run ${GENERATE_COMMAND} (first difference at ${firstDifference(committedDocument, renderDocument(document))})`);
    }
  });

  it('creates, lists and updates companies with the types of the document', async () => {
    const created = await unwrap(client.POST('/api/v1/records/company', { body: { name: 'Typed Corp', employees: 12, industry: 'software', annualRevenue: { amountMinor: 1_250_000, currency: 'EUR' } } }));
    expectTypeOf(created).toEqualTypeOf<Company>();
    expectTypeOf(created.employees).toEqualTypeOf<number | null | undefined>();
    expect(created).toMatchObject({ name: 'Typed Corp', employees: 12, industry: 'software', annualRevenue: { amountMinor: 1_250_000, currency: 'EUR' } });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);

    const filter = JSON.stringify({ and: [{ field: 'name', op: 'startsWith', value: 'typed' }] });
    const page = await unwrap(client.GET('/api/v1/records/company', { params: { query: { filter, sort: '-employees', limit: 10 } } }));
    expectTypeOf(page.data).toEqualTypeOf<Company[]>();
    expect(page.data.map((company) => company.id)).toEqual([created.id]);
    expect(page.pageInfo).toEqual({ nextCursor: null, hasMore: false });

    const read = await client.GET('/api/v1/records/company/{id}', { params: { path: { id: created.id } } });
    const etag = read.response.headers.get('etag')!;
    expect(etag).toBe('"1"');
    const updated = await unwrap(client.PATCH('/api/v1/records/company/{id}', { params: { path: { id: created.id }, header: { 'If-Match': etag } }, body: { employees: 13 } }));
    expect(updated.employees).toBe(13);

    const stale = client.PATCH('/api/v1/records/company/{id}', { params: { path: { id: created.id }, header: { 'If-Match': etag } }, body: { employees: 14 } });
    await expect(unwrap(stale)).rejects.toMatchObject({ status: 412, slug: 'precondition-failed' });

    const deleted = await unwrap(client.DELETE('/api/v1/records/company/{id}', { params: { path: { id: created.id } } }));
    expectTypeOf(deleted).toEqualTypeOf<undefined>();
    expect(deleted).toBeUndefined();

    // Never called, only type-checked: the generated types refuse bad calls.
    const refusedByTypes = async () => {
      // @ts-expect-error employees is a number
      await client.POST('/api/v1/records/company', { body: { name: 'X', employees: 'many' } });
      // @ts-expect-error no such path
      await client.GET('/api/v1/records/nothing');
      // @ts-expect-error the path parameter is required
      await client.GET('/api/v1/records/company/{id}', {});
    };
    void refusedByTypes;
  });

  it('throws an ApiProblem with the field errors of a refused request', async () => {
    const refused = await unwrap(client.POST('/api/v1/records/company', { body: { name: 'X', employees: 'many' as unknown as number, nope: true } as never })).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiProblem);
    const problem = refused as ApiProblem;
    expect(problem.status).toBe(422);
    expect(problem.type).toBe('https://rapport.dev/problems/validation');
    expect(problem.slug).toBe('validation');
    expect(problem.detail).toContain('employees');
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['employees', 'nope']);
    expect(problem.field('employees')).toMatchObject({ field: 'employees', code: expect.any(String), message: expect.any(String) });
    expect(problem.message).toContain('employees');

    const anonymous = createClient({ baseUrl: t.url });
    await expect(unwrap(anonymous.GET('/api/v1/records/company'))).rejects.toMatchObject({ name: 'ApiProblem', status: 401, slug: 'unauthenticated' });

    // With the middleware, every call throws without unwrap.
    const throwing = createClient({ baseUrl: t.url, apiKey: t.apiKey });
    throwing.use(throwOnProblem);
    await expect(throwing.GET('/api/v1/records/company', { params: { query: { sort: '-nope' } } })).rejects.toMatchObject({ status: 400, slug: 'bad-request' });
  });

  it('reaches custom objects through records(name)', async () => {
    const created = await t.request('/api/v1/metadata/objects', {
      method: 'POST',
      json: {
        name: 'deal',
        labels: { singular: { en: 'Deal' }, plural: { en: 'Deals' } },
        labelField: 'title',
        fields: [
          { name: 'title', type: 'text', labels: { en: 'Title' }, required: true },
          { name: 'stage', type: 'select', labels: { en: 'Stage' }, options: [{ value: 'lead', labels: { en: 'Lead' } }, { value: 'won', labels: { en: 'Won' } }] },
          { name: 'company', type: 'relation', labels: { en: 'Company' }, relation: { kind: 'manyToOne', target: 'company' } },
        ],
      },
    });
    expect(created.status, await created.clone().text()).toBe(201);

    type Deal = ApiRecord & { title: string; stage: 'lead' | 'won' | null };
    const deals = client.records<Deal>('deal');
    const company = await unwrap(client.POST('/api/v1/records/company', { body: { name: 'Deal Maker' } }));
    const deal = await deals.create({ title: 'First', stage: 'lead', company: company.id }, { idempotencyKey: 'deal-1' });
    expectTypeOf(deal.title).toEqualTypeOf<string>();
    expect(deal).toMatchObject({ title: 'First', stage: 'lead', company: company.id });
    expect(await deals.create({ title: 'First', stage: 'lead', company: company.id }, { idempotencyKey: 'deal-1' })).toEqual(deal);

    const updated = await deals.update(deal.id, { stage: 'won' }, { ifMatch: 1 });
    expect(updated.stage).toBe('won');
    await expect(deals.update(deal.id, { stage: 'lead' }, { ifMatch: 1 })).rejects.toMatchObject({ status: 412 });
    await expect(deals.update(deal.id, { stage: 'lost' })).rejects.toMatchObject({ status: 422, errors: [expect.objectContaining({ field: 'stage' })] });

    const page = await deals.list({ filter: { and: [{ field: 'stage', op: 'eq', value: 'won' }] }, fields: ['title', 'stage'], limit: 5 });
    expect(page.data).toEqual([{ id: deal.id, title: 'First', stage: 'won' }]);
    expect((await deals.query({ filter: { and: [{ field: 'title', op: 'eq', value: 'First' }] } })).data.map((record) => record.id)).toEqual([deal.id]);
    expect((await deals.get(deal.id, { expand: ['company'] })).company).toMatchObject({ id: company.id, name: 'Deal Maker' });

    const batch = await deals.batch({ operation: 'create', records: [{ title: 'Second' }, { title: 'Third' }] });
    expect(batch.actions).toEqual(['created', 'created']);

    await deals.delete(deal.id);
    await expect(deals.get(deal.id)).rejects.toMatchObject({ status: 404, slug: 'not-found' });
    expect((await deals.list({ deleted: 'only' })).data.map((record) => record.id)).toEqual([deal.id]);
    expect((await deals.restore(deal.id)).id).toBe(deal.id);
    expect((await deals.timeline(deal.id)).data.map((entry) => entry.action)).toEqual(['restored', 'deleted', 'updated', 'created']);
    await expect(client.records('nothing').list()).rejects.toMatchObject({ status: 404 });
  });
});
