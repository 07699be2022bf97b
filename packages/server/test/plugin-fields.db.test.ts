import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const base = { engines: { rapport: '^1.0.0' }, displayName: { en: 'Test' } };
const plugin = (manifest: Parameters<typeof defineManifest>[0]): PluginModule => {
  const parsed = defineManifest(manifest);
  return { manifest: parsed, load: async () => defineServer(parsed, () => {}) };
};
const label = (en: string) => ({ en });

const PLUGINS = [
  (() => {
    const manifest = defineManifest({
      ...base,
      id: 'stamps',
      version: '1.0.0',
      permissions: { objects: { company: { read: 'all', update: 'all' } } },
      fields: [{ object: 'company', managed: true, field: { name: 'stampedAt', type: 'datetime', labels: label('Stamped') } }],
    });
    return {
      manifest,
      load: async () =>
        defineServer(manifest, (ctx) => {
          ctx.http.post('/stamp/:id', async (c, { caller }) => c.json(await ctx.records(caller.workspaceId).update('company', c.req.param('id') ?? '', { stampedAt: '2026-12-04T10:00:00.000Z' })));
        }),
    } satisfies PluginModule;
  })(),
  plugin({
    ...base,
    id: 'scoring',
    version: '1.0.0',
    fields: [
      { object: 'company', field: { name: 'healthScore', type: 'number', labels: label('Health score'), indexed: true } },
      { object: 'person', field: { name: 'segment', type: 'select', labels: label('Segment'), options: [{ value: 'smb', labels: label('SMB') }, { value: 'enterprise', labels: label('Enterprise') }] } },
    ],
  }),
  plugin({ ...base, id: 'clashes', version: '1.0.0', fields: [{ object: 'company', field: { name: 'name', type: 'text', labels: label('Name') } }, { object: 'nowhere', field: { name: 'x', type: 'text', labels: label('X') } }] }),
  plugin({ ...base, id: 'links-people', version: '1.0.0', fields: [{ object: 'company', field: { name: 'fans', type: 'relation', labels: label('Fans'), relation: { kind: 'manyToMany', target: 'person' } } }] }),
  // Its own object, with a field only it writes, and a relation to it from the core's people.
  plugin({
    ...base,
    id: 'tickets',
    version: '1.0.0',
    objects: [{ name: 'ticket', labels: { singular: label('Ticket'), plural: label('Tickets') }, fields: [{ name: 'subject', type: 'text', labels: label('Subject') }, { name: 'closedAt', type: 'datetime', labels: label('Closed') }], managed: ['closedAt'] }],
    fields: [{ object: 'person', field: { name: 'openTicket', type: 'relation', labels: label('Open ticket'), relation: { kind: 'manyToOne', target: 'ticket', reverse: { name: 'people', labels: label('People') } } } }],
  }),
  plugin({
    ...base,
    id: 'tickets-wrong',
    version: '1.0.0',
    objects: [{ name: 'issue', labels: { singular: label('Issue'), plural: label('Issues') }, fields: [{ name: 'subject', type: 'text', labels: label('Subject') }], managed: ['closedAt'] }],
  }),
  plugin({
    ...base,
    id: 'tickets-own-field',
    version: '1.0.0',
    objects: [{ name: 'incident', labels: { singular: label('Incident'), plural: label('Incidents') }, fields: [{ name: 'subject', type: 'text', labels: label('Subject') }] }],
    fields: [{ object: 'incident', field: { name: 'extra', type: 'text', labels: label('Extra') } }],
  }),
  plugin({ ...base, id: 'taken-by-workspace', version: '1.0.0', fields: [{ object: 'company', field: { name: 'tier', type: 'text', labels: label('Tier') } }] }),
];

