import path from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('data-ops: exports', () => {
  let t: TestHost;
  const tokens = new Map<string, string>();
  const ids: string[] = [];
  const as = (who: string, url: string, init: RequestInit & { json?: unknown } = {}) => t.request(url, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${tokens.get(who)}` } });

  beforeAll(async () => {
    t = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await t.enable('data-ops');
    tokens.set('rep', (await t.user('sales_rep')).token);
    tokens.set('agent', (await t.user('support_agent')).token);
    const companies = await json(
      await t.request('/api/v1/records/company/batch', {
        method: 'POST',
        json: {
          operation: 'create',
          records: [
            { name: 'Évian Café', employees: 12, annualRevenue: { amountMinor: 1234567, currency: 'EUR' }, industry: 'software' },
            { name: '=HYPERLINK("http://evil.example","click")', employees: 3 },
            { name: '+33 Conseil', employees: 250 },
          ],
        },
      }),
    );
    ids.push(...companies.data.map((company: Json) => company.id));
    await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Durand', firstName: 'Zoé', company: ids[0] } });
  });
  afterAll(() => t?.close());

  const csv = async (response: Response) => {
    expect(response.status, await response.clone().text()).toBe(200);
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return parse(bytes.subarray(3).toString('utf8'), { delimiter: response.url.includes('delimiter=%3B') ? ';' : ',' }) as string[][];
  };

  it('exports a list as CSV: the caller-language headers, typed cells, formulas escaped, sorted and filtered', async () => {
    const response = await t.request(`/api/v1/plugins/data-ops/export/company?fields=name,employees,annualRevenue,industry&sort=name&lang=fr&filter=${encodeURIComponent(JSON.stringify({ field: 'employees', op: 'gte', value: 1 }))}`);
    expect(response.headers.get('content-type')).toContain('text/csv');
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="company-\d{4}-\d{2}-\d{2}\.csv"/);
    expect(await csv(response)).toEqual([
      ['Nom', 'Effectif', "Chiffre d'affaires annuel", 'Secteur'],
      ["'+33 Conseil", '250', '', ''],
      ["'=HYPERLINK(\"http://evil.example\",\"click\")", '3', '', ''],
      ['Évian Café', '12', '12345.67 EUR', 'Logiciel'],
    ]);
  });

  it('exports a selection as Excel, with related records by their label', async () => {
    const response = await t.request('/api/v1/plugins/data-ops/export/company', { method: 'POST', json: { format: 'xlsx', ids: [ids[0], ids[2]], fields: ['name', 'employees'], sort: '-employees' } });
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const rows = workbook.worksheets[0]!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(rows).toEqual([['Name', 'Employees'], ["'+33 Conseil", 250], ['Évian Café', 12]]);
    const people = await csv(await t.request('/api/v1/plugins/data-ops/export/person?fields=lastName,company&delimiter=%3B'));
    expect(people).toEqual([['Last name', 'Company'], ['Durand', 'Évian Café']]);
  });

  it('is refused without the export right, and never carries a field the caller may not read', async () => {
    const refused = await as('rep', '/api/v1/plugins/data-ops/export/company');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    // The support agent may export (read-only preset? no): give their role the right, then ask for a hidden field.
    const role = await json(await t.request('/api/v1/roles/support_agent'));
    expect((await t.request('/api/v1/roles/support_agent', { method: 'PATCH', json: { definition: { ...role.definition, export: true } } })).status).toBe(200);
    const everything = await csv(await as('agent', '/api/v1/plugins/data-ops/export/company?sort=name'));
    expect(everything[0]).not.toContain('Annual revenue');
    expect(everything).toHaveLength(4);
    const hidden = await as('agent', '/api/v1/plugins/data-ops/export/company?fields=name,annualRevenue');
    expect(hidden.status).toBe(422);
    expect((await json(hidden)).errors[0]).toMatchObject({ field: 'fields', code: 'unknown_field' });
  });

  it('records each export in the access audit', async () => {
    const audit = await json(await t.request('/api/v1/audit?action=records.exported'));
    expect(audit.data.length).toBeGreaterThanOrEqual(4);
    expect(audit.data.every((entry: Json) => entry.target === 'company' || entry.target === 'person')).toBe(true);
  });

  it('answers bad requests with a problem naming the parameter, before any file', async () => {
    const cases: [string, RequestInit & { json?: unknown }, number, string][] = [
      ['/api/v1/plugins/data-ops/export/company?format=pdf', {}, 422, 'format'],
      ['/api/v1/plugins/data-ops/export/company?colour=red', {}, 422, 'colour'],
      ['/api/v1/plugins/data-ops/export/company?filter=%7Bnope', {}, 400, 'filter'],
      ['/api/v1/plugins/data-ops/export/company?sort=-nothing', {}, 400, 'nothing'],
      ['/api/v1/plugins/data-ops/export/company', { method: 'POST', json: { ids: ['not-an-id'] } }, 400, 'ids'],
      ['/api/v1/plugins/data-ops/export/company', { method: 'POST', json: { format: 'csv', extra: 1 } }, 422, 'body'],
    ];
    for (const [url, init, status, field] of cases) {
      const response = await t.request(url, init);
      expect(response.status, url).toBe(status);
      expect(response.headers.get('content-type'), url).toContain('application/problem+json');
      expect(JSON.stringify((await json(response)).errors ?? []), url).toContain(field);
    }
    expect((await t.request('/api/v1/plugins/data-ops/export/nothing')).status).toBe(404);
  });
});
