import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows as query } from '@rapport/db';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer, refuse } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const IMPORTS = '/api/v1/plugins/data-ops/imports';
/** Rows per batch of a run (`BATCH_ROWS`): the duplicates below sit in the batch after their first row. */
const BATCH = 500;

/** People whose write takes a second: the batch that has them is still being written when the next one looks. */
const SLOW = new Set(['p10@batches.test', 'john.smith@batches.test', 'p1500@batches.test']);
/** …and one it refuses, which rolls its batch back while the next one is being written. */
const slowWrites: PluginModule = (() => {
  const manifest = defineManifest({ id: 'slow-writes', version: '1.0.0', engines: { rapport: '^1.0.0' }, displayName: { en: 'Slow writes' } });
  return {
    manifest,
    load: async () =>
      defineServer(manifest, (ctx) => {
        ctx.events.before('person', async (write) => {
          const email = String(write.after.email ?? '').toLowerCase();
          if (SLOW.has(email)) await new Promise((resolve) => setTimeout(resolve, 1000));
          if (email === 'refused@batches.test') throw refuse('Not this one', [{ field: 'email', code: 'refused', message: 'is refused by the slow-writes plugin' }]);
        });
      }),
  };
})();

/**
 * On PostgreSQL a run reads and matches a batch while the one before is still being written. These
 * files put a row's duplicate, a company's second mention and a record's second update in the next
 * batch, where the lookups would not see the first one unless the run waits for it.
 */
