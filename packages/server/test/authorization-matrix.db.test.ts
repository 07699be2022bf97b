import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '@rapport/db';
import type { Actor, RoleDefinition } from '@rapport/core';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer, type PluginEvent } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, eventually, importPluginFolder, type TestServer } from '@rapport/testing';

/*
 * The authorization matrix. Nothing here is written per role: for every object (a custom one
 * included) × role (every preset and a custom one) × path × record × field, the expected answer
 * is computed from the role's definition as the API reports it, and from who owns and shares each
 * record — a model independent of the server's code — then checked through real HTTP.
 */

type Json = any;
type Scope = 'none' | 'own' | 'team' | 'all';
interface Rights {
  read: Scope;
  create: boolean;
  update: Scope;
  delete: Scope;
  fields: Record<string, 'hidden' | 'read' | 'write'>;
}

const CUSTOM_OBJECT = {
  name: 'project',
  labels: { singular: { en: 'Project', fr: 'Projet' }, plural: { en: 'Projects', fr: 'Projets' } },
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: { en: 'Title' }, required: true, searchable: true },
    { name: 'codename', type: 'text', labels: { en: 'Code name' }, searchable: true },
    { name: 'budget', type: 'number', labels: { en: 'Budget' }, indexed: true },
    { name: 'client', type: 'relation', labels: { en: 'Client' }, relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'projects', labels: { en: 'Projects' } } } },
  ],
};

/** A role made at run time, with hidden and read-only fields on core and custom objects. */
const CUSTOM_ROLE = {
  key: 'field_auditor',
  labels: { en: 'Field auditor', fr: 'Auditeur terrain' },
  definition: {
    objects: {
      '*': { read: 'team', create: true, update: 'own', delete: 'none', fields: {} },
      person: { read: 'all', create: false, update: 'none', delete: 'none', fields: { email: 'hidden', phone: 'read' } },
      project: { read: 'own', create: true, update: 'own', delete: 'own', fields: { codename: 'hidden', budget: 'read' } },
    },
    export: false,
    import: false,
    // Settings: it may create webhooks, which carry its narrower rights.
    admin: { settings: true, users: false, plugins: false, audit: false },
  },
};

/** A role that names one object only: every other object (custom ones included) is out of reach. */
const NARROW_ROLE = {
  key: 'companies_only',
  labels: { en: 'Companies only', fr: 'Entreprises seulement' },
  definition: {
    objects: { company: { read: 'own', create: true, update: 'own', delete: 'own', fields: { domain: 'hidden' } } },
    export: false,
    import: false,
    admin: { settings: false, users: false, plugins: false, audit: false },
  },
};

const OBJECTS = ['company', 'person', 'project'] as const;
type ObjectName = (typeof OBJECTS)[number];
/** Each object's label field, and a field every role that may update it may write. */
const LABEL: Record<ObjectName, string> = { company: 'name', person: 'lastName', project: 'title' };
const HARMLESS: Record<ObjectName, string> = { company: 'employees', person: 'jobTitle', project: 'title' };
const RELATION: Partial<Record<ObjectName, { field: string; target: ObjectName }>> = { person: { field: 'company', target: 'company' }, project: { field: 'client', target: 'company' } };

interface Cast {
  role: string;
  subject: string;
  report: string;
  teammate: string;
  token: string;
}

interface TestRecord {
  object: ObjectName;
  id: string;
  ownerId: string;
  /** The subject whose cast this record belongs to, and how it is shared with them. */
  cast: string;
  share: 'read' | 'edit' | null;
  relationTarget?: string;
}

const json = async (response: Response): Promise<Json> => response.json();

/**
 * A plugin that looks through every plugin path: its routes and jobs act as the caller (`tools.records`,
 * `tools.jobs`), its subscriber as its service identity — own companies (it owns none), all people, no project.
 */
