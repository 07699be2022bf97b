import net, { type AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { countedRows, createTestServer, describeDb, type TestServer } from '@rapport/testing';
import { answerClientErrors, createApp } from '../src/index';
import { CUSTOM_OBJECT, SPARE_OBJECT } from './fuzz/fixtures';
import { type Json, type Operation, operationsOf, SchemaResolver } from './fuzz/openapi';
import { describeRequest, type FuzzContext, type FuzzRequest, headFits, recordObjectOf, requestArbitrary } from './fuzz/requests';

/*
 * The "bad input" honesty check: every operation of the served OpenAPI document (its dynamic
 * record operations included, for a custom object with many field types) gets malformed
 * requests — wrong-typed, extra and missing body properties, deep, huge and odd JSON, bodies
 * that are not JSON, wrong content types, garbage path parameters and query values, unknown
 * query parameters, bad headers. Whatever it sends, the server must:
 *   - never answer 5xx;
 *   - answer every 4xx as application/problem+json with `type`, `title` and `status` (= the HTTP status);
 *   - write nothing when it refuses: after each 4xx the row count of every table (audit and
 *     outbox included) is what it was. A request that happens to be valid may succeed (2xx):
 *     the counts are then taken again.
 *
 * Reproducible: each operation runs with a fixed seed (RAPPORT_FUZZ_SEED changes the base seed).
 * RAPPORT_FUZZ_RUNS sets the requests per operation, RAPPORT_FUZZ_ONLY (a regular expression on
 * "METHOD /path") narrows the operations, RAPPORT_FUZZ_VERBOSE=1 prints a status summary.
 */

const BASE_SEED = Number(process.env.RAPPORT_FUZZ_SEED ?? 0x5eed_2024);
const RUNS = Number(process.env.RAPPORT_FUZZ_RUNS ?? 20);
const ONLY = process.env.RAPPORT_FUZZ_ONLY ? new RegExp(process.env.RAPPORT_FUZZ_ONLY) : undefined;
const BODY_LIMIT = 512 * 1024;

/**
 * Left out: POST /api/v1/auth/logout ends the caller's session. The fuzz authenticates with an
 * API key, so it could only ever test the cookie-less path, and a garbage cookie that happened
 * to match would sign the run out; it is covered by the session tests instead.
 */
const EXCLUDED = new Set(['POST /api/v1/auth/logout']);

type Counts = Record<string, number>;

const stableSeed = (key: string) => {
  let hash = BASE_SEED | 0;
  for (const char of key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return hash;
};

const SIGN_IN_RECORDS = ['access_audit', 'login_throttle'];

function countsDiff(before: Counts, after: Counts, allowed: string[] = []): string {
  const names = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return names
    .filter((name) => before[name] !== after[name] && !allowed.includes(name))
    .map((name) => `${name}: ${before[name]} -> ${after[name]}`)
    .join(', ');
}

describeDb('bad input honesty (fuzz over the OpenAPI document)', () => {
  let t: TestServer;
  let document: Json;
  let countRows: () => Promise<Counts>;
  const ids: Record<string, string[]> = {};
  let spareKeyId: string;

  const call = async (path: string, init: RequestInit & { json?: unknown } = {}, expected = 201) => {
    const response = await t.request(path, init);
    const text = await response.text();
    expect(response.status, `${init.method ?? 'GET'} ${path}: ${text}`).toBe(expected);
    return text ? JSON.parse(text) : undefined;
  };

  beforeAll(async () => {
    t = await createTestServer({ bodyLimitBytes: BODY_LIMIT });
    await call('/api/v1/metadata/objects', { method: 'POST', json: CUSTOM_OBJECT });
    await call('/api/v1/metadata/objects', { method: 'POST', json: SPARE_OBJECT });
    const company = await call('/api/v1/records/company', { method: 'POST', json: { name: 'Fuzz Co', employees: 3 } });
    const person = await call('/api/v1/records/person', { method: 'POST', json: { firstName: 'Fuzz', lastName: 'Person', email: 'fuzz@example.com' } });
    const thing = await call('/api/v1/records/fuzzThing', {
      method: 'POST',
      json: { title: 'Seed', stage: 'won', budget: { amountMinor: 100, currency: 'EUR' }, company: company.id, people: [{ id: person.id, role: 'lead' }], contact: 'seed@example.com' },
    });
    const trashed = await call('/api/v1/records/fuzzThing', { method: 'POST', json: { title: 'Trashed' } });
    await call(`/api/v1/records/fuzzThing/${trashed.id}`, { method: 'DELETE' }, 204);
    const trashedCompany = await call('/api/v1/records/company', { method: 'POST', json: { name: 'Gone Co' } });
    await call(`/api/v1/records/company/${trashedCompany.id}`, { method: 'DELETE' }, 204);
    ids.company = [company.id, trashedCompany.id];
    ids.person = [person.id];
    ids.fuzzThing = [thing.id, trashed.id];
    spareKeyId = (await call('/api/v1/api-keys', { method: 'POST', json: { name: 'spare' } })).key.id;
    document = await call('/api/v1/openapi.json', {}, 200);

    // One query for the row counts of every table the harness counts.
    const tables = Object.keys(await t.rowCounts());
    const query = sql.join(
      tables.map((name) => sql`select ${name}::text as name, count(*)::int as count from ${countedRows(name)}`),
      sql` union all `,
    );
    countRows = async () => Object.fromEntries((await rows<{ name: string; count: number }>(t.core.database.db, query)).map((row) => [row.name, row.count]));
    expect(await countRows()).toEqual(await t.rowCounts());
  });
  afterAll(() => t?.close());

  it('answers every malformed request to every documented operation with a 4xx problem, and writes nothing', { timeout: 600_000 }, async () => {
    const resolver = new SchemaResolver(document);
    // A live record of version 1 for each record operation (earlier operations may have deleted or changed the seeds).
    const fresh = new Map<string, string[]>();
    const MINIMAL: Record<string, unknown> = { company: { name: 'Fresh Co' }, person: { lastName: 'Fresh' }, fuzzThing: { title: 'Fresh' }, fuzzSpare: { note: 'fresh' } };
    const operations = operationsOf(document);
    const pascal = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
    const fieldPaths = new Map<string, string[]>();
    const context: FuzzContext = {
      resolver,
      fieldPaths(object) {
        if (!fieldPaths.has(object)) {
          const schema = document.components.schemas[pascal(object)] as Json;
          const paths: string[] = [];
          for (const [name, property] of Object.entries<Json>(schema.properties ?? {})) {
            paths.push(name);
            for (const part of resolver.propertyNames(property)) paths.push(`${name}.${part}`);
          }
          fieldPaths.set(object, paths.length > 0 ? paths : ['id']);
        }
        return fieldPaths.get(object)!;
      },
      goodValues(object) {
        const email = fc.uuid().map((uuid) => `${uuid.slice(0, 8)}@example.com`);
        const common = { ownerId: fc.constant(t.admin.id), phone: fc.constantFrom('+33612345678', '0612345678') };
        switch (object) {
          case 'company':
            return { ...common, name: fc.constantFrom('Acme', 'Initech'), domain: fc.constant('acme.com'), employees: fc.nat(1000), annualRevenue: fc.constant({ amountMinor: 100, currency: 'EUR' }), address: fc.constant({ city: 'Paris', country: 'FR' }) };
          case 'person':
            return { ...common, firstName: fc.constant('Ada'), lastName: fc.constant('Lovelace'), email, company: fc.constant(ids.company![0]), optInAt: fc.constant('2020-01-01T00:00:00Z') };
          case 'fuzzThing':
            return {
              ...common,
              title: fc.constantFrom('Thing', 'Other'),
              contact: email,
              site: fc.constant('https://example.com/a'),
              code: fc.constant('AB-12'),
              notes: fc.constant('notes'),
              count: fc.nat(100),
              company: fc.constant(ids.company![0]),
              people: fc.constant([{ id: ids.person![0], role: 'lead' }]),
              budget: fc.constant({ amountMinor: 5, currency: 'USD' }),
            };
          default:
            return common;
        }
      },
      validPathValues(operation, name) {
        const object = recordObjectOf(operation.template);
        if (name === 'id' && object) return [...(fresh.get(object) ?? []), ...(ids[object] ?? []), ids.company![0]!, '6f1c1c2e-4a57-4b8e-9a3e-0c1d2e3f4a5b'];
        if (name === 'id' && operation.template.startsWith('/api/v1/views/')) return [...(fresh.get('view') ?? []), '6f1c1c2e-4a57-4b8e-9a3e-0c1d2e3f4a5b'];
        if (name === 'id') return [spareKeyId, '6f1c1c2e-4a57-4b8e-9a3e-0c1d2e3f4a5b'];
        if (name === 'object') return ['company', 'person', 'fuzzThing', 'fuzzSpare'];
        if (name === 'field') return ['title', 'score', 'notes', 'people', 'company', 'name', 'note'];
        return ['x'];
      },
    };

    // Every operation of the document is fuzzed, the dynamic ones (the custom object's) included.
    const keys = operations.map((operation) => `${operation.method} ${operation.template}`);
    expect(keys).toContain('POST /api/v1/records/fuzzThing');
    expect(keys).toContain('PATCH /api/v1/metadata/objects/{object}/fields/{field}');
    // Deleting objects and fields last, so that the other operations still find them.
    const destructive = (operation: Operation) => operation.method === 'DELETE' && operation.template.startsWith('/api/v1/metadata/');
    const fuzzed = operations
      .filter((operation) => !EXCLUDED.has(`${operation.method} ${operation.template}`))
      .sort((a, b) => Number(destructive(a)) - Number(destructive(b)));
    expect(fuzzed.length).toBe(operations.length - EXCLUDED.size);

    const send = async (request: FuzzRequest) => {
      const headers = new Headers({ authorization: `Bearer ${t.apiKey}` });
      for (const [name, value] of Object.entries(request.headers)) {
        if (value === null) headers.delete(name);
        else headers.set(name, value);
      }
      // A string body without a content type would get text/plain from fetch: send bytes instead.
      const body = typeof request.body === 'string' && !headers.has('content-type') ? new TextEncoder().encode(request.body) : request.body;
      const response = await fetch(`${t.url}${request.target}`, { method: request.method, headers, body, redirect: 'manual' });
      return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
    };

    const statuses = new Map<string, number>();
    const failures: string[] = [];
    let requests = 0;
    const started = performance.now();
    for (const operation of fuzzed) {
      const key = `${operation.method} ${operation.template}`;
      if (ONLY && !ONLY.test(key)) continue;
      const object = recordObjectOf(operation.template);
      if (object) {
        const created = await t.request(`/api/v1/records/${object}`, { method: 'POST', json: MINIMAL[object] ?? {} });
        fresh.set(object, created.status === 201 ? [((await created.json()) as { id: string }).id] : []);
      }
      if (operation.template.startsWith('/api/v1/views/')) {
        // A saved view of the custom object, shared, with a filter and a sort, for each operation on one.
        const view = { object: 'fuzzThing', name: 'Fresh view', columns: ['title', 'stage'], filter: { field: 'stage', op: 'in', value: ['won'] }, sort: '-createdAt', groupBy: 'stage', visibility: 'workspace' };
        const created = await t.request('/api/v1/views', { method: 'POST', json: view });
        expect(created.status).toBe(201);
        fresh.set('view', [((await created.json()) as { id: string }).id]);
      }
      let baseline = await countRows();
      const property = fc.asyncProperty(requestArbitrary(operation, context), async (request) => {
        fc.pre(headFits(request));
        requests++;
        let answer: Awaited<ReturnType<typeof send>>;
        try {
          answer = await send(request);
        } catch (error) {
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          throw new Error(`the request failed at the HTTP level (${(error as Error).message}: ${cause?.code ?? ''} ${cause?.message ?? ''})\n${describeRequest(request)}`);
        }
        const { status, contentType, text } = answer;
        const tally = `${key} ${status}`;
        statuses.set(tally, (statuses.get(tally) ?? 0) + 1);
        const report = (what: string) => `${what}\n${describeRequest(request)}\nanswer: ${status} ${contentType}\n  ${text.length > 600 ? `${text.slice(0, 600)}…` : text}`;
        if (status >= 500) throw new Error(report(`a ${status} answer`));
        if (status >= 400) {
          if (!contentType.startsWith('application/problem+json')) throw new Error(report(`a ${status} answer that is not application/problem+json`));
          let problem: Json;
          try {
            problem = JSON.parse(text);
          } catch {
            throw new Error(report(`a ${status} answer whose body is not JSON`));
          }
          if (typeof problem?.type !== 'string' || !problem.type || typeof problem.title !== 'string' || !problem.title || problem.status !== status) {
            throw new Error(report(`a ${status} problem without type, title, or with another status`));
          }
          const after = await countRows();
          // A refused sign-in is recorded on purpose (access audit, lockout counter): that is the only write a refusal may make.
          const signIn = operation.template.startsWith('/api/v1/auth/') && (status === 401 || status === 429);
          const diff = countsDiff(baseline, after, signIn ? SIGN_IN_RECORDS : []);
          if (signIn) baseline = after;
          if (diff) {
            baseline = after;
            throw new Error(report(`a refused request (${status}) that wrote rows: ${diff}`));
          }
        } else {
          baseline = await countRows();
        }
      });
      const details = await fc.check(property, { seed: stableSeed(key), numRuns: RUNS });
      if (details.failed) {
        failures.push(`${key} — seed ${details.seed}, path "${details.counterexamplePath}" (rerun: RAPPORT_FUZZ_ONLY='^${key.replace(/[{}]/g, '\\$&')}$')\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`);
      }
    }

    if (process.env.RAPPORT_FUZZ_VERBOSE) {
      const byClass = new Map<string, number>();
      for (const [tally, count] of statuses) {
        const status = tally.split(' ').at(-1)!;
        byClass.set(status, (byClass.get(status) ?? 0) + count);
      }
      console.info(`fuzz: ${requests} requests over ${fuzzed.length} operations in ${Math.round(performance.now() - started)} ms; statuses ${JSON.stringify(Object.fromEntries([...byClass].sort()))}`);
      for (const operation of fuzzed) {
        const key = `${operation.method} ${operation.template}`;
        const mine = [...statuses].filter(([tally]) => tally.startsWith(`${key} `)).map(([tally, count]) => `${tally.slice(key.length + 1)}×${count}`);
        console.info(`  ${key}: ${mine.join(' ')}`);
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
  });

  // The fuzz keeps request heads under 16 KiB: past that (or on a request that is not HTTP) Node's
  // parser answers before the app. The server answers those as problem+json too (answerClientErrors).
  it('answers the requests that Node refuses before the app as problem+json', async () => {
    const { app } = createApp({ core: t.core, log: pino({ level: 'silent' }), bodyLimitBytes: BODY_LIMIT });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
    });
    answerClientErrors(server);
    const { port } = server.address() as AddressInfo;
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    try {
      const cases: [string, number][] = [
        [`GET /api/v1/records/company?filter=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 431],
        [`GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`, 431],
        ['GET /api/v1/health HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400],
        ['GARBAGE\r\n\r\n', 400],
        ['POST /api/v1/records/company HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n{}', 400],
      ];
      for (const [request, status] of cases) {
        const answer = await raw(request);
        const [head, body] = answer.split('\r\n\r\n');
        expect(head, request.slice(0, 80)).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
        expect(head!.toLowerCase(), request.slice(0, 80)).toContain('content-type: application/problem+json');
        expect(JSON.parse(body!)).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
      }
    } finally {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
    }
  });
});
