import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, eventually, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

describeDb('webhooks: record events POSTed, signed, retried, as their creator may see them', () => {
  let t: TestServer;
  let receiver: http.Server;
  let port = 0;
  const received: Received[] = [];
  let failNext = 0;
  beforeAll(async () => {
    receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        if (failNext > 0) {
          failNext--;
          response.writeHead(503).end('busy');
          return;
        }
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    t = await createTestServer({ webhooks: { privateHosts: ['localhost'] } });
    await t.core.events.start();
  });
  afterAll(async () => {
    await t?.close();
    receiver?.close();
  });

  it('delivers matching events with a verifiable signature and the changed values; retries a failing receiver', async () => {
    const created = await t.request('/api/v1/webhooks', { method: 'POST', json: { url: `http://localhost:${port}/hook`, events: ['record.created', 'record.updated'], objects: ['person'] } });
    const hook = await json(created);
    expect(created.status, JSON.stringify(hook)).toBe(201);
    expect(hook.secret).toMatch(/^whsec_/);
    expect(JSON.stringify(await json(await t.request('/api/v1/webhooks')))).not.toContain(hook.secret);

    failNext = 1; // the receiver is down once: the delivery is retried
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { firstName: 'Grace', lastName: 'Hopper' } }));
    await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Not for this hook' } });
    await t.request(`/api/v1/records/person/${person.id}`, { method: 'PATCH', json: { jobTitle: 'Rear admiral' } });
    const both = await eventually(async () => received.filter((entry) => entry.body.includes(person.id)), (entries) => entries.length >= 2, 15_000);
    // The first try of the creation failed: it may arrive after the update.
    const parsed = both.map((entry) => ({ ...entry, payload: JSON.parse(entry.body) }));
    const first = parsed.find((entry) => entry.payload.type === 'record.created');
    const second = parsed.find((entry) => entry.payload.type === 'record.updated');
    expect(first!.payload).toMatchObject({ type: 'record.created', object: 'person', recordId: person.id });
    expect(second!.payload).toMatchObject({ type: 'record.updated', changes: ['jobTitle'], values: { jobTitle: { old: null, new: 'Rear admiral' } } });
    // The signature: HMAC-SHA256 of "<t>.<body>" with the secret.
    const [, at, mac] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(first!.headers['rapport-signature']))!;
    expect(mac).toBe(crypto.createHmac('sha256', hook.secret).update(`${at}.${first!.body}`).digest('hex'));
    expect(first!.headers['rapport-event']).toBe('record.created');
    expect(received.some((entry) => entry.body.includes('Not for this hook'))).toBe(false);

    const deliveries = (await json(await t.request(`/api/v1/webhooks/${hook.id}/deliveries`))).data;
    const createdDelivery = deliveries.find((delivery: Json) => delivery.type === 'record.created');
    expect(createdDelivery).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 204 });
  });

  it('sends only what its creator may read: no object out of their reach, no hidden field', async () => {
    const role = { key: 'hook_keeper', labels: { en: 'Hook keeper' }, definition: { objects: { person: { read: 'all', create: false, update: 'none', delete: 'none', fields: { email: 'hidden' } } }, export: false, import: false, admin: { settings: true, users: false, plugins: false, audit: false } } };
    expect((await t.request('/api/v1/roles', { method: 'POST', json: role })).status).toBe(201);
    const keeper = await t.core.identity.createUser(t.admin.workspaceId, { email: `keeper-${Date.now()}@test.rapport`, name: 'Keeper', role: 'hook_keeper', password: 'a long enough password' });
    const { token } = await t.core.identity.createApiKey({ kind: 'user', id: keeper.user.id, userId: keeper.user.id, workspaceId: t.admin.workspaceId }, { name: 'keeper' });
    const hook = await json(await t.request('/api/v1/webhooks', { method: 'POST', json: { url: `http://localhost:${port}/narrow`, events: ['record.*'] }, headers: { authorization: `Bearer ${token}` } }));
    expect(hook.id).toBeTruthy();
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Secretive', email: 'hidden@narrow.test' } }));
    await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Out of reach' } });
    const delivered = await eventually(async () => received.filter((entry) => entry.headers['rapport-delivery'] && entry.body.includes(person.id) && entry.body.includes('record.created') && JSON.parse(entry.body).changes.includes('lastName')), (entries) => entries.length >= 2, 15_000);
    const narrow = (await json(await t.request(`/api/v1/webhooks/${hook.id}/deliveries`))).data;
    expect(narrow.every((delivery: Json) => delivery.type.startsWith('record.'))).toBe(true);
    const payloads = delivered.map((entry) => JSON.parse(entry.body));
    const theirs = payloads.find((payload) => !('email' in payload.values));
    expect(theirs).toBeTruthy();
    expect(theirs.changes).not.toContain('email');
    expect(JSON.stringify(theirs)).not.toContain('hidden@narrow.test');
    // The company event went to the admin's hooks only (none here listen to companies but the inside one below).
    const sentToKeeper = await t.core.database.db.execute(sql`select count(*)::int as n from webhook_delivery where webhook_id = ${hook.id} and payload->>'object' = 'company'`);
    expect(((sentToKeeper as unknown as { rows?: { n: number }[] }).rows ?? (sentToKeeper as unknown as { n: number }[]))[0]!.n).toBe(0);
  });

  it('refuses bad definitions and URLs inside the network, needs the settings right, and stops when deleted', async () => {
    for (const [body, field] of [
      [{ url: 'ftp://example.com/x', events: ['record.created'] }, 'url'],
      [{ url: 'https://example.com/x', events: ['record.exploded'] }, 'events.0'],
      [{ url: 'https://example.com/x', events: [] }, 'events'],
      [{ url: 'https://example.com/x', events: ['record.*'], objects: ['nothing'] }, 'objects'],
      [{ url: 'https://example.com/x', events: ['record.*'], extra: 1 }, 'extra'],
    ] as const) {
      const response = await t.request('/api/v1/webhooks', { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await json(response)).errors.map((error: Json) => error.field)).toContain(field);
    }
    // An address inside the network is accepted as a definition but never reached: the delivery fails with the reason.
    const inside = await json(await t.request('/api/v1/webhooks', { method: 'POST', json: { url: `http://127.0.0.1:${port}/internal`, events: ['record.created'], objects: ['company'] } }));
    await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Probe' } });
    const refused = await eventually(async () => (await json(await t.request(`/api/v1/webhooks/${inside.id}/deliveries`))).data, (data: Json[]) => data.length > 0 && data[0].lastError !== null, 10_000);
    expect(refused[0].lastError).toContain("inside the server's network");
    expect(received.some((entry) => entry.body.includes('Probe'))).toBe(false);

    const rep = await t.core.identity.createUser(t.admin.workspaceId, { email: `rep-${Date.now()}@test.rapport`, name: 'Rep', role: 'sales_rep', password: 'a long enough password' });
    const { token } = await t.core.identity.createApiKey({ kind: 'user', id: rep.user.id, userId: rep.user.id, workspaceId: t.admin.workspaceId }, { name: 'rep' });
    expect((await t.request('/api/v1/webhooks', { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);

    expect((await t.request(`/api/v1/webhooks/${inside.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/webhooks/${inside.id}/deliveries`)).status).toBe(404);
    const audit = (await json(await t.request('/api/v1/audit?action=webhook.deleted'))).data;
    expect(audit[0].target).toBe(inside.id);
  });
});
