import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, sendBadInput, type TestHost } from '@rapport/testing';

/*
 * Every route of the plugin, given garbage in its path, query and body: never a 5xx, and every
 * refusal a problem+json (a CSV whose first cell opened a quote was a 502). The generic garbage is
 * @rapport/testing's; these bodies are the shapes of this plugin's own routes, made wrong.
 */
const BODIES = [
  '{"settings":{"mapping":[null],"duplicates":{"mode":"zz"}}}',
  '{"name":"x","mapping":{"Nom":123}}',
  '{"survivorId":"x","mergedIds":["y"],"values":{}}',
  '{"survivorId":"00000000-0000-0000-0000-000000000000","mergedIds":[],"values":[]}',
  '{"format":"pdf","filter":{"field":"nope","op":"eq","value":1},"columns":["nope"]}',
  '{"object":"person","metric":"duplicates","direction":"above","unit":"count","threshold":-1e309}',
];

describeDb('data-ops: bad input to every route', () => {
  let host: TestHost;
  let importId: string;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.enable('data-ops');
    const uploaded = await host.request('/api/v1/plugins/data-ops/imports?object=person&fileName=a.csv', { method: 'POST', body: 'Nom;Email\nDupont;a@b.fr\n', headers: { 'content-type': 'text/csv' } });
    importId = ((await uploaded.json()) as { id: string }).id;
  });
  afterAll(() => host?.close());

  it('answers garbage with a 4xx problem, never a 5xx', { timeout: 300_000 }, async () => {
    const report = await sendBadInput(host, 'data-ops', { params: { object: ['person'], id: [importId] }, bodies: BODIES, queries: ['?object=person&fileName=x.csv', '?object=person&encoding=zz&delimiter=%00&fileName=x'] });
    expect(report.routes).toBeGreaterThanOrEqual(26);
    expect(report.wrong).toEqual([]);
  });
});
