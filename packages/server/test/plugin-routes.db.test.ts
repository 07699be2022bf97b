import { Validator } from '@seriousme/openapi-schema-validator';
import { z } from 'zod';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer } from '@rapport/sdk/server';
import type { PluginModule } from '@rapport/server';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

const greeting = z.object({ id: z.string(), text: z.string(), times: z.number().int() });
const manifest = defineManifest({ id: 'greeter', version: '1.0.0', engines: { rapport: '^1.0.0' }, displayName: { en: 'Greeter' } });
const greeter: PluginModule = {
  manifest,
  load: async () =>
    defineServer(manifest, (ctx) => {
      ctx.http.get(
        '/greetings/:id',
        { summary: 'A greeting, said so many times', query: z.strictObject({ times: z.coerce.number().int().min(1).max(5).default(1) }), response: greeting },
        (c, { query }) => c.json({ id: c.req.param('id'), text: 'hello '.repeat(query.times).trim(), times: query.times }),
      );
      ctx.http.post('/greetings', { summary: 'Make a greeting', body: z.strictObject({ text: z.string().min(1).max(20) }), response: greeting }, (c, { body }) =>
        c.json({ id: 'new', text: body.text.toUpperCase(), times: 1 }),
      );
      ctx.http.get('/plain', (c) => c.json({ plain: true }));
    }),
};

describeDb('plugin routes: documented in the OpenAPI document, their input checked before the plugin runs', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer({ plugins: [greeter] });
    expect((await t.request('/api/v1/plugins/greeter/enable', { method: 'POST' })).status).toBe(200);
  });
  afterAll(() => t?.close());

  it('hands the handler parsed values, and answers bad input with a 422 naming the parameter or field', async () => {
    expect(await json(await t.request('/api/v1/plugins/greeter/greetings/g1?times=3'))).toEqual({ id: 'g1', text: 'hello hello hello', times: 3 });
    expect((await json(await t.request('/api/v1/plugins/greeter/greetings/g1'))).times).toBe(1);
    for (const [path, field] of [['/greetings/g1?times=9', 'times'], ['/greetings/g1?times=x', 'times'], ['/greetings/g1?loud=1', 'loud']]) {
      const response = await t.request(`/api/v1/plugins/greeter${path}`);
      expect(response.status, path).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(response)).errors.map((error: Json) => error.field)).toContain(field);
    }
    expect(await json(await t.request('/api/v1/plugins/greeter/greetings', { method: 'POST', json: { text: 'bonjour' } }))).toMatchObject({ text: 'BONJOUR' });
    const long = await t.request('/api/v1/plugins/greeter/greetings', { method: 'POST', json: { text: 'x'.repeat(21) } });
    expect(long.status).toBe(422);
    expect((await json(long)).errors[0].field).toBe('text');
    const notJson = await t.request('/api/v1/plugins/greeter/greetings', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect((await json(notJson)).errors[0]).toMatchObject({ field: 'body', code: 'invalid_json' });
  });

  it('shows the enabled plugins’ routes in a valid OpenAPI document, and drops them when disabled', async () => {
    const document = await json(await t.request('/api/v1/openapi.json'));
    const get = document.paths['/api/v1/plugins/greeter/greetings/{id}'].get;
    expect(get.summary).toBe('A greeting, said so many times');
    expect(get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path', required: true }), expect.objectContaining({ name: 'times', in: 'query', required: false })]));
    expect(get.responses[200].content['application/json'].schema.properties.times.type).toBe('integer');
    const post = document.paths['/api/v1/plugins/greeter/greetings'].post;
    expect(post.requestBody.content['application/json'].schema.properties.text).toMatchObject({ type: 'string', maxLength: 20 });
    expect(document.paths['/api/v1/plugins/greeter/plain'].get.summary).toContain('undocumented');
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document));
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);

    expect((await t.request('/api/v1/plugins/greeter/disable', { method: 'POST' })).status).toBe(200);
    const after = await json(await t.request('/api/v1/openapi.json'));
    expect(Object.keys(after.paths).some((path) => path.startsWith('/api/v1/plugins/greeter/'))).toBe(false);
  });
});
