import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = Record<string, any>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const en = (text: string) => ({ en: text });

/** A custom object with one field of most kinds, two relations (one with a link attribute) and a reverse side. */
const engagement = {
  name: 'engagement',
  labels: { singular: en('Engagement'), plural: en('Engagements') },
  icon: 'handshake',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: en('Title'), required: true },
    { name: 'notes', type: 'longText', labels: en('Notes') },
    {
      name: 'stage',
      type: 'select',
      labels: en('Stage'),
      options: [
        { value: 'lead', labels: en('Lead'), color: '#3366ff' },
        { value: 'won', labels: en('Won') },
        { value: 'lost', labels: en('Lost') },
      ],
    },
    { name: 'tags', type: 'multiSelect', labels: en('Tags'), options: [{ value: 'vip', labels: en('VIP') }, { value: 'renewal', labels: en('Renewal') }] },
    { name: 'budget', type: 'currency', labels: en('Budget'), currencies: ['EUR', 'USD'] },
    { name: 'seats', type: 'number', labels: en('Seats'), integer: true },
    { name: 'startsOn', type: 'date', labels: en('Starts on') },
    { name: 'signed', type: 'boolean', labels: en('Signed') },
    { name: 'contactEmail', type: 'email', labels: en('Contact e-mail'), personalData: true },
    { name: 'priority', type: 'rating', labels: en('Priority'), max: 3 },
    { name: 'company', type: 'relation', labels: en('Company'), relation: { kind: 'manyToOne', target: 'company', reverse: { name: 'engagements', labels: en('Engagements') } } },
    {
      name: 'contacts',
      type: 'relation',
      labels: en('Contacts'),
      relation: { kind: 'manyToMany', target: 'person', attributes: [{ name: 'role', type: 'text', labels: en('Role') }] },
    },
  ],
};

async function validate(document: Json): Promise<{ valid: boolean; errors?: unknown }> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  expect(validator.version).toBe('3.1');
  return result;
}

function operations(document: Json): { path: string; method: string; operation: Json; pathItem: Json }[] {
  return Object.entries(document.paths as Json).flatMap(([path, pathItem]) =>
    METHODS.filter((method) => pathItem[method]).map((method) => ({ path, method, operation: pathItem[method] as Json, pathItem: pathItem as Json })),
  );
}

/** What a JSON Schema validator of the document cannot see: the operations themselves. */
function checkOperations(document: Json): string[] {
  const problems: string[] = [];
  const operationIds = new Map<string, string>();
  for (const path of Object.keys(document.paths)) {
    if (!path.startsWith('/api/v1/')) problems.push(`${path}: not under /api/v1`);
  }
  for (const { path, method, operation, pathItem } of operations(document)) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!operation.operationId && !operation.summary) problems.push(`${where}: neither operationId nor summary`);
    if (operation.operationId) {
      if (operationIds.has(operation.operationId)) problems.push(`${where}: operationId ${operation.operationId} also used by ${operationIds.get(operation.operationId)}`);
      operationIds.set(operation.operationId, where);
    }
    if (!operation.responses || Object.keys(operation.responses).length === 0) problems.push(`${where}: no responses`);
    const parameters: Json[] = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])];
    const pathParameters = new Set(parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name));
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    for (const name of templated) if (!pathParameters.has(name)) problems.push(`${where}: path parameter {${name}} is not declared`);
    for (const name of pathParameters) if (!templated.includes(name)) problems.push(`${where}: path parameter ${name} is not in the path`);
    for (const parameter of parameters) {
      if (parameter.in === 'path' && parameter.required !== true) problems.push(`${where}: path parameter ${parameter.name} must be required`);
    }
    const keys = parameters.map((parameter) => `${parameter.in}:${parameter.name}`);
    const operationKeys = (operation.parameters ?? []).map((parameter: Json) => `${parameter.in}:${parameter.name}`);
    if (new Set(operationKeys).size !== operationKeys.length) problems.push(`${where}: a parameter is listed twice (${keys.join(', ')})`);
  }
  return problems;
}

