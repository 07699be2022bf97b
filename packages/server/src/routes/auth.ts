import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Context } from 'hono';
import { type Access, type Core, ProblemError, FIELD_ACCESS, type FieldAccess, acceptInvitationSchema, loginSchema, mfaLoginSchema, resetConfirmSchema, resetRequestSchema, type SessionInfo, SCOPES, type Scope, SESSION_DAYS, type WorkspaceMetadata } from '@rapport/core';
import { clientIp } from '../access';
import type { AppEnv } from '../context';
import { validationHook } from '../errors';
import { CSRF_COOKIE, SESSION_COOKIE } from '../middleware/auth';
import { jsonContent, problemResponses } from '../schemas';

const userSchema = z.object({ id: z.uuid(), email: z.string(), name: z.string(), locale: z.string() }).openapi('SessionUser');

const sessionSchema = z
  .object({ mfaRequired: z.literal(false), user: userSchema, workspaceId: z.uuid(), role: z.string().optional(), csrfToken: z.string(), expiresAt: z.string() })
  .openapi('Session');

const challengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    challenge: z.string().openapi({ description: 'Send it with the TOTP (or a recovery) code to POST /api/v1/auth/mfa' }),
    expiresAt: z.string(),
  })
  .openapi('MfaChallenge');

const acceptInvitation = createRoute({
  method: 'post',
  path: '/auth/invitations/accept',
  tags: ['Authentication'],
  summary: 'Accept an invitation (new account: name and password; existing account: its password); signs in',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: acceptInvitationSchema } } } },
  responses: { 200: jsonContent(sessionSchema, 'Joined and signed in'), 400: problemResponses[400], 401: problemResponses[401], 410: { description: 'Expired, used or revoked', content: problemResponses[404].content }, 422: problemResponses[422] },
});

const requestReset = createRoute({
  method: 'post',
  path: '/auth/password-reset',
  tags: ['Authentication'],
  summary: 'Email a password reset link (the answer is the same whether the account exists or not)',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: resetRequestSchema } } } },
  responses: { 202: { description: 'If the account exists, a link is on its way' }, 400: problemResponses[400], 422: problemResponses[422] },
});

const confirmReset = createRoute({
  method: 'post',
  path: '/auth/password-reset/confirm',
  tags: ['Authentication'],
  summary: 'Set a new password with the emailed token; every session of the account ends',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: resetConfirmSchema } } } },
  responses: { 204: { description: 'Changed' }, 400: problemResponses[400], 401: problemResponses[401], 410: { description: 'Expired or used', content: problemResponses[404].content }, 422: problemResponses[422] },
});

const ssoStatus = createRoute({
  method: 'get',
  path: '/auth/sso',
  tags: ['Authentication'],
  summary: 'Whether single sign-on (OpenID Connect) is configured on this server',
  security: [],
  responses: { 200: jsonContent(z.object({ enabled: z.boolean() }), 'Status') },
});

const ssoLogin = createRoute({
  method: 'get',
  path: '/auth/sso/login',
  tags: ['Authentication'],
  summary: 'Start a single sign-on: redirects the browser to the identity provider',
  security: [],
  request: { query: z.object({ returnTo: z.string().max(500).optional().openapi({ description: 'A path of this server to land on afterwards' }) }) },
  responses: { 302: { description: 'To the identity provider' }, 400: problemResponses[400], 404: problemResponses[404], 502: { description: 'Provider unreachable', content: problemResponses[404].content } },
});

const ssoCallback = createRoute({
  method: 'get',
  path: '/auth/sso/callback',
  tags: ['Authentication'],
  summary: "The identity provider's redirect back: opens the session (creating the user on first sign-in), then redirects",
  security: [],
  request: { query: z.object({ code: z.string().max(2000).optional(), state: z.string().max(500).optional(), iss: z.string().max(500).optional(), error: z.string().max(200).optional(), error_description: z.string().max(1000).optional() }) },
  responses: { 302: { description: 'Signed in' }, 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] },
});