const probeSeen: PluginEvent[] = [];
const probeJobs = new Map<string, { ids?: string[]; status?: number }>();
const probeManifest = defineManifest({
  id: 'matrix-probe',
  version: '1.0.0',
  engines: { rapport: '^1.0.0' },
  displayName: { en: 'Matrix probe' },
  events: ['record.updated'],
  permissions: { objects: { company: { read: 'own' }, person: { read: 'all' } } },
  jobs: [{ name: 'list-as-caller' }],
});
const mxFilter = (object: string) => ({ field: object === 'company' ? 'name' : object === 'person' ? 'lastName' : 'title', op: 'startsWith', value: 'mx' });
const probe: PluginModule = {
  manifest: probeManifest,
  load: async () =>
    defineServer(probeManifest, (ctx) => {
      ctx.events.on('record.updated', async (event) => void probeSeen.push(event));
      ctx.http.get('/records/:object', async (c, { records }) => {
        const object = c.req.param('object') ?? '';
        return c.json({ ids: (await records.list(object, { filter: mxFilter(object), limit: 500 })).data.map((record) => record.id) });
      });
      // The plugin's own identity (ctx.records), whoever calls.
      ctx.http.get('/service/:object', async (c, { caller }) => {
        const object = c.req.param('object') ?? '';
        return c.json({ ids: (await ctx.records(caller.workspaceId).list(object, { filter: mxFilter(object), limit: 500 })).data.map((record) => record.id) });
      });
      ctx.http.post('/jobs/:object/:key', async (c, { jobs, caller }) => c.json({ job: await jobs.enqueue('list-as-caller', { object: c.req.param('object'), key: c.req.param('key'), workspaceId: caller.workspaceId }) }, 202));
      ctx.jobs.handle('list-as-caller', async (data, recordsIn) => {
        const object = String(data.object);
        try {
          probeJobs.set(String(data.key), { ids: (await recordsIn(String(data.workspaceId)).list(object, { filter: mxFilter(object), limit: 500 })).data.map((record) => record.id) });
        } catch (error) {
          probeJobs.set(String(data.key), { status: (error as { status?: number }).status ?? 500 });
        }
      });
    }),
};

