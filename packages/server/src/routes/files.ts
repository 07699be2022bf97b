import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { Core } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const fileView = z
  .object({ id: z.uuid(), object: z.string(), recordId: z.uuid(), name: z.string(), contentType: z.string(), size: z.number().int(), sha256: z.string(), createdBy: z.string().nullable(), createdAt: z.string() })
  .openapi('File');
const recordQuery = z.object({ object: z.string().min(1).max(63), recordId: z.uuid() });
const idParam = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }) });
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 413: problemResponses[413], 422: problemResponses[422] };

const routes = {
  upload: createRoute({
    method: 'post',
    path: '/files',
    tags: ['Files'],
    summary: 'Attach a file to a record (needs the right to edit it): the body is the file, its Content-Type its type',
    request: {
      query: recordQuery.extend({ name: z.string().min(1).max(255).openapi({ description: 'The file name, e.g. cv.pdf' }) }),
      body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } },
    },
    responses: { 201: jsonContent(fileView, 'Attached'), ...errors },
  }),
  list: createRoute({ method: 'get', path: '/files', tags: ['Files'], summary: "A record's files (needs the right to read it)", request: { query: recordQuery }, responses: { 200: jsonContent(z.object({ data: z.array(fileView) }), 'Files'), ...errors } }),
  get: createRoute({ method: 'get', path: '/files/{id}', tags: ['Files'], summary: "A file's description", request: { params: idParam }, responses: { 200: jsonContent(fileView, 'The file'), ...errors } }),
  content: createRoute({
    method: 'get',
    path: '/files/{id}/content',
    tags: ['Files'],
    summary: 'Download a file (as an attachment)',
    request: { params: idParam },
    responses: { 200: { description: 'Its bytes', content: { 'application/octet-stream': { schema: z.string().openapi({ type: 'string', format: 'binary' }) } } }, ...errors },
  }),
  remove: createRoute({ method: 'delete', path: '/files/{id}', tags: ['Files'], summary: 'Delete a file (needs the right to edit its record)', request: { params: idParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
};

export function fileRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.upload, async (c) => {
    const { object, recordId, name } = c.req.valid('query');
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim();
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const file = await core.files.add(c.get('auth').actor, { object, recordId, name, contentType: type && type !== 'application/x-www-form-urlencoded' ? type : 'application/octet-stream' }, bytes);
    return c.json(file, 201);
  });
  app.openapi(routes.list, async (c) => {
    const { object, recordId } = c.req.valid('query');
    return c.json({ data: await core.files.list(c.get('auth').actor, object, recordId) }, 200);
  });
  app.openapi(routes.get, async (c) => c.json(await core.files.get(c.get('auth').actor, c.req.valid('param').id), 200));
  app.openapi(routes.content, async (c) => {
    const { file, bytes } = await core.files.content(c.get('auth').actor, c.req.valid('param').id);
    // Always a download, never rendered by the browser in the CRM's origin.
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
    }) as never;
  });
  app.openapi(routes.remove, async (c) => {
    await core.files.remove(c.get('auth').actor, c.req.valid('param').id);
    return c.body(null, 204);
  });
  return app;
}
