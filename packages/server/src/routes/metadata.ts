import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Actor, type Core, FIELD_TYPES, FILTER_OPERATORS, fieldInput, fieldPatch, objectInput, objectPatch, problems } from '@rapport/core';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const localized = z.object({ en: z.string(), fr: z.string().optional() }).openapi('LocalizedText');

const fieldView: z.ZodType = z
  .object({
    key: z.string(),
    name: z.string(),
    type: z.enum(FIELD_TYPES),
    labels: localized,
    description: localized.optional(),
    required: z.boolean(),
    unique: z.boolean(),
    indexed: z.boolean(),
    searchable: z.boolean(),
    personalData: z.boolean(),
    sensitive: z.boolean(),
    readOnly: z.boolean(),
    operators: z.array(z.enum(FILTER_OPERATORS)).openapi({ description: 'The filter operators the field takes' }),
    sortable: z.boolean().openapi({ description: 'Whether lists can be sorted by it' }),
    custom: z.boolean(),
    owner: z.string(),
    default: z.unknown().optional(),
    rules: z.array(z.record(z.string(), z.unknown())),
    options: z.array(z.object({ value: z.string(), labels: localized, color: z.string().optional() })).optional(),
    max: z.number().optional(),
    integer: z.boolean().optional(),
    currencies: z.array(z.string()).optional(),
    defaultCountry: z.string().optional(),
    relation: z
      .object({
        kind: z.enum(['manyToOne', 'manyToMany', 'oneToMany']),
        target: z.string(),
        reverse: z.object({ name: z.string(), labels: localized }).optional(),
        inverseOf: z.string().optional(),
        attributes: z.array(z.record(z.string(), z.unknown())).optional(),
      })
      .optional(),
  })
  .openapi('FieldDefinition');

const objectView = z
  .object({
    key: z.string(),
    name: z.string(),
    labels: z.object({ singular: localized, plural: localized }),
    icon: z.string(),
    labelField: z.string(),
    titleFields: z.array(z.string()).openapi({ description: 'The fields whose values, joined by spaces, name a record where one is shown ("Jean Dupont"); labelField alone unless chosen' }),
    owner: z.string(),
    custom: z.boolean(),
    rules: z.array(z.record(z.string(), z.unknown())),
    fields: z.array(fieldView),
  })
  .openapi('ObjectDefinition');

const objectParam = z.object({ object: z.string().openapi({ param: { name: 'object', in: 'path' }, example: 'company' }) });
const fieldParams = objectParam.extend({ field: z.string().openapi({ param: { name: 'field', in: 'path' }, example: 'industry' }) });
const body = <T extends z.ZodType>(schema: T, _name: string) => ({ body: { required: true, content: { 'application/json': { schema } } } });
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404], 409: problemResponses[409], 422: problemResponses[422] };

const routes = {
  list: createRoute({ method: 'get', path: '/metadata/objects', tags: ['Metadata'], summary: 'Every object of the workspace, with its fields', responses: { 200: jsonContent(z.object({ data: z.array(objectView) }), 'Objects'), 401: errors[401] } }),
  create: createRoute({ method: 'post', path: '/metadata/objects', tags: ['Metadata'], summary: 'Create a custom object with its fields, in one transaction', request: body(objectInput, 'NewObject'), responses: { 201: jsonContent(objectView, 'Created'), ...errors } }),
  get: createRoute({ method: 'get', path: '/metadata/objects/{object}', tags: ['Metadata'], summary: 'One object', request: { params: objectParam }, responses: { 200: jsonContent(objectView, 'The object'), 401: errors[401], 404: errors[404] } }),
  update: createRoute({ method: 'patch', path: '/metadata/objects/{object}', tags: ['Metadata'], summary: "Change an object's labels, icon, label field or rules", request: { params: objectParam, ...body(objectPatch, 'ObjectPatch') }, responses: { 200: jsonContent(objectView, 'Updated'), ...errors } }),
  remove: createRoute({ method: 'delete', path: '/metadata/objects/{object}', tags: ['Metadata'], summary: 'Delete a custom object (refused while records or relations depend on it)', request: { params: objectParam }, responses: { 204: { description: 'Deleted' }, ...errors } }),
  addField: createRoute({ method: 'post', path: '/metadata/objects/{object}/fields', tags: ['Metadata'], summary: 'Add a custom field', request: { params: objectParam, ...body(fieldInput, 'NewField') }, responses: { 201: jsonContent(objectView, 'The object with its new field'), ...errors } }),
  updateField: createRoute({ method: 'patch', path: '/metadata/objects/{object}/fields/{field}', tags: ['Metadata'], summary: "Change a field's labels, rules, options, required, unique, indexed or searchable", request: { params: fieldParams, ...body(fieldPatch, 'FieldPatch') }, responses: { 200: jsonContent(objectView, 'The object'), ...errors } }),
  removeField: createRoute({ method: 'delete', path: '/metadata/objects/{object}/fields/{field}', tags: ['Metadata'], summary: 'Delete a custom field and its values (refused while something depends on it)', request: { params: fieldParams }, responses: { 204: { description: 'Deleted' }, ...errors } }),
};


export function metadataRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const { metadata } = core;
  app.openapi(routes.list, async (c) => c.json({ data: await metadata.list(c.get('auth').actor) }, 200));
  app.openapi(routes.create, async (c) => c.json(await metadata.createObject(c.get('auth').actor, c.req.valid('json')), 201));
  app.openapi(routes.get, async (c) => c.json(await metadata.get(c.get('auth').actor, c.req.valid('param').object), 200));
  app.openapi(routes.update, async (c) => c.json(await metadata.updateObject(c.get('auth').actor, c.req.valid('param').object, c.req.valid('json')), 200));
  app.openapi(routes.remove, async (c) => {
    await metadata.deleteObject(c.get('auth').actor, c.req.valid('param').object);
    return c.body(null, 204);
  });
  app.openapi(routes.addField, async (c) => c.json(await metadata.addField(c.get('auth').actor, c.req.valid('param').object, c.req.valid('json')), 201));
  app.openapi(routes.updateField, async (c) => {
    const { object, field } = c.req.valid('param');
    return c.json(await metadata.updateField(c.get('auth').actor, object, field, c.req.valid('json')), 200);
  });
  app.openapi(routes.removeField, async (c) => {
    const { object, field } = c.req.valid('param');
    await metadata.deleteField(c.get('auth').actor, object, field);
    return c.body(null, 204);
  });
  return app;
}