describeDb('authorization matrix (generated from the metadata and the role definitions)', () => {
  let t: TestServer;
  let stranger: string;
  const casts: Cast[] = [];
  const records: TestRecord[] = [];
  const definitions = new Map<string, RoleDefinition>();
  let cases = 0;

  const as = (token: string, path: string, init: RequestInit & { json?: unknown } = {}) => t.request(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${token}` } });
  const check = (actual: unknown, expected: unknown, what: string) => {
    cases++;
    expect(actual, what).toEqual(expected);
  };

  beforeAll(async () => {
    // The data-ops plugin carries the export path (the core's records.export behind it).
    // Webhooks go to a receiver on this machine; events are delivered (to webhooks and the probe's subscriber).
    t = await createTestServer({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '../../../plugins/data-ops')), probe], webhooks: { privateHosts: ['localhost'] } });
    await t.core.events.start();
    expect((await t.request('/api/v1/plugins/data-ops/enable', { method: 'POST' })).status).toBe(200);
    expect((await t.request('/api/v1/plugins/matrix-probe/enable', { method: 'POST' })).status).toBe(200);
    const adminAccess = await t.core.access.resolve(t.admin);
    expect((await t.request('/api/v1/metadata/objects', { method: 'POST', json: CUSTOM_OBJECT })).status).toBe(201);
    expect((await t.request('/api/v1/roles', { method: 'POST', json: CUSTOM_ROLE })).status).toBe(201);
    expect((await t.request('/api/v1/roles', { method: 'POST', json: NARROW_ROLE })).status).toBe(201);
    const roles = (await json(await t.request('/api/v1/roles'))).data as { key: string; definition: RoleDefinition }[];
    for (const role of roles) definitions.set(role.key, role.definition);

    const user = async (name: string, role: string) => (await t.core.identity.createUser(t.admin.workspaceId, { email: `${name}@matrix.test`, name, role, password: 'a long enough password' })).user.id;
    stranger = await user('stranger', 'sales_rep');
    for (const role of definitions.keys()) {
      const subject = await user(`${role}-subject`, role);
      const report = await user(`${role}-report`, 'sales_rep');
      const teammate = await user(`${role}-teammate`, 'sales_rep');
      await t.core.members.update(adminAccess, report, { managerId: subject });
      await t.core.teams.create(adminAccess, { name: `team ${role}`, members: [subject, teammate] });
      const actor: Actor = { kind: 'user', id: subject, userId: subject, workspaceId: t.admin.workspaceId };
      const { token } = await t.core.identity.createApiKey(actor, { name: `${role} key` });
      casts.push({ role, subject, report, teammate, token });
    }

    // Six records per object and cast: the subject's, their report's, their teammate's, a stranger's,
    // and two of the stranger's shared with the subject (to read; to edit).
    let serial = 0;
    for (const object of OBJECTS) {
      const plans = casts.flatMap((cast) =>
        [
          { ownerId: cast.subject, share: null },
          { ownerId: cast.report, share: null },
          { ownerId: cast.teammate, share: null },
          { ownerId: stranger, share: null },
          { ownerId: stranger, share: 'read' as const },
          { ownerId: stranger, share: 'edit' as const },
        ].map((plan) => ({ ...plan, cast: cast.subject })),
      );
      const companies = records.filter((record) => record.object === 'company');
      const body = plans.map((plan, index) => {
        serial++;
        const label = `mx ${object} ${serial}`;
        const target = companies[(index * 7) % Math.max(companies.length, 1)];
        if (object === 'company') return { name: label, employees: serial, domain: `c${serial}.test`, annualRevenue: { amountMinor: serial * 100, currency: 'EUR' }, ownerId: plan.ownerId };
        if (object === 'person') return { lastName: label, email: `secret${serial}@hidden.test`, phone: '+33612345678', company: target!.id, ownerId: plan.ownerId };
        return { title: label, codename: `cx${serial}`, budget: serial, client: target!.id, ownerId: plan.ownerId };
      });
      const created = await t.request(`/api/v1/records/${object}/batch`, { method: 'POST', json: { operation: 'create', records: body } });
      expect(created.status, await created.clone().text()).toBe(200);
      const data = (await json(created)).data as Json[];
      data.forEach((record, index) => {
        const plan = plans[index]!;
        const relation = RELATION[object];
        records.push({ object, id: record.id, ownerId: plan.ownerId, cast: plan.cast, share: plan.share, relationTarget: relation ? record[relation.field] : undefined });
      });
    }
    for (const record of records.filter((candidate) => candidate.share)) {
      const shared = await t.request(`/api/v1/records/${record.object}/${record.id}/shares`, { method: 'POST', json: { userId: record.cast, access: record.share } });
      expect(shared.status, await shared.clone().text()).toBe(201);
    }
  }, 300_000);
  afterAll(async () => {
    console.log(`authorization matrix: ${cases} cases over ${casts.length} roles × ${OBJECTS.length} objects`);
    await t?.close();
  });

  // --- the model -------------------------------------------------------------------------------
  const rightsOf = (role: string, object: string): Rights => {
    const definition = definitions.get(role)!;
    return (definition.objects[object] ?? definition.objects['*'] ?? { read: 'none', create: false, update: 'none', delete: 'none', fields: {} }) as Rights;
  };
  const reaches = (cast: Cast, scope: Scope, owner: string): boolean => {
    if (scope === 'all') return true;
    if (scope === 'none') return false;
    const own = [cast.subject, cast.report];
    return (scope === 'own' ? own : [...own, cast.teammate]).includes(owner);
  };
  const sharedWith = (cast: Cast, record: TestRecord) => (record.cast === cast.subject ? record.share : null);
  const canRead = (cast: Cast, record: TestRecord) => {
    const { read } = rightsOf(cast.role, record.object);
    return read !== 'none' && (reaches(cast, read, record.ownerId) || sharedWith(cast, record) !== null);
  };
  const canUpdate = (cast: Cast, record: TestRecord) => {
    const { update } = rightsOf(cast.role, record.object);
    return update !== 'none' && (reaches(cast, update, record.ownerId) || sharedWith(cast, record) === 'edit');
  };
  const canDelete = (cast: Cast, record: TestRecord) => reaches(cast, rightsOf(cast.role, record.object).delete, record.ownerId);
  const hiddenFields = (role: string, object: string) =>
    Object.entries(rightsOf(role, object).fields)
      .filter(([, access]) => access === 'hidden')
      .map(([name]) => name);
  /** The records of the subject's cast and of the next cast: both sides of every rule, at a bounded cost. */
  const sample = (cast: Cast, object: ObjectName) => {
    const next = casts[(casts.indexOf(cast) + 1) % casts.length]!;
    return records.filter((record) => record.object === object && (record.cast === cast.subject || record.cast === next.subject));
  };
  const ofObject = (object: ObjectName) => records.filter((record) => record.object === object);
  const sorted = (ids: Iterable<string>) => [...ids].sort();

  let adminKeys: Map<ObjectName, string[]>;
  const adminSamples = new Map<ObjectName, Json>();
  /** Always a new value, so that every allowed update really changes something (and is audited). */
  let changes = 0;
  const harmlessValue = (object: ObjectName) => (changes++, object === 'company' ? 1000 + changes : object === 'person' ? `Title ${changes}` : `mx project changed ${changes}`);
  const expectedKeys = (role: string, object: ObjectName) => adminKeys.get(object)!.filter((key) => !hiddenFields(role, object).includes(key)).sort();

  it('reads: list, query, get, search, expand and timeline show exactly the allowed records and fields', async () => {
    adminKeys = new Map();
    for (const object of OBJECTS) {
      const sampleRecord = await json(await t.request(`/api/v1/records/${object}/${ofObject(object)[0]!.id}`));
      adminSamples.set(object, sampleRecord);
      adminKeys.set(object, Object.keys(sampleRecord).sort());
    }
    for (const cast of casts) {
      for (const object of OBJECTS) {
        const where = `${cast.role} × ${object}`;
        const rights = rightsOf(cast.role, object);
        const filter = encodeURIComponent(JSON.stringify({ field: LABEL[object], op: 'startsWith', value: 'mx' }));
        const list = await as(cast.token, `/api/v1/records/${object}?limit=500&filter=${filter}`);
        const query = await as(cast.token, `/api/v1/records/${object}/query`, { method: 'POST', json: { filter: { field: LABEL[object], op: 'startsWith', value: 'mx' }, limit: 500 } });
        const search = await as(cast.token, `/api/v1/search?q=mx&objects=${object}&limit=100`);
        if (rights.read === 'none') {
          check([list.status, query.status, search.status], [403, 403, 403], `${where}: no read right`);
          continue;
        }
        const expected = sorted(ofObject(object).filter((record) => canRead(cast, record)).map((record) => record.id));
        const listed = (await json(list)).data as Json[];
        check(sorted(listed.map((record) => record.id)), expected, `${where}: list`);
        check(sorted(((await json(query)).data as Json[]).map((record) => record.id)), expected, `${where}: query`);
        for (const record of listed) check(Object.keys(record).sort(), expectedKeys(cast.role, object), `${where}: fields of ${record.id}`);
        const hits = (await json(search)).data as Json[];
        check(sorted(hits.map((hit) => hit.id)), expected, `${where}: search`);
        for (const hit of hits) check(hiddenFields(cast.role, object).includes(hit.matchedField), false, `${where}: search matched a hidden field`);

        const relation = RELATION[object];
        if (relation) {
          const expanded = (await json(await as(cast.token, `/api/v1/records/${object}?limit=500&filter=${filter}&expand=${relation.field}`))).data as Json[];
          for (const record of expanded) {
            const target = records.find((candidate) => candidate.id === ofObject(object).find((source) => source.id === record.id)!.relationTarget)!;
            const value = record[relation.field];
            check(typeof value === 'object' && value !== null ? value.id : null, canRead(cast, target) ? target.id : null, `${where}: expand ${relation.field} of ${record.id}`);
            if (typeof value === 'object' && value !== null) check(Object.keys(value).sort(), expectedKeys(cast.role, relation.target), `${where}: fields of the expanded ${relation.target}`);
          }
        }
        for (const record of sample(cast, object)) {
          const got = await as(cast.token, `/api/v1/records/${object}/${record.id}`);
          check(got.status, canRead(cast, record) ? 200 : 404, `${where}: get ${record.id}`);
          if (got.status === 200) check(Object.keys(await json(got)).sort(), expectedKeys(cast.role, object), `${where}: get fields`);
          const timeline = await as(cast.token, `/api/v1/records/${object}/${record.id}/timeline`);
          check(timeline.status, canRead(cast, record) ? 200 : 404, `${where}: timeline ${record.id}`);
          if (timeline.status === 200) {
            const fields = ((await json(timeline)).data as Json[]).flatMap((entry) => (entry.changes ?? []).map((change: Json) => change.field));
            check(fields.filter((field) => hiddenFields(cast.role, object).includes(field)), [], `${where}: timeline shows no hidden field`);
          }
        }
      }
    }
  }, 300_000);

  it('export: refused without the export right; else exactly the readable records, and no hidden field asked or given', async () => {
    for (const cast of casts) {
      for (const object of OBJECTS) {
        const where = `${cast.role} × ${object}`;
        const rights = rightsOf(cast.role, object);
        const filter = encodeURIComponent(JSON.stringify({ field: LABEL[object], op: 'startsWith', value: 'mx' }));
        const ids = await as(cast.token, `/api/v1/plugins/data-ops/export/${object}?fields=id&filter=${filter}`);
        // An object the role cannot read does not exist for it (404); without the export right, 403.
        if (rights.read === 'none' || !definitions.get(cast.role)!.export) {
          check(ids.status, rights.read === 'none' ? 404 : 403, `${where}: export refused`);
          continue;
        }
        check(ids.status, 200, `${where}: export allowed`);
        const rows = parse(Buffer.from(await ids.arrayBuffer()).toString('utf8'), { bom: true }) as string[][];
        check(sorted(rows.slice(1).map((row) => row[0]!)), sorted(ofObject(object).filter((record) => canRead(cast, record)).map((record) => record.id)), `${where}: exported records`);
        for (const hidden of hiddenFields(cast.role, object)) {
          const asked = await as(cast.token, `/api/v1/plugins/data-ops/export/${object}?fields=id,${hidden}`);
          check(asked.status, 422, `${where}: export of hidden ${hidden} refused`);
        }
      }
    }
  }, 300_000);

  it('hidden fields cannot be filtered, sorted or searched on: the answer is that of a field that does not exist', async () => {
    for (const cast of casts) {
      for (const object of OBJECTS) {
        if (rightsOf(cast.role, object).read === 'none') continue;
        const answer = async (field: string) => {
          const filtered = await as(cast.token, `/api/v1/records/${object}?filter=${encodeURIComponent(JSON.stringify({ field, op: 'isNull', value: false }))}`);
          const sortedBy = await as(cast.token, `/api/v1/records/${object}?sort=${field}`);
          const body = async (response: Response) => {
            const problem = await json(response);
            return { status: response.status, codes: (problem.errors ?? []).map((error: Json) => error.code), detail: String(problem.detail ?? '').replaceAll(field, '<field>') };
          };
          return { filter: await body(filtered), sort: await body(sortedBy) };
        };
        const missing = await answer('no_such_field');
        for (const field of hiddenFields(cast.role, object)) {
          const hidden = await answer(field);
          check(hidden, missing, `${cast.role} × ${object}: filter/sort on hidden ${field}`);
          check(hidden.filter.status >= 400 && hidden.filter.status < 500, true, `${cast.role} × ${object}: a 4xx on ${field}`);
        }
      }
    }
    // The values of a hidden field are not searchable either, even on records the role may read:
    // project.codename ("cx<n>", searchable) is hidden from the field auditor, who reads their own projects.
    const auditor = casts.find((cast) => cast.role === 'field_auditor')!;
    const admin = casts.find((cast) => cast.role === 'admin')!;
    const own = records.find((record) => record.object === 'project' && record.ownerId === auditor.subject)!;
    const codename = (await json(await as(admin.token, `/api/v1/records/project/${own.id}`))).codename;
    check((await json(await as(admin.token, `/api/v1/search?q=${codename}&objects=project`))).data.map((hit: Json) => hit.id), [own.id], 'admin finds the project by its code name');
    check((await as(auditor.token, `/api/v1/records/project/${own.id}`)).status, 200, 'the auditor reads the project');
    check((await json(await as(auditor.token, `/api/v1/search?q=${codename}&objects=project`))).data, [], 'but its hidden code name finds nothing');
  }, 300_000);

  it('plugin code: routes (tools.records) and jobs (tools.jobs) acting as the caller see exactly what the caller may read', async () => {
    const pending: { key: string; cast: Cast; object: ObjectName }[] = [];
    for (const cast of casts) {
      for (const object of OBJECTS) {
        const where = `${cast.role} × ${object}`;
        const expected = sorted(ofObject(object).filter((record) => canRead(cast, record)).map((record) => record.id));
        const routed = await as(cast.token, `/api/v1/plugins/matrix-probe/records/${object}`);
        if (rightsOf(cast.role, object).read === 'none') check(routed.status, 403, `${where}: plugin route refused`);
        else check(sorted((await json(routed)).ids), expected, `${where}: plugin route`);
        const key = `${cast.role}-${object}`;
        check((await as(cast.token, `/api/v1/plugins/matrix-probe/jobs/${object}/${key}`, { method: 'POST' })).status, 202, `${where}: job queued`);
        pending.push({ key, cast, object });
      }
    }
    // ctx.records: the plugin's service identity, as its manifest allows — all people, its own companies (none), no project.
    const admin = casts.find((cast) => cast.role === 'admin')!;
    const service = await Promise.all(OBJECTS.map(async (object) => {
      const answer = await as(admin.token, `/api/v1/plugins/matrix-probe/service/${object}`);
      return answer.status === 200 ? sorted((await json(answer)).ids) : answer.status;
    }));
    check(service, [[], sorted(ofObject('person').map((record) => record.id)), 403], 'plugin ctx.records: its service identity');
    await eventually(async () => pending.every((entry) => probeJobs.has(entry.key)), Boolean, 120_000);
    for (const { key, cast, object } of pending) {
      const result = probeJobs.get(key)!;
      if (rightsOf(cast.role, object).read === 'none') check(result, { status: 403 }, `${cast.role} × ${object}: job refused`);
      else check(sorted(result.ids!), sorted(ofObject(object).filter((record) => canRead(cast, record)).map((record) => record.id)), `${cast.role} × ${object}: job as the caller`);
    }
  }, 300_000);

  it('events: webhooks carry only the records and fields their creator may read, plugin subscribers only what their identity may', async () => {
    const received = new Map<string, Json[]>();
    const receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const role = (request.url ?? '').split('/').pop()!;
        received.set(role, [...(received.get(role) ?? []), JSON.parse(body)]);
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    const hooks: { cast: Cast; id: string }[] = [];
    try {
      const keepers = casts.filter((cast) => definitions.get(cast.role)!.admin.settings);
      const other = casts.find((cast) => !definitions.get(cast.role)!.admin.settings)!;
      check((await as(other.token, '/api/v1/webhooks', { method: 'POST', json: { url: `http://localhost:${port}/hook/x`, events: ['record.updated'] } })).status, 403, `${other.role}: no webhook without the settings right`);
      for (const cast of keepers) {
        const created = await as(cast.token, '/api/v1/webhooks', { method: 'POST', json: { url: `http://localhost:${port}/hook/${cast.role}`, events: ['record.updated'], objects: [...OBJECTS] } });
        check(created.status, 201, `${cast.role}: webhook created`);
        hooks.push({ cast, id: (await json(created)).id });
      }
      // The admin changes, on the records of the keepers' casts, a field some may not see and one they may.
      const SECRET: Record<ObjectName, string> = { company: 'domain', person: 'email', project: 'codename' };
      const changed = new Map<string, TestRecord>();
      for (const cast of keepers) for (const object of OBJECTS) for (const record of sample(cast, object)) changed.set(record.id, record);
      for (const record of changed.values()) {
        const value = harmlessValue(record.object);
        const secret = record.object === 'company' ? `s${changes}.test` : record.object === 'person' ? `s${changes}@hidden.test` : `cx-s${changes}`;
        expect((await t.request(`/api/v1/records/${record.object}/${record.id}`, { method: 'PATCH', json: { [HARMLESS[record.object]]: value, [SECRET[record.object]]: secret } })).status).toBe(200);
      }
      const ids = new Set(changed.keys());
      const arrived = async (read: () => Json[], count: number) => {
        await eventually(async () => read(), (list) => list.length >= count, 60_000);
        await new Promise((resolve) => setTimeout(resolve, 1000)); // anything more would be a leak
        return read();
      };
      for (const cast of keepers) {
        const expected = [...changed.values()].filter((record) => canRead(cast, record));
        const payloads = await arrived(() => (received.get(cast.role) ?? []).filter((payload) => ids.has(payload.recordId)), expected.length);
        check(sorted(payloads.map((payload) => payload.recordId)), sorted(expected.map((record) => record.id)), `${cast.role}: webhook deliveries`);
        for (const payload of payloads) {
          const object = payload.object as ObjectName;
          const shown = [HARMLESS[object], SECRET[object]].filter((field) => !hiddenFields(cast.role, object).includes(field)).sort();
          check([[...payload.changes].sort(), Object.keys(payload.values).sort()], [shown, shown], `${cast.role}: webhook fields of ${object} ${payload.recordId}`);
        }
      }
      // The probe's identity reads all people, only its own companies (none), no project.
      const expected = [...changed.values()].filter((record) => record.object === 'person');
      const events = await arrived(() => probeSeen.filter((event) => ids.has(event.recordId ?? '')), expected.length);
      check(sorted(events.map((event) => event.recordId!)), sorted(expected.map((record) => record.id)), 'plugin subscriber: the records its identity may read');
      for (const event of events) check([...(event.payload.changes as string[])].sort(), ['email', 'jobTitle'], `plugin subscriber: fields of ${event.recordId}`);
    } finally {
      for (const hook of hooks) await as(hook.cast.token, `/api/v1/webhooks/${hook.id}`, { method: 'DELETE' });
      receiver.close();
    }
  }, 300_000);

  it('writes: create, update, batch and delete are allowed exactly as the rules say, and a refusal writes nothing', async () => {
    const counts = async () => {
      const all = await t.rowCounts();
      // Events, not rows: a batch's events share one outbox row.
      const [events] = await rows<{ count: number }>(t.core.database.db, sql`select coalesce(sum(coalesce(jsonb_array_length(batch), 1)), 0)::int as count from outbox_event`);
      return { audit: all.audit_entry!, outbox: events!.count };
    };
    for (const cast of casts) {
      for (const object of OBJECTS) {
        const where = `${cast.role} × ${object}`;
        const rights = rightsOf(cast.role, object);
        const before = await counts();
        let written = 0;

        const minimal = object === 'company' ? { name: 'zz new' } : object === 'person' ? { lastName: 'zz new' } : { title: 'zz new' };
        const created = await as(cast.token, `/api/v1/records/${object}`, { method: 'POST', json: minimal });
        check(created.status, rights.create ? 201 : 403, `${where}: create`);
        if (created.status === 201) {
          written++;
          check((await json(created)).ownerId, cast.subject, `${where}: a new record is the creator's`);
        }
        // Valid values (an admin's), so that only the field rule can refuse them.
        const sampleValues = adminSamples.get(object)!;
        for (const field of hiddenFields(cast.role, object)) {
          const withHidden = await as(cast.token, `/api/v1/records/${object}`, { method: 'POST', json: { ...minimal, [field]: sampleValues[field] } });
          check(withHidden.status, rights.create ? 422 : 403, `${where}: create with hidden ${field}`);
          if (withHidden.status === 422) check((await json(withHidden)).errors.map((error: Json) => error.code), ['unknown_field'], `${where}: a hidden field is an unknown field`);
        }
        for (const [field, access] of Object.entries(rights.fields)) {
          if (access !== 'read' || !rights.create || sampleValues[field] === null || sampleValues[field] === undefined) continue;
          const withReadOnly = await as(cast.token, `/api/v1/records/${object}`, { method: 'POST', json: { ...minimal, [field]: sampleValues[field] } });
          check(withReadOnly.status, 403, `${where}: create with read-only ${field}`);
        }

        const targets = sample(cast, object);
        for (const record of targets) {
          const patched = await as(cast.token, `/api/v1/records/${object}/${record.id}`, { method: 'PATCH', json: { [HARMLESS[object]]: harmlessValue(object) } });
          const expected = rights.update === 'none' ? 403 : canUpdate(cast, record) ? 200 : 404;
          check(patched.status, expected, `${where}: update ${record.id} (owner ${record.ownerId === cast.subject ? 'me' : record.ownerId}, share ${record.share})`);
          if (patched.status === 200) written++;
        }
        // One batch over all of them: all or nothing.
        const batch = await as(cast.token, `/api/v1/records/${object}/batch`, {
          method: 'POST',
          json: { operation: 'update', records: targets.map((record) => ({ id: record.id, [HARMLESS[object]]: harmlessValue(object) })) },
        });
        const allUpdatable = targets.every((record) => canUpdate(cast, record));
        check(batch.status, rights.update === 'none' ? 403 : allUpdatable ? 200 : 404, `${where}: batch update`);
        if (batch.status === 200) written += targets.length;

        for (const record of targets) {
          const deleted = await as(cast.token, `/api/v1/records/${object}/${record.id}`, { method: 'DELETE' });
          check(deleted.status, rights.delete === 'none' ? 403 : canDelete(cast, record) ? 204 : 404, `${where}: delete ${record.id}`);
          if (deleted.status === 204) {
            written++;
            expect((await t.request(`/api/v1/records/${object}/${record.id}/restore`, { method: 'POST' })).status).toBe(200);
            written++;
          }
        }
        const after = await counts();
        check({ audit: after.audit - before.audit, outbox: after.outbox - before.outbox }, { audit: written, outbox: written }, `${where}: only allowed writes left audit entries and events`);
      }
    }
  }, 600_000);

  it('the shell is told the same rights: /me lists the effective permissions; the OpenAPI document shows only what is readable', async () => {
    for (const cast of casts) {
      const me = await json(await as(cast.token, '/api/v1/me'));
      const document = await json(await as(cast.token, '/api/v1/openapi.json'));
      for (const object of OBJECTS) {
        const schema = document.components.schemas[object[0]!.toUpperCase() + object.slice(1)];
        if (rightsOf(cast.role, object).read === 'none') {
          check([schema, document.paths[`/api/v1/records/${object}`]], [undefined, undefined], `${cast.role} × ${object}: not in the OpenAPI document`);
          continue;
        }
        for (const field of hiddenFields(cast.role, object)) check(Object.keys(schema.properties).includes(field), false, `${cast.role} × ${object}.${field}: not in the OpenAPI schema`);
      }
      for (const object of OBJECTS) {
        const rights = rightsOf(cast.role, object);
        if (rights.read === 'none') {
          check(me.permissions.objects[object], undefined, `${cast.role} × ${object}: absent from /me`);
          continue;
        }
        const reported = me.permissions.objects[object];
        check({ read: reported.read, create: reported.create, update: reported.update, delete: reported.delete }, { read: rights.read, create: rights.create, update: rights.update, delete: rights.delete }, `${cast.role} × ${object}: /me`);
        for (const field of hiddenFields(cast.role, object)) check(reported.fields[field], 'hidden', `${cast.role} × ${object}.${field}: /me`);
      }
    }
  });
});