describeDb('plugins adding fields to the core’s objects', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ plugins: PLUGINS });
  });
  afterAll(() => t?.close());

  const fieldsOf = async (object: string) => (await json(await t.request(`/api/v1/metadata/objects/${object}`))).fields.map((field: Json) => field.name);
  const action = (id: string, verb: string, body?: unknown) => t.request(`/api/v1/plugins/${id}/${verb}`, { method: 'POST', ...(body ? { json: body } : {}) });

  it('shows them while enabled, keeps their values while disabled, deletes them on purge', async () => {
    expect(await fieldsOf('company')).not.toContain('healthScore');
    expect((await action('scoring', 'enable')).status).toBe(200);
    expect(await fieldsOf('company')).toContain('healthScore');
    expect(await fieldsOf('person')).toContain('segment');

    const created = await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Scored Co', healthScore: 87 } });
    const company = await json(created);
    expect(created.status, JSON.stringify(company)).toBe(201);
    expect(company.healthScore).toBe(87);
    const filtered = await json(await t.request(`/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'healthScore', op: 'gte', value: 80 }))}`));
    expect(filtered.data.map((record: Json) => record.id)).toEqual([company.id]);
    const bad = await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Wrong', segment: 'galactic' } });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors[0].field).toBe('segment');
    // A workspace may not add a field of the same name while the plugin has it.
    const clash = await t.request('/api/v1/metadata/objects/company/fields', { method: 'POST', json: { name: 'healthScore', type: 'text', labels: label('Mine') } });
    expect(clash.status).toBe(422);

    expect((await action('scoring', 'disable')).status).toBe(200);
    expect(await fieldsOf('company')).not.toContain('healthScore');
    expect((await json(await t.request(`/api/v1/records/company/${company.id}`))).healthScore).toBeUndefined();
    const unknown = await t.request(`/api/v1/records/company/${company.id}`, { method: 'PATCH', json: { healthScore: 12 } });
    expect(unknown.status).toBe(422);
    // The name of a company does not change the value kept for the plugin.
    await t.request(`/api/v1/records/company/${company.id}`, { method: 'PATCH', json: { name: 'Scored Company' } });

    expect((await action('scoring', 'enable')).status).toBe(200);
    expect((await json(await t.request(`/api/v1/records/company/${company.id}`))).healthScore).toBe(87);

    expect((await action('scoring', 'disable')).status).toBe(200);
    expect((await action('scoring', 'uninstall')).status).toBe(200);
    expect((await action('scoring', 'purge', { confirm: 'scoring' })).status).toBe(204);
    expect((await action('scoring', 'enable')).status).toBe(200);
    expect((await json(await t.request(`/api/v1/records/company/${company.id}`))).healthScore).toBeNull();
    const none = await json(await t.request(`/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'healthScore', op: 'gte', value: 0 }))}`));
    expect(none.data).toEqual([]);
  });

  it('a managed field is the plugin’s alone to write', async () => {
    expect((await action('stamps', 'enable')).status).toBe(200);
    const company = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Stamped Co' } }));
    const byUser = await t.request(`/api/v1/records/company/${company.id}`, { method: 'PATCH', json: { stampedAt: '2020-01-01T00:00:00.000Z' } });
    expect(byUser.status).toBe(422);
    expect((await json(byUser)).errors[0]).toMatchObject({ field: 'stampedAt', code: 'read_only', message: 'is kept by the plugin stamps: read-only' });
    const field = (await json(await t.request('/api/v1/metadata/objects/company'))).fields.find((candidate: Json) => candidate.name === 'stampedAt');
    expect(field.readOnly).toBe(true);
    const stamped = await t.request(`/api/v1/plugins/stamps/stamp/${company.id}`, { method: 'POST' });
    expect(stamped.status, await stamped.clone().text()).toBe(200);
    expect((await json(await t.request(`/api/v1/records/company/${company.id}`))).stampedAt).toBe('2026-12-04T10:00:00.000Z');
  });

  it('a plugin’s own object may have fields only it writes, and fields on other objects may point at it; purged, both go', async () => {
    expect((await action('tickets', 'enable')).status).toBe(200);
    const ticket = (await json(await t.request('/api/v1/metadata/objects/ticket'))).fields.find((field: Json) => field.name === 'closedAt');
    expect(ticket.readOnly).toBe(true);
    const created = await t.request('/api/v1/records/ticket', { method: 'POST', json: { subject: 'Broken', closedAt: '2026-01-01T00:00:00.000Z' } });
    expect(created.status).toBe(422);
    expect((await json(created)).errors[0]).toMatchObject({ field: 'closedAt', code: 'read_only' });
    const open = await json(await t.request('/api/v1/records/ticket', { method: 'POST', json: { subject: 'Broken' } }));
    const person = await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Waiting', openTicket: open.id } });
    expect(person.status, await person.clone().text()).toBe(201);
    expect(await fieldsOf('person')).toContain('openTicket');
    expect(await fieldsOf('ticket')).toContain('people');
    for (const verb of ['disable', 'uninstall']) expect((await action('tickets', verb)).status).toBe(200);
    expect((await action('tickets', 'purge', { confirm: 'tickets' })).status).toBe(204);
    expect(await fieldsOf('person')).not.toContain('openTicket');
    const kept = await json(await t.request(`/api/v1/records/person/${(await json(person)).id}`));
    expect(kept.openTicket).toBeUndefined();
  });

  it('refuses a managed field its object does not have, and fields declared on its own objects', async () => {
    const detail = (await json(await action('tickets-wrong', 'enable'))).detail;
    expect(detail).toContain('objects.0.managed.0: there is no field "closedAt" in issue');
    expect((await json(await action('tickets-own-field', 'enable'))).detail).toContain("fields.0.object: incident is this plugin's own object");
    expect((await json(await t.request('/api/v1/metadata/objects'))).data.map((object: Json) => object.name)).not.toContain('incident');
  });

  it('refuses fields that clash, point nowhere, link many to many or that a workspace already has, saying which', async () => {
    const clashes = await json(await action('clashes', 'enable'));
    expect(clashes.detail).toContain('fields.0.field.name: company already has a field "name"');
    expect(clashes.detail).toContain('fields.1.object: there is no object "nowhere"');
    expect((await json(await action('links-people', 'enable'))).detail).toContain('fields.0.field.relation.kind');
    expect((await t.request('/api/v1/metadata/objects/company/fields', { method: 'POST', json: { name: 'tier', type: 'text', labels: label('Tier') } })).status).toBe(201);
    expect((await json(await action('taken-by-workspace', 'enable'))).detail).toContain('a workspace already has a field company.tier');
    expect(await fieldsOf('company')).not.toContain('fans');
  });
});
