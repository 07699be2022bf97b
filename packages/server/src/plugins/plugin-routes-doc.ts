import { z } from 'zod';
import { problems, zodIssuesToProblems } from '@rapport/core';
import type { RouteDoc } from '@rapport/sdk/server';

type Json = Record<string, any>;
type Method = 'get' | 'post' | 'patch' | 'delete';

/** A route a plugin registered, for the OpenAPI document. */
export interface DocumentedRoute {
  method: Method;
  path: string;
  doc?: RouteDoc;
  upload?: boolean;
}

/** The query a documented route takes, parsed; its problems named by parameter. */
export function checkedQuery(doc: RouteDoc | undefined, query: Record<string, string>): unknown {
  if (!doc?.query) return query;
  const result = doc.query.safeParse(query);
  if (!result.success) throw problems.validation(zodIssuesToProblems(result.error.issues));
  return result.data;
}

/** The JSON body a documented route takes, parsed; its problems named by field. */
export async function checkedBody(doc: RouteDoc | undefined, read: () => Promise<unknown>): Promise<unknown> {
  if (!doc?.body) return undefined;
  const body = await read().catch(() => {
    throw problems.validation([{ field: 'body', code: 'invalid_json', message: 'is not valid JSON' }]);
  });
  const result = doc.body.safeParse(body);
  if (!result.success) throw problems.validation(zodIssuesToProblems(result.error.issues));
  return result.data;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  try {
    const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    return rest;
  } catch {
    return {};
  }
}

const problem = { description: 'A problem (RFC 9457)', content: { 'application/problem+json': { schema: { type: 'object' } } } };

/** The OpenAPI paths of a plugin's routes: documented ones with their parameters and bodies, the others listed plainly. */
export function pluginPaths(id: string, routes: readonly DocumentedRoute[]): Json {
  const paths: Json = {};
  for (const route of routes) {
    const path = `/api/v1/plugins/${id}${route.path.replace(/:(\w+)/g, '{$1}')}`;
    const names = [...route.path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
    const query = route.doc?.query ? schemaOf(route.doc.query, 'input') : null;
    const operation: Json = {
      tags: [`plugin:${id}`],
      operationId: `${id}_${route.method}_${route.path}`.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, ''),
      summary: route.doc?.summary ?? `${route.method.toUpperCase()} ${route.path} (plugin ${id}, undocumented)`,
      ...(route.doc?.description ? { description: route.doc.description } : {}),
      parameters: [
        ...names.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...Object.entries((query?.properties ?? {}) as Json).map(([name, schema]) => ({ name, in: 'query', required: ((query?.required ?? []) as string[]).includes(name), schema })),
      ],
      ...(route.upload
        ? { requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } } }
        : route.doc?.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.doc.body, 'input') } } } }
          : {}),
      responses: {
        200: { description: 'Success', ...(route.doc?.response ? { content: { 'application/json': { schema: schemaOf(route.doc.response, 'output') } } } : {}) },
        ...(route.doc?.query || route.doc?.body ? { 422: problem } : {}),
        default: problem,
      },
    };
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation };
  }
  return paths;
}
