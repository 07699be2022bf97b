import http from 'node:http';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, eventually, type TestServer } from '@rapport/testing';
import { createUser } from '../src';

type Json = any;

/** What the jobs of the test plugin saw, by the id their data carries. */
const outcomes = new Map<string, { ownerId?: unknown; error?: string; keys: string[] }>();
let lastJob = '';

const manifest = defineManifest({ id: 'worker', version: '1.0.0', engines: { rapport: '^1.0.0' }, displayName: { en: 'Worker' }, jobs: [{ name: 'make-company' }] });
const worker: PluginModule = {
  manifest,
  load: async () =>
    defineServer(manifest, (ctx) => {
      ctx.http.post('/as-caller', async (c, { jobs, caller }) => {
        const { tag } = (await c.req.json()) as { tag: string };
        lastJob = await jobs.enqueue('make-company', { tag, workspaceId: caller.workspaceId });
        return c.json({ job: lastJob }, 202);
      });
      ctx.http.post('/as-service', async (c) => c.json({ job: await ctx.jobs.enqueue('make-company', { tag: 'service' }) }, 202));
      ctx.http.post('/forged', async (c) => {
        await ctx.jobs.enqueue('make-company', { tag: 'forged', $caller: { kind: 'user', id: 'someone', workspaceId: 'x' } });
        return c.json({}, 202);
      });
      ctx.http.post('/rerun', async (c) => c.json({ job: await ctx.jobs.rerun(lastJob) }, 202));
      ctx.http.upload('/files/:name', async (c) => {
        let size = 0;
        for await (const chunk of c.req.raw.body as unknown as AsyncIterable<Uint8Array>) size += chunk.length;
        return c.json({ name: c.req.param('name'), size });
      });
      // Answers with the size of the first chunk it reads, without waiting for the rest of the body.
      ctx.http.upload('/first-chunk', async (c) => {
        const { value } = await c.req.raw.body!.getReader().read();
        return c.json({ size: value?.byteLength ?? 0 });
      });
      ctx.http.post('/small', async (c) => c.json({ size: (await c.req.arrayBuffer()).byteLength }));
      ctx.http.post('/atomic', async (c, { records }) => {
        const seen = await records
          .transaction(async (tx, db) => {
            await tx.create('company', { name: 'Seen from the plugin tables' });
            const result = (await db.execute(sql`select count(*)::int as n from company where name = 'Seen from the plugin tables'`)) as unknown as { rows?: { n: number }[] } & { n: number }[];
            throw Object.assign(new Error('roll back'), { seen: (result.rows ?? result)[0]!.n });
          })
          .catch((error: { seen: number }) => error.seen);
        return c.json({ seen });
      });
      ctx.jobs.handle('make-company', async (data, records) => {
        const tag = String(data.tag);
        try {
          const company = await records(String(data.workspaceId ?? '')).create('company', { name: `Made by job ${tag}` });
          outcomes.set(tag, { ownerId: company.ownerId, keys: Object.keys(data) });
        } catch (error) {
          outcomes.set(tag, { error: (error as Error).message, keys: Object.keys(data) });
        }
      });
    }),
};