describeDb('data-ops: import across batches', () => {
  let host: TestHost;
  const header = 'Prénom;Nom;Email;Téléphone;Société';
  /** A name of its own for each number (names alike would be taken as the same person). */
  const word = (seed: number) => {
    let state = Math.imul(seed, 2654435761) >>> 0;
    let text = '';
    for (let index = 0; index < 7; index += 1) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      text += String.fromCharCode(97 + ((state >>> 16) % 26));
    }
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  const person = (n: number) => `${word(n)};${word(n + 100_000)};p${n}@batches.test;+33 6 10 ${String(Math.floor(n / 100) % 100).padStart(2, '0')} ${String(n % 100).padStart(2, '0')} 00;Maison ${n % 40}`;

  const run = async (lines: string[], settings: Record<string, unknown>) => {
    const file = Buffer.from(`${[header, ...lines].join('\n')}\n`);
    const uploaded = await host.request(`${IMPORTS}?object=person&fileName=batches.csv`, { method: 'POST', body: file, headers: { 'content-type': 'application/octet-stream' } });
    const { id } = await json(uploaded);
    expect(uploaded.status).toBe(201);
    const patched = await host.request(`${IMPORTS}/${id}`, { method: 'PATCH', json: { settings } });
    expect(patched.status, JSON.stringify(await patched.clone().json())).toBe(200);
    expect((await host.request(`${IMPORTS}/${id}/start`, { method: 'POST' })).status).toBe(202);
    const done = await eventually(
      async () => json(await host.request(`${IMPORTS}/${id}`)),
      (body: Json) => body.status !== 'running',
      60_000,
    );
    expect(done.status, JSON.stringify(done)).toBe('done');
    const rows = new Map<number, Json>();
    for (let after = 0; after !== null; ) {
      const page = await json(await host.request(`${IMPORTS}/${id}/rows?after=${after}&limit=500`));
      for (const row of page.data) rows.set(row.rowNo, row);
      after = page.nextAfter;
    }
    return { progress: done.progress, rows };
  };
  const count = async (object: string, filter: unknown) => {
    let total = 0;
    for (let cursor: string | null = null; ; ) {
      const page: Json = await json(await host.request(`/api/v1/records/${object}?filter=${encodeURIComponent(JSON.stringify(filter))}&limit=500${cursor ? `&cursor=${cursor}` : ''}`));
      total += page.data.length;
      if (!page.pageInfo.hasMore) return total;
      cursor = page.pageInfo.nextCursor;
    }
  };

  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..')), slowWrites] });
    await host.enable('data-ops');
    await host.enable('slow-writes');
  });
  afterAll(() => host?.close());

  it('finds a row’s duplicate in the next batch by email or by a similar name, and creates a company named in two batches once', async () => {
    // The companies exist: only the one named below is created, so each batch below waits for one reason only.
    const companies = await host.request('/api/v1/records/company/batch', { method: 'POST', json: { operation: 'create', records: [...Array.from({ length: 40 }, (_, index) => ({ name: `Maison ${index}` })), { name: 'Maison Smith' }] } });
    expect(companies.status).toBe(200);
    const lines = Array.from({ length: 4 * BATCH }, (_, index) => person(index + 1));
    lines[BATCH + 9] = `Autre;Personne;P10@Batches.test;;Maison 7`; // row 510: the email of row 10
    lines[BATCH + 19] = `John;Smith;john.smith@batches.test;;Maison Smith`; // row 520
    lines[2 * BATCH + 19] = `Jon;Smith;;;Maison Smith`; // row 1020: row 520's name, one letter off, same company
    // A company no record has yet, named last in the third batch and first in the fourth.
    lines[3 * BATCH - 1] = `${word(3 * BATCH)};${word(3 * BATCH + 100_000)};p${3 * BATCH}@batches.test;;Nouvelle Maison`;
    lines[3 * BATCH] = `${word(3 * BATCH + 1)};${word(3 * BATCH + 100_001)};p${3 * BATCH + 1}@batches.test;;nouvelle maison`;
    const { progress, rows } = await run(lines, { duplicates: { mode: 'skip', fuzzy: true }, missingRelations: 'create' });

    expect(progress).toMatchObject({ total: 4 * BATCH, processed: 4 * BATCH, created: 4 * BATCH - 2, skipped: 2, rejected: 0 });
    expect(rows.get(BATCH + 10)).toMatchObject({ status: 'skipped', match: { recordId: rows.get(10).recordId, fields: ['email'] } });
    expect(rows.get(2 * BATCH + 20)).toMatchObject({ status: 'skipped', match: { recordId: rows.get(BATCH + 20).recordId } });
    expect(await count('person', { field: 'email', op: 'contains', value: '@batches.test' })).toBe(4 * BATCH - 2);
    expect(await count('company', { field: 'name', op: 'startsWith', value: 'Nouvelle Maison' })).toBe(1);
    expect(rows.get(3 * BATCH + 1).recordId).not.toBe(rows.get(3 * BATCH).recordId);
  });

  it('updates a record named in two batches one row after the other', async () => {
    const lines = Array.from({ length: 2 * BATCH }, (_, index) => person(index + 1));
    // The same person by their email in the first batch, by their phone only in the second.
    lines[9] = `${word(10)};${word(100_010)};p10@batches.test;;Première`;
    lines[BATCH + 9] = `${word(10)};${word(100_010)};;${person(10).split(';')[3]};Seconde`;
    const { progress, rows } = await run(lines, { duplicates: { mode: 'update', fuzzy: false }, missingRelations: 'create' });

    // Every row names someone the first file made, but row 520 (John Smith was there).
    expect(progress).toMatchObject({ processed: 2 * BATCH, created: 1, updated: 2 * BATCH - 1, rejected: 0 });
    expect(rows.get(BATCH + 10).recordId).toBe(rows.get(10).recordId);
    const one = async (object: string, filter: unknown) => (await json(await host.request(`/api/v1/records/${object}?filter=${encodeURIComponent(JSON.stringify(filter))}`))).data;
    const [record] = await one('person', { field: 'email', op: 'eq', value: 'p10@batches.test' });
    const [first] = await one('company', { field: 'name', op: 'eq', value: 'Première' });
    const [second] = await one('company', { field: 'name', op: 'eq', value: 'Seconde' });
    expect(record.company).toBe(second.id);
    // The second row changed the record as the first row left it: that is what it keeps for undo.
    const [kept] = await query<{ previous: Json }>(host.core.database.db, sql`select previous from plugin_data_ops.import_row where record_id = ${record.id} and row_no = ${BATCH + 10}`);
    expect(kept!.previous.company).toBe(first.id);
  });

  it('writes the other rows of a batch refused while the next one was being written, each once', async () => {
    const lines = Array.from({ length: 3 * BATCH }, (_, index) => person(index + 1));
    lines[299] = `${word(300)};${word(100_300)};refused@batches.test;;Maison 3`;
    const { progress, rows } = await run(lines, { duplicates: { mode: 'create', fuzzy: false }, missingRelations: 'create' });

    expect(progress).toMatchObject({ processed: 3 * BATCH, created: 3 * BATCH - 1, rejected: 1 });
    expect(rows.get(300)).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/refused by the slow-writes plugin/) });
    const made = [...rows.values()].filter((row) => row.status === 'created').map((row) => row.recordId);
    expect(new Set(made).size).toBe(3 * BATCH - 1);
  });
});