const mfaLogin = createRoute({
  method: 'post',
  path: '/auth/mfa',
  tags: ['Authentication'],
  summary: 'Second step of a sign-in with two-factor authentication; sets the session cookie',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: mfaLoginSchema } } } },
  responses: { 200: jsonContent(sessionSchema, 'Signed in'), 400: problemResponses[400], 401: problemResponses[401], 422: problemResponses[422] },
});

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  tags: ['Authentication'],
  summary: 'Sign in with email and password; sets the session cookie, or asks for the second factor',
  security: [],
  request: { body: { required: true, content: { 'application/json': { schema: loginSchema } } } },
  responses: {
    200: jsonContent(z.union([sessionSchema, challengeSchema]), 'Signed in, or the password was right and a TOTP code is needed'),
    400: problemResponses[400],
    401: problemResponses[401],
    403: problemResponses[403],
    422: problemResponses[422],
    429: { description: 'Locked after repeated failures', content: { 'application/problem+json': { schema: problemResponses[400].content['application/problem+json'].schema } } },
  },
});

const logout = createRoute({
  method: 'post',
  path: '/auth/logout',
  tags: ['Authentication'],
  summary: 'Sign out: ends the session',
  responses: { 204: { description: 'Signed out' }, 401: problemResponses[401], 403: problemResponses[403] },
});

const meSchema = z
  .object({
    // A union, not .nullable(): the latter is rendered `allOf: [SessionUser, {type: [object, null]}]`, which refuses null.
    user: z.union([userSchema, z.null()]),
    workspaceId: z.uuid(),
    role: z.string().nullable(),
    via: z.enum(['session', 'apiKey']),
    actor: z.object({ kind: z.string(), id: z.string() }),
    permissions: z
      .object({
        objects: z.record(
          z.string(),
          z.object({
            read: z.enum(SCOPES),
            create: z.boolean(),
            update: z.enum(SCOPES),
            delete: z.enum(SCOPES),
            fields: z.record(z.string(), z.enum(FIELD_ACCESS)),
          }),
        ),
        export: z.boolean(),
        import: z.boolean(),
        admin: z.object({ settings: z.boolean(), users: z.boolean(), plugins: z.boolean(), audit: z.boolean() }),
        mfaRequired: z.boolean(),
      })
      .openapi({ description: "My effective rights (an API key's narrowed by its creator's), per object of the workspace and per field" }),
  })
  .openapi('Me');

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Authentication'],
  summary: 'Who I am: the signed-in user, or the API key in use',
  responses: { 200: jsonContent(meSchema, 'The caller'), 401: problemResponses[401] },
});

const updateMe = createRoute({
  method: 'patch',
  path: '/me',
  tags: ['Authentication'],
  summary: 'Change my name or language',
  request: { body: { required: true, content: { 'application/json': { schema: z.strictObject({ name: z.string().optional(), locale: z.enum(['en', 'fr']).optional() }).openapi('ProfilePatch') } } } },
  responses: { 200: jsonContent(userSchema, 'My profile'), 400: problemResponses[400], 401: problemResponses[401], 403: problemResponses[403], 422: problemResponses[422] },
});

/** Every object's rights spelled out (no "*"), with every field's access, so the shell needs no rules of its own. */
function effectivePermissions(access: Access, metadata: WorkspaceMetadata) {
  const objects: Record<string, { read: Scope; create: boolean; update: Scope; delete: Scope; fields: Record<string, FieldAccess> }> = {};
  for (const object of metadata.objects.values()) {
    const rights = access.rights(object);
    if (rights.read === 'none') continue;
    const fields: Record<string, FieldAccess> = {};
    for (const field of object.fields) fields[field.name] = !access.canReadField(object, field) ? 'hidden' : access.canWriteField(object, field) ? 'write' : 'read';
    objects[object.name] = { read: rights.read, create: rights.create, update: rights.update, delete: rights.delete, fields };
  }
  return { objects, export: access.definition.export, import: access.definition.import, admin: access.definition.admin, mfaRequired: access.definition.mfaRequired };
}