describeDb('plugin host: jobs acting as their caller, upload routes, one transaction for records and plugin tables', () => {
  let t: TestServer;
  let workspaceId: string;
  beforeAll(async () => {
    t = await createTestServer({ plugins: [worker], bodyLimitBytes: 1024 * 1024, uploadLimitBytes: 8 * 1024 * 1024 });
    expect((await t.request('/api/v1/plugins/worker/enable', { method: 'POST' })).status).toBe(200);
    workspaceId = t.admin.workspaceId;
  });
  afterAll(() => t?.close());

  const asUser = async (role: string) => {
    const { user } = await createUser(t.core, { email: `${role}-${Date.now()}@jobs.test`, name: role, role, password: 'a long enough password' });
    const { token } = await t.core.identity.createApiKey({ kind: 'user', id: user.id, userId: user.id, workspaceId }, { name: role });
    return { id: user.id, request: (path: string, init: RequestInit = {}) => t.request(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${token}` } }) };
  };
  const post = (request: (path: string, init?: RequestInit) => Promise<Response>, path: string, body: unknown) => request(`/api/v1/plugins/worker${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...(body as object), workspaceId }) });

  it('a job a route enqueues acts as the caller: their rights, their records; the plugin cannot forge one', async () => {
    const rep = await asUser('sales_rep');
    expect((await post(rep.request, '/as-caller', { tag: 'rep' })).status).toBe(202);
    const reader = await asUser('read_only');
    expect((await post(reader.request, '/as-caller', { tag: 'reader' })).status).toBe(202);
    await eventually(async () => outcomes, (seen) => seen.has('rep') && seen.has('reader'));
    expect(outcomes.get('rep')).toMatchObject({ ownerId: rep.id });
    // The handler never sees who asked: the host keeps it.
    expect(outcomes.get('rep')!.keys.sort()).toEqual(['tag', 'workspaceId']);
    expect(outcomes.get('reader')!.error).toMatch(/does not allow|may not|not allowed|create/i);
    expect((await post(t.request, '/forged', {})).status).toBe(502);
  });

  it('reruns a job with its data and its caller', async () => {
    const rep = await asUser('sales_rep');
    await post(rep.request, '/as-caller', { tag: 'again' });
    await eventually(async () => outcomes, (seen) => seen.has('again'));
    outcomes.delete('again');
    expect((await post(t.request, '/rerun', {})).status).toBe(202);
    await eventually(async () => outcomes, (seen) => seen.has('again'));
    expect(outcomes.get('again')).toMatchObject({ ownerId: rep.id });
  });

  it('upload routes take files up to the upload limit; other routes keep the API limit', async () => {
    const file = Buffer.alloc(3 * 1024 * 1024, 'a');
    const uploaded = await t.request('/api/v1/plugins/worker/files/big.csv', { method: 'POST', body: file });
    expect(await uploaded.json()).toEqual({ name: 'big.csv', size: file.length });
    expect((await t.request('/api/v1/plugins/worker/small', { method: 'POST', body: file })).status).toBe(413);
    const tooBig = await t.request('/api/v1/plugins/worker/files/huge.csv', { method: 'POST', body: Buffer.alloc(9 * 1024 * 1024, 'a') });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as Json).detail).toMatch(/8388608/);
  });

  it('streams an upload sent without a length: the route reads it as it comes, and past the limit refuses it with 413', async () => {
    const { token } = await t.core.identity.createApiKey(t.admin, { name: 'streamed uploads' });
    // A first megabyte, then the body stays open: a server holding uploads whole would never answer.
    const answered = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${t.url}/api/v1/plugins/worker/first-chunk`, { method: 'POST', headers: { authorization: `Bearer ${token}` } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode!, body });
          request.destroy();
        });
      });
      request.on('error', reject);
      request.write(Buffer.alloc(1024 * 1024, 'a'));
      setTimeout(() => reject(new Error('no answer while the body was still open: the upload was held whole')), 10_000).unref();
    });
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).size).toBeGreaterThan(0);

    const chunked = (megabytes: number) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let sent = 0; sent < megabytes; sent += 1) controller.enqueue(new Uint8Array(1024 * 1024).fill(97));
          controller.close();
        },
      });
    const streamed = await t.request('/api/v1/plugins/worker/files/streamed.csv', { method: 'POST', body: chunked(3), duplex: 'half' } as RequestInit);
    expect(await streamed.json()).toEqual({ name: 'streamed.csv', size: 3 * 1024 * 1024 });
    const tooBig = await t.request('/api/v1/plugins/worker/files/huge.csv', { method: 'POST', body: chunked(9), duplex: 'half' } as RequestInit);
    expect(tooBig.status).toBe(413);
    expect(tooBig.headers.get('content-type')).toContain('application/problem+json');
  });

  it('records.transaction hands the plugin the same transaction for its own tables', async () => {
    const answer = (await (await post(t.request, '/atomic', {})).json()) as Json;
    expect(answer.seen).toBe(1);
    const left = (await (await t.request(`/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Seen from the plugin tables' }))}`)).json()) as Json;
    expect(left.data).toEqual([]);
  });
});
