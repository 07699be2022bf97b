import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

const PEOPLE = 20_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

describeDb('query plans on 20k records', () => {
  let t: TestCore;

  async function plan(query: ReturnType<typeof sql>): Promise<PlanNode[]> {
    const [row] = await rows<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(t.core.database.db, sql`explain (format json) ${query}`);
    return nodes(row!['QUERY PLAN'][0].Plan);
  }

  const scans = (all: PlanNode[], relation: string) => all.filter((node) => node['Relation Name'] === relation || node['Index Name']?.startsWith(relation));

  beforeAll(async () => {
    t = await createTestCore();
    await t.core.metadata.addField(t.admin, 'person', { name: 'score', type: 'number', labels: { en: 'Score' }, indexed: true });
    const companies = await t.core.records.batch(t.admin, 'company', { operation: 'create', records: Array.from({ length: 50 }, (_, index) => ({ name: `Company ${index}` })) });
    const names = ['Martin', 'Bernard', 'Dubois', 'Thomas', 'Robert', 'Richard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Simon', 'Laurent', 'Lefèvre', 'Michel', 'García', 'Éloïse'];
    for (let start = 0; start < PEOPLE; start += 1000) {
      await t.core.records.batch(t.admin, 'person', {
        operation: 'create',
        records: Array.from({ length: 1000 }, (_, offset) => {
          const index = start + offset;
          return { firstName: `First${index}`, lastName: `${names[index % names.length]}${index}`, score: index % 997, company: companies.data[index % 50]!.id };
        }),
      });
    }
    for (const table of ['person', 'company', 'search_entry', 'field_value_index']) await t.core.database.db.execute(sql.raw(`analyze ${table}`));
  }, 600_000);
  afterAll(() => t?.close());

  it('lists a page through the index', async () => {
    const all = await plan(await t.core.records.listQuery(t.admin, 'person', { limit: 50 }));
    expect(all.some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'person')).toBe(false);
    expect(scans(all, 'person').some((node) => node['Node Type'].includes('Index'))).toBe(true);
  });

  it('filters on an indexed custom field through its mirror index', async () => {
    const all = await plan(await t.core.records.listQuery(t.admin, 'person', { filter: { field: 'score', op: 'eq', value: 42 } }));
    expect(all.some((node) => node['Node Type'] === 'Seq Scan')).toBe(false);
    expect(all.some((node) => node['Index Name'] === 'field_value_index_num_idx')).toBe(true);
    const page = await t.core.records.list(t.admin, 'person', { filter: { field: 'score', op: 'eq', value: 42 }, limit: 500 });
    expect(page.data.length).toBe(Math.ceil((PEOPLE - 42) / 997));
    expect(page.data.every((record) => record.score === 42)).toBe(true);
    // Paging through the mirror-driven list gives the same records, newest first.
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const next = await t.core.records.list(t.admin, 'person', { filter: { and: [{ field: 'score', op: 'eq', value: 42 }, { field: 'firstName', op: 'startsWith', value: 'First' }] }, limit: 4, cursor });
      paged.push(...next.data.map((record) => record.id));
      cursor = next.pageInfo.nextCursor ?? undefined;
    } while (cursor);
    expect(paged).toEqual(page.data.map((record) => record.id));
    const ids = page.data.map((record) => record.id);
    expect([...ids].sort().reverse()).toEqual(ids);
  });

  it('finds a person by email or phone through an index (duplicate checks, imports)', async () => {
    for (const [field, value, index] of [['email', 'jon.smith@acme.test', 'person_email_idx'], ['phone', '+33612345678', 'person_phone_idx']] as const) {
      for (const op of ['eq', 'in'] as const) {
        const all = await plan(await t.core.records.listQuery(t.admin, 'person', { filter: { field, op, value: op === 'in' ? [value] : value } }));
        expect(all.some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'person'), `${field} ${op}`).toBe(false);
        expect(all.some((node) => node['Index Name'] === index), `${field} ${op}`).toBe(true);
      }
    }
  });

  it('searches through the full-text index', async () => {
    const [prefix, words] = await t.core.records.searchQueries(t.admin, 'dubo');
    const prefixPlan = await plan(prefix!);
    expect(prefixPlan.some((node) => node['Node Type'] === 'Seq Scan')).toBe(false);
    expect(prefixPlan.some((node) => node['Index Name'] === 'search_entry_prefix_idx')).toBe(true);
    const wordPlan = await plan(words!);
    expect(wordPlan.some((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'search_entry')).toBe(false);
    expect(wordPlan.some((node) => node['Index Name'] === 'search_entry_document_idx')).toBe(true);
    const hits = await t.core.records.search(t.admin, 'lefevre1');
    expect(hits.data[0]!.label).toMatch(/^First\d+ Lefèvre1/);
    const acrossFields = await t.core.records.search(t.admin, 'first18 dubo');
    // A person's hit is named by first and last name.
    expect(acrossFields.data[0]!.label).toBe('First18 Dubois18');
    expect(acrossFields.data.every((hit) => /^First\d+ Dubois18/.test(hit.label!))).toBe(true);
  });

  it('expands a relation with one more query per page, whatever the page size', async () => {
    await t.core.records.list(t.admin, 'person', { limit: 5, expand: ['company'] }); // metadata now cached
    for (const limit of [10, 200]) {
      let queries = 0;
      const stop = t.core.database.onQuery(() => queries++);
      const page = await t.core.records.list(t.admin, 'person', { limit, expand: ['company'] });
      stop();
      expect(page.data).toHaveLength(limit);
      expect(page.data.every((record) => typeof record.company === 'object' && (record.company as { name: string }).name.startsWith('Company'))).toBe(true);
      expect(queries).toBeLessThanOrEqual(2);
    }
    let queries = 0;
    const stop = t.core.database.onQuery(() => queries++);
    const companies = await t.core.records.list(t.admin, 'company', { limit: 20, expand: ['people'] });
    stop();
    expect(companies.data.every((record) => Array.isArray(record.people) && (record.people as unknown[]).length > 0)).toBe(true);
    expect(queries).toBeLessThanOrEqual(2);
  });
});