export function authRoutes(core: Core, options: { secureCookies: boolean }) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const signedIn = (c: Context<AppEnv>, { token, info }: { token: string; info: SessionInfo }) => {
    const cookie = { path: '/', sameSite: 'Lax' as const, secure: options.secureCookies, maxAge: SESSION_DAYS * 86_400 };
    setCookie(c, SESSION_COOKIE, token, { ...cookie, httpOnly: true });
    setCookie(c, CSRF_COOKIE, info.csrfToken, cookie);
    return { mfaRequired: false as const, user: info.user, workspaceId: info.actor.workspaceId, role: info.actor.role, csrfToken: info.csrfToken, expiresAt: info.expiresAt.toISOString() };
  };
  app.openapi(login, async (c) => {
    const result = await core.identity.login(c.req.valid('json'), { ip: clientIp(c) });
    if (result.mfaRequired) return c.json({ mfaRequired: true as const, challenge: result.challenge, expiresAt: result.expiresAt.toISOString() }, 200);
    return c.json(signedIn(c, result), 200);
  });
  app.openapi(mfaLogin, async (c) => c.json(signedIn(c, await core.mfa.completeLogin(c.req.valid('json'), { ip: clientIp(c) })), 200));
  app.openapi(ssoStatus, (c) => c.json({ enabled: core.sso.enabled }, 200));
  app.openapi(ssoLogin, async (c) => c.redirect((await core.sso.start(c.req.valid('query').returnTo)).href, 302));
  app.openapi(ssoCallback, async (c) => {
    const { error, error_description } = c.req.valid('query');
    if (error) throw new ProblemError({ status: 401, slug: 'sso-failed', title: 'Single sign-on failed', detail: `The identity provider answered ${error}${error_description ? `: ${error_description}` : ''}` });
    // The URL as the provider called it (behind a proxy, the public one), for the code exchange checks.
    const current = new URL(c.req.url);
    const publicUrl = new URL(`${core.sso.publicCallbackBase()}${current.search}`);
    const { session, returnTo } = await core.sso.finish(publicUrl, { ip: clientIp(c) });
    signedIn(c, session);
    return c.redirect(returnTo, 302);
  });
  app.openapi(acceptInvitation, async (c) => c.json(signedIn(c, await core.invitations.accept(c.req.valid('json'), { ip: clientIp(c) })), 200));
  app.openapi(requestReset, async (c) => {
    await core.passwordResets.request(c.req.valid('json'), { ip: clientIp(c) });
    return c.body(null, 202);
  });
  app.openapi(confirmReset, async (c) => {
    await core.passwordResets.confirm(c.req.valid('json'), { ip: clientIp(c) });
    return c.body(null, 204);
  });
  return app;
}

export function sessionRoutes(core: Core) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openapi(logout, async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await core.identity.logout(token);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    deleteCookie(c, CSRF_COOKIE, { path: '/' });
    return c.body(null, 204);
  });
  app.openapi(updateMe, async (c) => {
    const user = await core.identity.updateProfile(c.get('auth').actor, c.req.valid('json'));
    return c.json({ id: user.id, email: user.email, name: user.name, locale: user.locale }, 200);
  });
  app.openapi(me, async (c) => {
    const { actor, via } = c.get('auth');
    const access = await core.access.resolve(actor);
    const user = actor.userId ? await core.identity.getUser(actor.workspaceId, actor.userId).catch(() => null) : null;
    return c.json(
      {
        user: user ? { id: user.id, email: user.email, name: user.name, locale: user.locale } : null,
        workspaceId: actor.workspaceId,
        role: access.roleKey,
        via,
        actor: { kind: actor.kind, id: actor.id },
        permissions: effectivePermissions(access, await core.records.metadata(actor)),
      },
      200,
    );
  });
  return app;
}
