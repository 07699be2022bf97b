import { type OpenAPIHono, z } from '@hono/zod-openapi';
import type { WorkspaceMetadata } from '@rapport/core';
import { pageInfoSchema } from '../schemas';
import { objectOpenApi } from './object-paths';

type Json = Record<string, any>;

export const API_PREFIX = '/api/v1';

// The lists of every object refer to it, and no static route registers it with the zod schemas.
const { $schema: _, ...pageInfo } = z.toJSONSchema(pageInfoSchema) as Json;

const timelineEntry = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    at: { type: 'string', format: 'date-time' },
    action: { type: 'string', description: 'created, updated, deleted, restored, merged, unmerged, or <plugin>.<kind> for an entry a plugin adds' },
    mergedFrom: { type: 'string', format: 'uuid', description: 'For an entry of a record merged into this one: that record' },
    actor: {
      type: 'object',
      properties: {
        kind: { type: 'string', description: 'user, apiKey, plugin or system' },
        id: { type: ['string', 'null'] },
        name: { type: 'string', description: "An API key's name" },
        userId: { type: ['string', 'null'], description: 'For an API key: the user accountable for it (who made it)' },
      },
    },
    changes: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, old: {}, new: {} }, required: ['field'] } },
    source: { type: 'string', description: 'The plugin that added the entry' },
    title: { type: 'object', properties: { en: { type: 'string' }, fr: { type: 'string' } }, required: ['en'] },
    body: { type: 'object', properties: { en: { type: 'string' }, fr: { type: 'string' } }, required: ['en'] },
  },
  required: ['id', 'at', 'action', 'actor', 'changes'],
};

/**
 * The OpenAPI 3.1 document: static routes from their zod schemas, then one set of operations per
 * object from the workspace's metadata (its custom objects and fields included), then the routes of
 * the enabled plugins.
 */
export function buildOpenApiDocument(api: OpenAPIHono<any>, metadata: WorkspaceMetadata, version: string, pluginPaths: Json = {}): Json {
  const document = api.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Rapport API',
      version,
      description: 'Records, metadata and identity of a Rapport CRM. Errors are RFC 9457 problem+json; lists use cursors. Guide: docs/api.md.',
    },
  }) as Json;
  const paths: Json = {};
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    paths[`${API_PREFIX}${path.replace(/:(\w+)/g, '{$1}')}`] = item;
  }
  const components: Json = document.components ?? {};
  components.schemas = { ...(components.schemas ?? {}), PageInfo: pageInfo, TimelineEntry: timelineEntry };
  components.securitySchemes = {
    apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: "Authorization: Bearer rk_…"' },
    session: { type: 'apiKey', in: 'cookie', name: 'rapport_session', description: 'The web session; unsafe requests also need the X-CSRF-Token header' },
  };
  for (const object of [...metadata.objects.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    const generated = objectOpenApi(object);
    Object.assign(components.schemas, generated.schemas);
    Object.assign(paths, generated.paths);
  }
  // The enabled plugins' routes, under /api/v1/plugins/<id>/.
  Object.assign(paths, pluginPaths);
  return { ...document, servers: [{ url: '/' }], security: [{ apiKey: [] }, { session: [] }], paths, components };
}