describeDb('the OpenAPI document', () => {
  let t: TestServer;
  let anonymous: Json;
  let workspace: Json;
  beforeAll(async () => {
    t = await createTestServer();
    const response = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(response.status).toBe(200);
    anonymous = (await response.json()) as Json;
    const created = await t.request('/api/v1/metadata/objects', { method: 'POST', json: engagement });
    expect(created.status, await created.clone().text()).toBe(201);
    const authenticated = await t.request('/api/v1/openapi.json');
    expect(authenticated.status).toBe(200);
    workspace = (await authenticated.json()) as Json;
  });
  afterAll(() => t?.close());

  it('is valid OpenAPI 3.1, anonymous and for a workspace with a custom object', async () => {
    expect(anonymous.openapi).toBe('3.1.0');
    expect(await validate(anonymous)).toEqual({ valid: true });
    expect(await validate(workspace)).toEqual({ valid: true });
  });

  it('names every operation, keeps every path under /api/v1 and declares every path parameter', () => {
    expect(checkOperations(anonymous)).toEqual([]);
    expect(checkOperations(workspace)).toEqual([]);
    expect(operations(workspace).length).toBeGreaterThan(operations(anonymous).length);
  });

  it('has the operations and schemas of the custom object, from its fields', () => {
    const base = '/api/v1/records/engagement';
    for (const document of [anonymous, workspace]) expect(Object.keys(document.paths)).toContain('/api/v1/records/company');
    expect(Object.keys(anonymous.paths).filter((path) => path.startsWith(base))).toEqual([]);
    expect(anonymous.components.schemas.EngagementInput).toBeUndefined();

    const paths = workspace.paths;
    expect(Object.keys(paths).filter((path) => path.startsWith(base)).sort()).toEqual([base, `${base}/batch`, `${base}/query`, `${base}/{id}`, `${base}/{id}/restore`, `${base}/{id}/timeline`]);
    expect(paths[base].get.operationId).toBe('listEngagement');
    expect(paths[base].post.operationId).toBe('createEngagement');
    expect(paths[base].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/EngagementInput' });
    expect(paths[`${base}/{id}`].patch.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/EngagementPatch' });
    expect(paths[`${base}/{id}`].get.responses[200].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Engagement' });

    const schemas = workspace.components.schemas;
    const input = schemas.EngagementInput;
    expect(input.additionalProperties).toBe(false);
    expect(input.required).toEqual(['title']);
    expect(Object.keys(input.properties).sort()).toEqual(['budget', 'company', 'contactEmail', 'contacts', 'notes', 'ownerId', 'priority', 'seats', 'signed', 'stage', 'startsOn', 'tags', 'title']);
    const value = (property: Json) => property.anyOf?.find((schema: Json) => schema.type !== 'null') ?? property;
    expect(value(input.properties.stage).enum).toEqual(['lead', 'won', 'lost']);
    expect(value(input.properties.tags)).toMatchObject({ type: 'array', items: { enum: ['vip', 'renewal'] } });
    expect(value(input.properties.budget)).toMatchObject({ type: 'object', required: ['amountMinor', 'currency'], properties: { amountMinor: { type: 'integer' }, currency: { type: 'string' } } });
    // An integer number field validates as a number piped into an integer: its input schema says number.
    expect(['number', 'integer']).toContain(value(input.properties.seats).type);
    expect(value(input.properties.startsOn)).toMatchObject({ type: 'string', format: 'date' });
    expect(value(input.properties.signed).type).toBe('boolean');
    expect(value(input.properties.contactEmail)).toMatchObject({ type: 'string', maxLength: 320 });
    expect(value(input.properties.priority)).toMatchObject({ type: 'integer', minimum: 1, maximum: 3 });
    expect(value(input.properties.company)).toMatchObject({ type: 'string', format: 'uuid' });
    expect(value(input.properties.contacts).type).toBe('array');
    expect(JSON.stringify(value(input.properties.contacts))).toContain('"role"');
    expect(input.properties.contactEmail.description).toContain('personal data');

    const record = schemas.Engagement;
    expect(record.required).toEqual(['id', 'createdAt', 'updatedAt']);
    expect(value(record.properties.contacts)).toMatchObject({ type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' }, role: expect.any(Object) } } });
    expect(schemas.EngagementPatch.required ?? []).toEqual([]);
    // The reverse side of the manyToOne appears on the company, read-only.
    expect(schemas.Company.properties.engagements).toMatchObject({ readOnly: true });
    expect(schemas.CompanyInput.properties.engagements).toBeUndefined();
  });

  it('resolves every reference to a component', () => {
    for (const document of [anonymous, workspace]) {
      const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
      expect(refs.filter((name) => !(name in document.components.schemas))).toEqual([]);
    }
  });
});
