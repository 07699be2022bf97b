import { OpenAPIHono } from '@hono/zod-openapi';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { problems } from '@rapport/core';
import type { AppDeps, AppEnv } from './context';
import { notFound, onError, problemResponse, validationHook } from './errors';
import { authenticate, SESSION_COOKIE } from './middleware/auth';
import { requestId } from './middleware/request-id';
import { buildOpenApiDocument } from './openapi/document';
import { refuseDeepJson } from './request-body';
import { clientAddress } from './access';
import { signInThrottle } from './middleware/sign-in-throttle';
import { uploadLimit } from './middleware/upload-limit';
import { apiKeyRoutes } from './routes/api-keys';
import { authRoutes, sessionRoutes } from './routes/auth';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { metadataRoutes } from './routes/metadata';
import { recordRoutes } from './routes/records';
import { viewRoutes } from './routes/views';
import { extensionRoutes, pluginWebRoutes } from './routes/extensions';
import { searchRoutes } from './routes/search';
import { roleRoutes } from './routes/roles';
import { mfaRoutes } from './routes/mfa';
import { mailRoutes } from './routes/mail';
import { notificationRoutes } from './routes/notifications';
import { fileRoutes } from './routes/files';
import { workspaceRoutes } from './routes/workspaces';
import { pluginRoutes } from './routes/plugins';
import { jobRoutes } from './routes/jobs';
import { invitationRoutes } from './routes/invitations';
import { teamRoutes } from './routes/teams';
import { shareRoutes } from './routes/shares';
import { auditRoutes } from './routes/audit';
import { userRoutes } from './routes/users';
import { webhookRoutes } from './routes/webhooks';
import { WebhookService } from './webhooks/webhook-service';
import { webRoutes } from './routes/web';

export const API_VERSION = '0.1.0';

/** Paths under /api/v1 that answer without credentials. */
const PUBLIC_PATHS = new Set(['/api/v1/health', '/api/v1/ready', '/api/v1/openapi.json', '/api/v1/auth/login', '/api/v1/auth/mfa', '/api/v1/auth/invitations/accept', '/api/v1/auth/password-reset', '/api/v1/auth/password-reset/confirm', '/api/v1/auth/sso', '/api/v1/auth/sso/login', '/api/v1/auth/sso/callback']);

/** The Hono app: `/api/v1` (JSON, problem+json errors, OpenAPI), `/api/docs`, and the web shell at `/`. */
export function createApp(deps: AppDeps) {
  const { core } = deps;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound(notFound);
  app.use('*', requestId(deps.log));
  app.use('*', clientAddress(deps.trustedProxies ?? 0));
  // The body is left unread: the connection cannot carry another request, so say it closes.
  const tooLarge = (maxSize: number) => (c: Context) => problemResponse(c, problems.payloadTooLarge(maxSize), { connection: 'close' });
  const apiLimit = bodyLimit({ maxSize: deps.bodyLimitBytes, onError: tooLarge(deps.bodyLimitBytes) });
  const uploadMax = deps.uploadLimitBytes ?? deps.bodyLimitBytes;
  const uploadsLimit = uploadLimit(uploadMax, tooLarge(uploadMax));
  // Files sent to plugins' upload routes may be larger than API bodies, and are streamed, never held whole.
  app.use('/api/*', (c, next) => (deps.plugins?.acceptsUpload(c.req.method, c.req.path) ? uploadsLimit : apiLimit)(c, next));
  app.use('/api/*', async (c, next) => {
    await next();
    // A request refused before its body was read (401, 404, 415…): read the rest of the body (at
    // most the body limit) before answering, or the server would close the kept-alive connection
    // under the client's next request.
    const raw = c.req.raw;
    if (raw.body && !raw.bodyUsed) await raw.arrayBuffer().catch(() => undefined);
  });
  app.use('/api/*', refuseDeepJson);

  const secureCookies = deps.publicUrl?.startsWith('https://') ?? false;
  const documented = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  documented.route('/', healthRoutes(core));
  documented.route('/', authRoutes(core, { secureCookies }));
  documented.route('/', sessionRoutes(core));
  documented.route('/', apiKeyRoutes(core));
  documented.route('/', userRoutes(core));
  documented.route('/', metadataRoutes(core));
  documented.route('/', searchRoutes(core));
  documented.route('/', mfaRoutes(core));
  documented.route('/', mailRoutes(core));
  documented.route('/', webhookRoutes(core, deps.webhooks ?? new WebhookService(core)));
  documented.route('/', notificationRoutes(core));
  documented.route('/', fileRoutes(core));
  documented.route('/', workspaceRoutes(core));
  if (deps.plugins) documented.route('/', pluginRoutes(core, deps.plugins));
  if (deps.plugins) documented.route('/', extensionRoutes(core, deps.plugins));
  if (deps.jobs) documented.route('/', jobRoutes(core, deps.jobs));
  documented.route('/', invitationRoutes(core));
  documented.route('/', roleRoutes(core));
  documented.route('/', teamRoutes(core));
  documented.route('/', shareRoutes(core));
  documented.route('/', viewRoutes(core));
  documented.route('/', auditRoutes(core));

  const api = new Hono<AppEnv>();
  const requireAuth = authenticate(core);
  api.use('*', async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : requireAuth(c, next)));
  // One throttle for both steps of a sign-in, per client address (beside the per-account lockout).
  const throttle = signInThrottle();
  api.use('/auth/login', throttle);
  api.use('/auth/mfa', throttle);
  api.get('/openapi.json', async (c) => {
    // With credentials, the document shows the caller's workspace (its custom objects and fields).
    let metadata = core.registry.declaredOnly();
    const authorization = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const session = getCookie(c, SESSION_COOKIE);
    const actor = authorization ? await core.identity.resolveApiKey(authorization) : session ? (await core.identity.resolveSession(session))?.actor : null;
    // Only what the caller may read: no object or field their role hides.
    if (actor) metadata = await core.records.visibleMetadata(actor);
    return c.json(buildOpenApiDocument(documented, metadata, API_VERSION, deps.plugins?.openApiPaths()));
  });
  api.route('/', documented);
  api.route('/records', recordRoutes(core));
  // Every plugin's routes behind one dispatcher over the host's map (Hono cannot drop routes).
  if (deps.plugins) {
    const host = deps.plugins;
    api.all('/plugins/:id/*', async (c) => {
      // A body the host's middleware already read (JSON depth check) goes on from Hono's cache.
      const raw = c.req.raw;
      const request = raw.bodyUsed ? new Request(raw.url, { method: raw.method, headers: raw.headers, body: await c.req.arrayBuffer() }) : raw;
      return host.dispatch(c.req.param('id'), request, c.var);
    });
  }
  app.route('/api/v1', api);
  app.route('/api/docs', docsRoutes());
  if (deps.plugins) app.route('/plugin-web', pluginWebRoutes(deps.plugins));
  app.route('/', webRoutes(deps.webRoot));
  return { app, documented };
}
