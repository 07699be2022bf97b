import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const IMPORTS = '/api/v1/plugins/data-ops/imports';

describeDb('data-ops: imported tasks linked to their people by email and to their companies by name', () => {
  let host: TestHost;
  beforeAll(async () => {
    const plugins = path.join(import.meta.dirname, '../..');
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(plugins, 'data-ops')), await importPluginFolder(path.join(plugins, 'activities'))] });
    await host.enable('data-ops');
    await host.enable('activities');
  });
  afterAll(() => host?.close());

  it('links by email (case aside) and by name; never makes up a person from an email', async () => {
    const ines = await host.client.records('person').create({ firstName: 'Inès', lastName: 'Moreau', email: 'ines.moreau@exemple.fr' });
    const people = (await json(await host.request('/api/v1/records/person?limit=1'))).data.length;
    const upload = await host.request(`${IMPORTS}?object=activity&fileName=tasks.csv`, { method: 'POST', body: fs.readFileSync(path.join(import.meta.dirname, 'fixtures/tasks-fr.csv')) });
    const imported = await json(upload);
    expect(upload.status, JSON.stringify(imported)).toBe(201);
    expect(imported.settings.mapping).toEqual(['subject', 'kind', 'dueAt', 'person', 'company']);
    await host.request(`${IMPORTS}/${imported.id}/start`, { method: 'POST' });
    const done = await eventually(async () => json(await host.request(`${IMPORTS}/${imported.id}`)), (body: Json) => body.status !== 'running', 30_000);
    const rows = (await json(await host.request(`${IMPORTS}/${imported.id}/rows`))).data;
    expect(done.progress, JSON.stringify(rows)).toMatchObject({ created: 3, rejected: 0 });
    const activities = (await json(await host.request(`/api/v1/records/activity?filter=${encodeURIComponent(JSON.stringify({ field: 'id', op: 'in', value: rows.map((row: Json) => row.recordId) }))}&sort=subject`))).data;
    const bySubject = Object.fromEntries(activities.map((activity: Json) => [activity.subject, activity]));
    expect(bySubject['Rappeler pour le devis']).toMatchObject({ kind: 'call', person: ines.id });
    expect(bySubject['Rappeler pour le devis'].dueAt).toBe('2026-03-05T09:00:00.000Z');
    // An email no person has: the link stays empty rather than a person named after the address.
    expect(bySubject['Envoyer la plaquette'].person).toBeNull();
    // A name links too.
    expect(bySubject['Préparer la réunion']).toMatchObject({ kind: 'meeting', person: ines.id });
    const company = bySubject['Rappeler pour le devis'].company;
    expect(company).toBeTruthy();
    expect(bySubject['Envoyer la plaquette'].company).toBe(company);
    expect((await json(await host.request('/api/v1/records/person?limit=1'))).data.length).toBe(people);
  });
});
