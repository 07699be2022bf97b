import { localized, type ObjectDefinition, recordJsonSchemas } from '@rapport/core';

type Json = Record<string, any>;

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
const errors = {
  400: problem('Malformed request (unknown parameter, bad filter, sort or cursor)'),
  401: problem('Not signed in'),
  403: problem('Not allowed'),
  404: problem('No such record'),
};
const writeErrors = { ...errors, 409: problem('A unique value is taken'), 412: problem('If-Match does not match the current version'), 413: problem('Body too large'), 415: problem('Not JSON'), 422: problem('Invalid fields, one entry per field') };

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const parameter = (name: string, description: string, schema: Json = { type: 'string' }, example?: unknown) => ({ name, in: 'query', required: false, description, schema, ...(example !== undefined ? { example } : {}) });
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const etagHeader = { ETag: { description: 'The record version, for If-Match', schema: { type: 'string' } } };
const ifMatch = { name: 'If-Match', in: 'header', required: false, description: 'The ETag last read: the write is refused (412) if the record changed since', schema: { type: 'string' } };
const fieldsParameter = parameter('fields', 'Comma-separated fields to return (id always comes); `version` adds each record’s version, the number its ETag quotes, for If-Match on a later write', { type: 'string' }, 'name,domain');
const expandParameter = parameter('expand', 'Comma-separated relations to return as records (one level)', { type: 'string' });

/** The operations of one object, generated from its metadata (custom fields included). */
export function objectOpenApi(object: ObjectDefinition): { schemas: Json; paths: Json } {
  const name = pascal(object.name);
  const schemas = recordJsonSchemas(object);
  const label = localized(object.labels.plural, 'en');
  const tag = `Records: ${label}`;
  const ref = (suffix = '') => ({ $ref: `#/components/schemas/${name}${suffix}` });
  const json = (schema: Json) => ({ 'application/json': { schema } });
  const listAnswer = { description: `A page of ${label.toLowerCase()}`, content: json({ type: 'object', properties: { data: { type: 'array', items: ref() }, pageInfo: { $ref: '#/components/schemas/PageInfo' } }, required: ['data', 'pageInfo'] }) };
  const base = `/api/v1/records/${object.name}`;
  return {
    schemas: { [name]: schemas.record, [`${name}Input`]: schemas.create, [`${name}Patch`]: schemas.update },
    paths: {
      [base]: {
        get: {
          operationId: `list${name}`,
          tags: [tag],
          summary: `List ${label.toLowerCase()}`,
          parameters: [
            parameter('filter', 'URL-encoded JSON filter: {"and":[{"field":"…","op":"eq","value":…}]}', { type: 'string' }),
            parameter('sort', 'Comma-separated fields, "-" for descending (default: newest first)', { type: 'string' }, '-createdAt'),
            parameter('limit', 'Records per page', { type: 'integer', minimum: 1, maximum: 500, default: 50 }),
            parameter('cursor', 'pageInfo.nextCursor of the previous page', { type: 'string' }),
            fieldsParameter,
            expandParameter,
            parameter('deleted', '"only" lists the trash', { type: 'string', enum: ['only'] }),
          ],
          responses: { 200: listAnswer, ...errors },
        },
        post: {
          operationId: `create${name}`,
          tags: [tag],
          summary: `Create a ${localized(object.labels.singular, 'en').toLowerCase()}`,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, description: 'Same key and body: the same answer, one record', schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: json(ref('Input')) },
          responses: { 201: { description: 'Created', headers: etagHeader, content: json(ref()) }, ...writeErrors },
        },
      },
      [`${base}/query`]: {
        post: {
          operationId: `query${name}`,
          tags: [tag],
          summary: `List ${label.toLowerCase()} with the filter in the body`,
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              additionalProperties: false,
              properties: {
                filter: { type: 'object' },
                sort: { type: 'string' },
                limit: { type: 'integer', minimum: 1, maximum: 500 },
                cursor: { type: 'string' },
                fields: { type: 'array', items: { type: 'string' } },
                expand: { type: 'array', items: { type: 'string' } },
              },
            }),
          },
          responses: { 200: listAnswer, ...writeErrors },
        },
      },
      [`${base}/batch`]: {
        post: {
          operationId: `batch${name}`,
          tags: [tag],
          summary: 'Create, update or upsert up to 1,000 records: all or nothing',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: {
            required: true,
            content: json({
              type: 'object',
              additionalProperties: false,
              required: ['operation', 'records'],
              properties: {
                operation: { type: 'string', enum: ['create', 'update', 'upsert'] },
                matchOn: { type: 'string', description: 'For upsert without ids: the field that identifies an existing record' },
                records: { type: 'array', minItems: 1, maxItems: 1000, items: { allOf: [ref('Patch')], properties: { id: { type: 'string', format: 'uuid' } } } },
              },
            }),
          },
          responses: { 200: { description: 'Every record, in the order sent', content: json({ type: 'object', properties: { data: { type: 'array', items: ref() }, actions: { type: 'array', items: { type: 'string', enum: ['created', 'updated'] } } } }) }, ...writeErrors },
        },
      },
      [`${base}/{id}`]: {
        parameters: [idParameter],
        get: {
          operationId: `get${name}`,
          tags: [tag],
          summary: `One ${localized(object.labels.singular, 'en').toLowerCase()}`,
          parameters: [fieldsParameter, expandParameter],
          responses: { 200: { description: 'The record', headers: etagHeader, content: json(ref()) }, 304: { description: 'Not modified (If-None-Match)' }, ...errors },
        },
        patch: {
          operationId: `update${name}`,
          tags: [tag],
          summary: 'Change some fields',
          parameters: [ifMatch],
          requestBody: { required: true, content: json(ref('Patch')) },
          responses: { 200: { description: 'Updated', headers: etagHeader, content: json(ref()) }, ...writeErrors },
        },
        delete: {
          operationId: `delete${name}`,
          tags: [tag],
          summary: 'Move to the trash (restorable)',
          parameters: [ifMatch],
          responses: { 204: { description: 'Deleted' }, ...writeErrors },
        },
      },
      [`${base}/{id}/restore`]: {
        parameters: [idParameter],
        post: { operationId: `restore${name}`, tags: [tag], summary: 'Bring back from the trash', responses: { 200: { description: 'Restored', content: json(ref()) }, ...writeErrors } },
      },
      [`${base}/{id}/timeline`]: {
        parameters: [idParameter],
        get: {
          operationId: `timeline${name}`,
          tags: [tag],
          summary: 'Who changed what, newest first',
          parameters: [parameter('limit', 'Entries per page', { type: 'integer', minimum: 1, maximum: 500 }), parameter('cursor', 'pageInfo.nextCursor', { type: 'string' })],
          responses: { 200: { description: 'Timeline', content: json({ type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/TimelineEntry' } }, pageInfo: { $ref: '#/components/schemas/PageInfo' } } }) }, ...errors },
        },
      },
    },
  };
}
