import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost } from '@rapport/testing';

/*
 * Every route of the plugin, given garbage in its path, query and body: never a 5xx, and every
 * refusal a problem+json. The core's fuzz covers the documented core operations; this covers the
 * plugin's own routes, which it does not reach (a CSV whose first cell opened a quote was a 502).
 */

const BASE = '/api/v1/plugins/data-ops';
const ROUTES: [method: string, route: string][] = [
  ['GET', '/quality/:object'],
  ['GET', '/quality/:object/history'],
  ['POST', '/quality/:object/snapshot'],
  ['POST', '/quality/:object/tracking'],
  ['GET', '/quality-alerts'],
  ['POST', '/quality-alerts'],
  ['DELETE', '/quality-alerts/:id'],
  ['GET', '/export/:object'],
  ['POST', '/export/:object'],
  ['GET', '/duplicates/:object/:id'],
  ['POST', '/imports'],
  ['GET', '/imports'],
  ['GET', '/imports/:id'],
  ['PATCH', '/imports/:id'],
  ['GET', '/imports/:id/preview'],
  ['POST', '/imports/:id/start'],
  ['GET', '/imports/:id/rows'],
  ['GET', '/imports/:id/rejected.csv'],
  ['POST', '/imports/:id/undo'],
  ['DELETE', '/imports/:id'],
  ['GET', '/import-templates'],
  ['POST', '/import-templates'],
  ['DELETE', '/import-templates/:id'],
  ['POST', '/merges/:object'],
  ['GET', '/merges/:object/:id'],
  ['POST', '/merges/:id/undo'],
];
const OBJECTS = ['person', 'nothing', '%00', '__proto__', 'a'.repeat(300)];
const QUERIES = ['', '?status=zz&limit=-1', '?limit=1e9&cursor=%00', '?days=-5&stale=zz', '?filter=%7B&format=zz&columns=a,%00', '?object=person&fileName=x.csv', '?object=person&encoding=zz&delimiter=%00&fileName=x'];
const BODIES = [
  undefined,
  'null',
  '[]',
  '"x"',
  '{}',
  '{"a":1}',
  'not json',
  '{"settings":{"mapping":[null],"duplicates":{"mode":"zz"}}}',
  `{"name":"${'é'.repeat(5000)}","mapping":{"Nom":123}}`,
  '{"survivorId":"x","mergedIds":["y"],"values":{}}',
  '{"survivorId":"00000000-0000-0000-0000-000000000000","mergedIds":[],"values":[]}',
  '{"format":"pdf","filter":{"field":"nope","op":"eq","value":1},"columns":["nope"]}',
  '{"object":"person","metric":"duplicates","direction":"above","unit":"count","threshold":-1e309}',
  '{"enabled":"yes","__proto__":{"polluted":true}}',
];

describeDb('data-ops: bad input to every route', () => {
  let host: TestHost;
  let importId: string;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.enable('data-ops');
    const uploaded = await host.request(`${BASE}/imports?object=person&fileName=a.csv`, { method: 'POST', body: 'Nom;Email\nDupont;a@b.fr\n', headers: { 'content-type': 'text/csv' } });
    importId = ((await uploaded.json()) as { id: string }).id;
  });
  afterAll(() => host?.close());

  it('answers garbage with a 4xx problem, never a 5xx', { timeout: 300_000 }, async () => {
    const ids = ['x', '00000000-0000-0000-0000-000000000000', '%00', "'", importId];
    const wrong: string[] = [];
    let sent = 0;
    for (const [method, route] of ROUTES) {
      const objects = route.includes(':object') ? OBJECTS : ['person'];
      const routeIds = route.includes(':id') ? ids : ['x'];
      const withBody = method !== 'GET' && method !== 'DELETE';
      for (const object of objects) {
        for (const id of routeIds) {
          const url = `${BASE}${route.replace(':object', encodeURIComponent(object)).replace(':id', encodeURIComponent(id))}`;
          // Each query once, each body once: enough to reach every parser, not every combination.
          const cases = withBody ? BODIES.map((body, index) => ({ query: QUERIES[index % QUERIES.length]!, body })) : QUERIES.map((query) => ({ query, body: undefined }));
          for (const { query, body } of cases) {
            sent++;
            const response = await host.request(`${url}${query}`, { method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
            const type = response.headers.get('content-type') ?? '';
            if (response.status >= 500 || (response.status >= 400 && !type.includes('application/problem+json'))) {
              wrong.push(`${response.status} ${method} ${url.slice(0, 120)}${query} ${String(body).slice(0, 60)}: ${(await response.text()).slice(0, 200)}`);
            } else await response.arrayBuffer();
          }
        }
      }
    }
    expect(sent).toBeGreaterThan(1000);
    expect(wrong).toEqual([]);
  });
});
