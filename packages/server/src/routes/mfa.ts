import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { type Core, mfaCodeSchema } from '@rapport/core';
import { accessOf } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { jsonContent, problemResponses } from '../schemas';

const statusSchema = z.object({ enabled: z.boolean(), required: z.boolean(), recoveryCodesLeft: z.number().int() }).openapi('MfaStatus');
const errors = { 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 409: problemResponses[409], 422: problemResponses[422] };
const codeBody = { body: { required: true, content: { 'application/json': { schema: mfaCodeSchema } } } };

const routes = {
  status: createRoute({ method: 'get', path: '/me/mfa', tags: ['Authentication'], summary: 'Whether my two-factor authentication is on, and required by my role', responses: { 200: jsonContent(statusSchema, 'Status'), ...errors } }),
  enrol: createRoute({
    method: 'post',
    path: '/me/mfa/enrol',
    tags: ['Authentication'],
    summary: 'Start enrolling an authenticator app: a secret and its otpauth:// URL (for a QR code)',
    responses: { 200: jsonContent(z.object({ secret: z.string(), otpauthUrl: z.string() }), 'To scan'), ...errors },
  }),
  confirm: createRoute({
    method: 'post',
    path: '/me/mfa/confirm',
    tags: ['Authentication'],
    summary: "Confirm with the app's current code: turns two-factor on and returns recovery codes, shown once",
    request: codeBody,
    responses: { 200: jsonContent(z.object({ recoveryCodes: z.array(z.string()) }), 'On'), ...errors },
  }),
  disable: createRoute({ method: 'post', path: '/me/mfa/disable', tags: ['Authentication'], summary: 'Turn two-factor off, with a current code or a recovery code', request: codeBody, responses: { 204: { description: 'Off' }, ...errors } }),
};

export function mfaRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(routes.status, async (c) => {
    const access = await accessOf(core, c);
    return c.json({ ...(await core.mfa.status(access.actor)), required: access.definition.mfaRequired }, 200);
  });
  app.openapi(routes.enrol, async (c) => c.json(await core.mfa.enrol(c.get('auth').actor), 200));
  app.openapi(routes.confirm, async (c) => c.json(await core.mfa.confirm(c.get('auth').actor, c.req.valid('json')), 200));
  app.openapi(routes.disable, async (c) => {
    const access = await accessOf(core, c);
    await core.mfa.disable(access.actor, c.req.valid('json'), access.definition.mfaRequired);
    return c.body(null, 204);
  });
  return app;
}
