import { Hono } from 'hono';
import type { Context } from 'hono';
import { type Core, MAX_BATCH, problems, type ListOptions } from '@rapport/core';
import { z } from 'zod';
import type { AppEnv } from '../context';
import { idempotent } from '../idempotency';
import { readJson } from '../request-body';

const LIST_PARAMETERS = new Set(['filter', 'sort', 'limit', 'cursor', 'fields', 'expand', 'deleted']);
const GET_PARAMETERS = new Set(['fields', 'expand']);

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);

function checkParameters(c: Context, allowed: Set<string>): Record<string, string> {
  const query = c.req.query();
  const unknown = Object.keys(query).filter((name) => !allowed.has(name));
  if (unknown.length > 0) {
    throw problems.badRequest(`Unknown query parameter${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`, unknown.map((name) => ({ field: name, code: 'unknown_parameter', message: 'is not a parameter of this operation' })));
  }
  for (const name of Object.keys(query)) {
    if (c.req.queries(name)!.length > 1) throw problems.badRequest(`"${name}" is given more than once`, [{ field: name, code: 'repeated', message: 'give it once' }]);
  }
  return query;
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value)) throw problems.badRequest('"limit" must be a whole number from 1 to 500', [{ field: 'limit', code: 'invalid', message: 'must be a whole number from 1 to 500' }]);
  return Number(value);
}

function listOptions(query: Record<string, string>): ListOptions {
  if (query.deleted !== undefined && query.deleted !== 'only') throw problems.badRequest('"deleted" takes the value "only" (to list the trash)', [{ field: 'deleted', code: 'invalid', message: 'must be "only"' }]);
  return {
    filter: query.filter,
    sort: query.sort,
    limit: parseLimit(query.limit),
    cursor: query.cursor,
    fields: list(query.fields),
    expand: list(query.expand),
    deleted: query.deleted === 'only' ? 'only' : 'exclude',
  };
}

/** `"3"`, `W/"3"`; anything else cannot match a record's ETag. */
function parseIfMatch(c: Context): number | undefined {
  const header = c.req.header('if-match');
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"(\d{1,9})"\s*$/.exec(header);
  return match ? Number(match[1]) : -1;
}

const etag = (version: number) => `"${version}"`;

const querySchema = z.strictObject({
  filter: z.unknown().optional(),
  sort: z.string().max(500).optional(),
  limit: z.number().int().min(1).max(500).optional(),
  cursor: z.string().max(2000).optional(),
  fields: z.array(z.string().max(100)).max(200).optional(),
  expand: z.array(z.string().max(100)).max(20).optional(),
});

const batchSchema = z.strictObject({
  operation: z.enum(['create', 'update', 'upsert']),
  records: z.array(z.unknown()).min(1).max(MAX_BATCH),
  matchOn: z.string().max(100).optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw problems.validation(result.error.issues.map((issue) => ({ field: issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(',') : '(body)'), code: issue.code === 'unrecognized_keys' ? 'unknown_field' : issue.code, message: issue.message })));
  }
  return result.data;
}

/**
 * `/api/v1/records/{object}`: the same routes for every object, core, plugin or custom; their
 * OpenAPI operations are generated per object from the metadata.
 */
export function recordRoutes(core: Core) {
  const app = new Hono<AppEnv>();
  const { records } = core;

  app.get('/:object', async (c) => {
    const query = checkParameters(c, LIST_PARAMETERS);
    return c.json(await records.list(c.get('auth').actor, c.req.param('object'), listOptions(query)));
  });

  app.post('/:object/query', async (c) => {
    checkParameters(c, new Set());
    const body = parseBody(querySchema, await readJson(c));
    return c.json(await records.list(c.get('auth').actor, c.req.param('object'), body));
  });

  app.post('/:object/batch', async (c) => {
    checkParameters(c, new Set());
    const raw = await readJson(c);
    const body = parseBody(batchSchema, raw);
    const actor = c.get('auth').actor;
    const answer = await idempotent(c, core, actor, raw, async (tx) => ({
      status: 200,
      body: await records.batch(actor, c.req.param('object'), body, { tx }),
      headers: {},
    }));
    return c.json(answer.body as object, answer.status as 200, answer.headers);
  });

  app.post('/:object', async (c) => {
    checkParameters(c, new Set());
    const body = await readJson(c);
    const actor = c.get('auth').actor;
    const object = c.req.param('object');
    const answer = await idempotent(c, core, actor, body, async (tx) => {
      const created = await records.create(actor, object, body, { tx });
      return { status: 201, body: created.record, headers: { etag: etag(created.version), location: `/api/v1/records/${object}/${created.record.id}` } };
    });
    return c.json(answer.body as object, answer.status as 201, answer.headers);
  });

  app.get('/:object/:id', async (c) => {
    const query = checkParameters(c, GET_PARAMETERS);
    const result = await records.get(c.get('auth').actor, c.req.param('object'), c.req.param('id'), { fields: list(query.fields), expand: list(query.expand) });
    if (c.req.header('if-none-match') === etag(result.version)) return c.body(null, 304, { etag: etag(result.version) });
    return c.json(result.record, 200, { etag: etag(result.version) });
  });

  app.patch('/:object/:id', async (c) => {
    checkParameters(c, new Set());
    const body = await readJson(c);
    const result = await records.update(c.get('auth').actor, c.req.param('object'), c.req.param('id'), body, { ifMatch: parseIfMatch(c) });
    return c.json(result.record, 200, { etag: etag(result.version) });
  });

  app.delete('/:object/:id', async (c) => {
    checkParameters(c, new Set());
    await records.delete(c.get('auth').actor, c.req.param('object'), c.req.param('id'), { ifMatch: parseIfMatch(c) });
    return c.body(null, 204);
  });

  app.post('/:object/:id/restore', async (c) => {
    checkParameters(c, new Set());
    const result = await records.restore(c.get('auth').actor, c.req.param('object'), c.req.param('id'));
    return c.json(result.record, 200, { etag: etag(result.version) });
  });

  app.get('/:object/:id/timeline', async (c) => {
    const query = checkParameters(c, new Set(['limit', 'cursor']));
    return c.json(await records.timeline(c.get('auth').actor, c.req.param('object'), c.req.param('id'), { limit: parseLimit(query.limit), cursor: query.cursor }));
  });

  return app;
}
