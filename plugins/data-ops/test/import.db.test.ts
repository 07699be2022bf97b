import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));
const IMPORTS = '/api/v1/plugins/data-ops/imports';

describeDb('data-ops: import', () => {
  let host: TestHost;
  type Requester = Pick<TestHost, 'request'>;
  const upload = (as: Requester, file: Buffer | string, query: string) => as.request(`${IMPORTS}?${query}`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } });
  const uploaded = async (as: Requester, file: Buffer | string, query: string) => {
    const response = await upload(as, file, query);
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(201);
    return body;
  };
  const finished = (as: Requester, id: string, status = 'done') =>
    eventually(
      async () => json(await as.request(`${IMPORTS}/${id}`)),
      (body: Json) => body.status === status || body.status === 'failed',
      30_000,
    );
  const people = async (filter: unknown) => (await json(await host.request(`/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=100`))).data;

  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.enable('data-ops');
  });
  afterAll(() => host?.close());

  describe('a French export with a BOM, semicolons, accents, dd/mm/yyyy dates and phones written five ways', () => {
    let imported: Json;

    it('is read as it is and its columns are mapped from the French headers', async () => {
      imported = await uploaded(host, fixture('contacts-fr.csv'), 'object=person&fileName=contacts-fr.csv');
      expect(imported).toMatchObject({ format: 'csv', encoding: 'utf-8', delimiter: ';', status: 'ready', progress: { total: 8, processed: 0 } });
      expect(imported.headers[1]).toBe('Prénom');
      expect(imported.settings.mapping).toEqual(['lastName', 'firstName', 'email', 'phone', 'company', 'address.postalCode', 'address.city', 'consentStatus', 'optInAt', null, null]);
    });

    it('previews the first rows cleaned, and names every row that would fail and why', async () => {
      const preview = await json(await host.request(`${IMPORTS}/${imported.id}/preview?limit=3`));
      expect(preview.rows).toHaveLength(3);
      expect(preview.rows[0].values).toMatchObject({ lastName: 'Dupont', firstName: 'Jean-Pierre', email: 'jean-pierre.dupont@exemple.fr', phone: '+33612345678', company: 'Boulangerie Dupont', consentStatus: 'granted', address: { postalCode: '75011', city: 'Paris', country: 'FR' } });
      expect(preview.rows[0].values.optInAt).toBe('2026-02-02T23:00:00.000Z');
      expect(preview.rows[1].values.address.postalCode).toBe('07500');
      expect(preview.failing, JSON.stringify(preview.failing)).toMatchObject({ count: 1 });
      expect(preview.failing.rows[0].rowNo).toBe(6);
      expect(preview.failing.rows[0].reason).toMatch(/Email/);
      expect(preview.failing.rows[0].reason).toMatch(/Téléphone/);
      expect(preview.failing.rows[0].reason).toMatch(/Dateoptin/);
      expect(preview.missingRequired).toEqual([]);
    });

    it('imports every valid row once: duplicates typed twice skipped, the bad row rejected, companies linked or created', async () => {
      const before = await host.rowCounts();
      const started = await host.request(`${IMPORTS}/${imported.id}/start`, { method: 'POST' });
      expect(started.status).toBe(202);
      const done = await finished(host, imported.id);
      expect(done.status).toBe('done');
      expect(done.progress).toMatchObject({ total: 8, processed: 8, created: 5, updated: 0, skipped: 2, rejected: 1 });
      expect(typeof done.progress.rowsPerSecond).toBe('number');
      const dupont = await people({ field: 'email', op: 'eq', value: 'jean-pierre.dupont@exemple.fr' });
      expect(dupont).toHaveLength(1);
      expect(dupont[0]).toMatchObject({ firstName: 'Jean-Pierre', lastName: 'Dupont', phone: '+33612345678', consentStatus: 'granted' });
      const camille = await people({ field: 'lastName', op: 'startsWith', value: 'Petit' });
      expect(camille.map((person: Json) => person.firstName)).toEqual(['Camille']);
      const rows = (await json(await host.request(`${IMPORTS}/${imported.id}/rows`))).data;
      expect(rows.map((row: Json) => row.status)).toEqual(['created', 'created', 'created', 'created', 'skipped', 'rejected', 'skipped', 'created']);
      expect(rows[4].match).toMatchObject({ recordId: rows[0].recordId, score: 1, fields: ['email'] });
      expect(rows[6].match.recordId).toBe(rows[3].recordId);
      expect(rows[6].match.score).toBeGreaterThan(0.93);
      const companies = (await json(await host.request(`/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'in', value: ['Boulangerie Dupont', 'Acme BTP', 'Durand & Fils'] }))}`))).data;
      expect(companies.map((company: Json) => company.name).sort()).toEqual(['Acme BTP', 'Boulangerie Dupont']);
      const after = await host.rowCounts();
      expect(after.person! - before.person!).toBe(5);
    });

    it('gives the rejected rows back as a CSV with the reason, formulas escaped', async () => {
      const response = await host.request(`${IMPORTS}/${imported.id}/rejected.csv?lang=fr`);
      expect(response.headers.get('content-type')).toMatch(/text\/csv/);
      const rows = parse(await response.text(), { bom: true, delimiter: ';' }) as string[][];
      expect(rows[0]!.slice(-2)).toEqual(['Motif du rejet', 'Ligne']);
      expect(rows).toHaveLength(2);
      expect(rows[1]![0]).toBe('Durand');
      expect(rows[1]![11]).toMatch(/Email/);
      expect(rows[1]![12]).toBe('7');
    });

    it('imports the same file again as updates, then undoes that import: the records are as they were', async () => {
      const again = await uploaded(host, fixture('contacts-fr.csv'), 'object=person&fileName=contacts-fr.csv');
      const patched = await host.request(`${IMPORTS}/${again.id}`, { method: 'PATCH', json: { settings: { duplicates: { mode: 'update', fuzzy: true }, rules: { nameCase: false } } } });
      expect(patched.status).toBe(200);
      await host.request(`${IMPORTS}/${again.id}/start`, { method: 'POST' });
      const done = await finished(host, again.id);
      expect(done.progress).toMatchObject({ created: 0, updated: 7, rejected: 1 });
      // Name casing off: the file's "DUPONT" is written as it is.
      const [changed] = await people({ field: 'email', op: 'eq', value: 'jean-pierre.dupont@exemple.fr' });
      expect(changed.lastName).toBe('Dupont'); // row 5 ("Dupont") came after row 1 ("DUPONT") and won
      const [bernard] = await people({ field: 'email', op: 'eq', value: 'luc.bernard@acme-btp.fr' });
      expect(bernard.firstName).toBe('Luc');
      const undo = await host.request(`${IMPORTS}/${again.id}/undo`, { method: 'POST' });
      expect(undo.status).toBe(202);
      await finished(host, again.id, 'undone');
      const [restored] = await people({ field: 'email', op: 'eq', value: 'jean-pierre.dupont@exemple.fr' });
      expect(restored).toMatchObject({ lastName: 'Dupont', firstName: 'Jean-Pierre' });
      expect((await people({ field: 'email', op: 'eq', value: 'c.petit@acme-btp.fr' })).length).toBe(0);
    });

    it('undoes the first import too: the people and companies it made are gone', async () => {
      const before = await host.rowCounts();
      await host.request(`${IMPORTS}/${imported.id}/undo`, { method: 'POST' });
      const undone = await finished(host, imported.id, 'undone');
      expect(undone.status).toBe('undone');
      expect((await people({ field: 'email', op: 'eq', value: 'jean-pierre.dupont@exemple.fr' })).length).toBe(0);
      const companies = (await json(await host.request(`/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Acme BTP' }))}`))).data;
      expect(companies).toEqual([]);
      expect((await host.request(`${IMPORTS}/${imported.id}/undo`, { method: 'POST' })).status).toBe(409);
      expect(before.person).toBeGreaterThanOrEqual(5);
    });
  });

  it('reads Windows-1252 files and XLSX workbooks', async () => {
    const legacy = await uploaded(host, fixture('contacts-windows-1252.csv'), 'object=person&fileName=legacy.csv');
    expect(legacy).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    const preview = await json(await host.request(`${IMPORTS}/${legacy.id}/preview`));
    expect(preview.rows[0].values).toMatchObject({ lastName: 'Lefèvre', firstName: 'Zoé', address: { city: 'Besançon' } });
    const workbook = await uploaded(host, fixture('contacts-fr.xlsx'), 'object=person&fileName=contacts.xlsx');
    expect(workbook).toMatchObject({ format: 'xlsx', progress: { total: 3 } });
    await host.request(`${IMPORTS}/${workbook.id}/start`, { method: 'POST' });
    const done = await finished(host, workbook.id);
    expect(done.progress).toMatchObject({ created: 3, rejected: 0 });
    const [ines] = await people({ field: 'email', op: 'eq', value: 'ines.moreau@exemple.fr' });
    expect(ines).toMatchObject({ firstName: 'Inès', phone: '+33612345600', consentStatus: 'granted' });
  });

  it('answers bad files with a clear problem and keeps nothing of them', async () => {
    const before = await host.rowCounts();
    const list = async () => (await json(await host.request(IMPORTS))).data.length;
    const imports = await list();
    const cases: [Buffer | string, string, RegExp][] = [
      [fixture('empty.csv'), 'empty_file', /empty/],
      ['Name,Email\n', 'no_rows', /no rows/],
      [fixture('ragged.csv'), 'ragged_row', /Line 3 has 4 columns where the header has 2/],
      [fixture('unclosed-quote.csv'), 'unclosed_quote', /never closed/],
      // A quote opening an unquoted cell: the parser's refusal, not prefixed CSV_, was a 502.
      ['{"a":1}', 'no_rows', /no rows/],
      [randomBytes(50 * 1024 * 1024), 'not_a_table', /not a CSV or XLSX/],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 'invalid_xlsx', /not a readable XLSX/],
      // Valid UTF-8 well past what encoding detection reads (64 KB), then a byte that cannot be: refused, not mangled.
      [Buffer.concat([Buffer.from(`Name\n${'Zoé\n'.repeat(30_000)}`), Buffer.from('Lef\xe8vre\n', 'latin1')]), 'invalid_encoding', /not valid UTF-8/],
    ];
    for (const [file, code, message] of cases) {
      const response = await upload(host, file, 'object=person');
      expect(response.status, code).toBe(422);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const problem = await json(response);
      expect(problem.errors[0]).toMatchObject({ field: 'file', code });
      expect(problem.detail).toMatch(message);
    }
    expect(await list()).toBe(imports);
    expect(await host.rowCounts()).toEqual(before);
    const unknownObject = await upload(host, 'a\n1\n', 'object=nothing');
    expect(unknownObject.status).toBe(404);
    const badQuery = await upload(host, 'a\n1\n', 'object=person&delimiter=x');
    expect(badQuery.status).toBe(422);
    expect((await json(badQuery)).errors[0].field).toBe('delimiter');
  }, 120_000); // 50 MB through HTTP and the parser: slow on a busy 2-core machine

  it('keeps a quote inside an unquoted cell as written, as a spreadsheet reads it', async () => {
    const imported = await uploaded(host, 'Name,Screen\n"Dupont" Jr,15" wide\n', 'object=person&fileName=inches.csv');
    const preview = JSON.stringify(await json(await host.request(`${IMPORTS}/${imported.id}/preview`)));
    expect(preview).toContain('15\\" wide');
    expect(preview).toContain('\\"Dupont\\" Jr');
  });

  it('checks the mapping and settings, naming the field and the rule', async () => {
    const imported = await uploaded(host, fixture('contacts-en.csv'), 'object=person&fileName=en.csv');
    expect(imported.settings.mapping).toEqual(['firstName', 'lastName', 'email', 'phone', 'company', 'jobTitle']);
    const cases: [unknown, string, string][] = [
      [{ settings: { mapping: ['firstName', 'nope', null, null, null, null] } }, 'settings.mapping.1', 'unknown_field'],
      [{ settings: { mapping: ['firstName', 'firstName', null, null, null, null] } }, 'settings.mapping.1', 'duplicate_target'],
      [{ settings: { mapping: ['firstName'] } }, 'settings.mapping', 'wrong_length'],
      [{ settings: { defaultCountry: 'France' } }, 'settings.defaultCountry', 'invalid_format'],
      [{ settings: { duplicates: { mode: 'merge' } } }, 'settings.duplicates.mode', 'invalid_value'],
      [{ nope: 1 }, 'nope', 'unrecognized_keys'],
    ];
    for (const [body, field, code] of cases) {
      const response = await host.request(`${IMPORTS}/${imported.id}`, { method: 'PATCH', json: body });
      expect(response.status, field).toBe(422);
      const problem = await json(response);
      expect(problem.errors.map((error: Json) => `${error.field}:${error.code}`).join(' ')).toContain(field === 'nope' ? 'unrecognized_keys' : `${field}:${code}`);
    }
    await host.request(`${IMPORTS}/${imported.id}`, { method: 'PATCH', json: { settings: { mapping: ['firstName', null, 'email', null, null, null] } } });
    const start = await host.request(`${IMPORTS}/${imported.id}/start`, { method: 'POST' });
    expect(start.status).toBe(422);
    expect((await json(start)).detail).toMatch(/Last name/);
  });

  it('keeps templates: a saved mapping applies to the next file of the same shape', async () => {
    const mapping = ['lastName', 'firstName', 'email', null];
    const created = await host.request('/api/v1/plugins/data-ops/import-templates', { method: 'POST', json: { object: 'person', name: 'Ancien CRM', settings: { mapping, defaultCountry: 'BE' } } });
    expect(created.status).toBe(201);
    const template = await json(created);
    expect((await host.request('/api/v1/plugins/data-ops/import-templates', { method: 'POST', json: { object: 'person', name: 'Ancien CRM', settings: { mapping } } })).status).toBe(409);
    const imported = await uploaded(host, fixture('contacts-windows-1252.csv'), `object=person&template=${template.id}`);
    expect(imported.settings).toMatchObject({ mapping, defaultCountry: 'BE' });
    const listed = (await json(await host.request('/api/v1/plugins/data-ops/import-templates?object=person'))).data;
    expect(listed.map((item: Json) => item.name)).toContain('Ancien CRM');
  });

  it('needs the import right; an import is only its owner’s; the records are owned by who imported them', async () => {
    const reader = await host.user('read_only');
    const refused = await upload(reader, fixture('contacts-en.csv'), 'object=person');
    expect(refused.status).toBe(403);
    const manager = await host.user('sales_manager');
    const imported = await uploaded(manager, fixture('contacts-en.csv'), 'object=person&fileName=en.csv');
    expect((await host.request(`${IMPORTS}/${imported.id}`)).status).toBe(404);
    await manager.request(`${IMPORTS}/${imported.id}/start`, { method: 'POST' });
    const done = await finished(manager, imported.id);
    expect(done.progress.created).toBe(2);
    const [ada] = await people({ field: 'email', op: 'eq', value: 'ada@analytical.test' });
    expect(ada.ownerId).toBe(manager.id);
    const audit = (await json(await host.request('/api/v1/audit?action=records.imported'))).data;
    expect(audit.filter((entry: Json) => entry.detail.importId === imported.id).map((entry: Json) => entry.detail.step).sort()).toEqual(['started', 'uploaded']);
  });

  it('gives the records to the owner chosen; a manager may not give them to someone they do not manage', async () => {
    const rep = await host.user('sales_rep');
    const manager = await host.user('sales_manager');
    const file = 'First name,Last name,Email\nOwen,Chosen,owen.chosen@owner.test\n';
    const imported = await uploaded(host, file, 'object=person&fileName=owned.csv');
    const patched = await host.request(`${IMPORTS}/${imported.id}`, { method: 'PATCH', json: { settings: { ownerId: rep.id } } });
    expect(patched.status).toBe(200);
    await host.request(`${IMPORTS}/${imported.id}/start`, { method: 'POST' });
    expect((await finished(host, imported.id)).progress.created).toBe(1);
    const [owen] = await people({ field: 'email', op: 'eq', value: 'owen.chosen@owner.test' });
    expect(owen.ownerId).toBe(rep.id);
    // Not the manager's to give: every row is rejected with the reason, nothing is written.
    const theirs = await uploaded(manager, file.replace(/owen\.chosen/g, 'owen.given'), 'object=person&fileName=given.csv');
    await manager.request(`${IMPORTS}/${theirs.id}`, { method: 'PATCH', json: { settings: { ownerId: host.admin.userId } } });
    await manager.request(`${IMPORTS}/${theirs.id}/start`, { method: 'POST' });
    const refused = await finished(manager, theirs.id);
    expect(refused.progress).toMatchObject({ created: 0, rejected: 1 });
    const rows = (await json(await manager.request(`${IMPORTS}/${theirs.id}/rows?status=rejected`))).data;
    expect(rows[0].reason).toMatch(/may not give person records/);
    expect(await people({ field: 'email', op: 'eq', value: 'owen.given@owner.test' })).toEqual([]);
    const another = await uploaded(host, file, 'object=person&fileName=bad-owner.csv');
    const bad = await host.request(`${IMPORTS}/${another.id}`, { method: 'PATCH', json: { settings: { ownerId: 'someone' } } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify((await json(bad)).errors)).toContain('ownerId');
  });
});
