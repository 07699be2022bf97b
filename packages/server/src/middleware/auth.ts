import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { type Core, ProblemError, problems } from '@rapport/core';
import type { AppEnv } from '../context';
import { problemResponse } from '../errors';

export const SESSION_COOKIE = 'rapport_session';
export const CSRF_COOKIE = 'rapport_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MFA_ENROLMENT_PATHS = new Set(['/api/v1/me', '/api/v1/me/mfa', '/api/v1/me/mfa/enrol', '/api/v1/me/mfa/confirm', '/api/v1/auth/logout']);

/**
 * Every `/api/v1` route but the public ones needs a session cookie or an API key. Cookie-based
 * unsafe requests must also echo the session's CSRF token in `X-CSRF-Token`.
 */
export function authenticate(core: Core): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const authorization = c.req.header('authorization');
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      const actor = match ? await core.identity.resolveApiKey(match[1]!) : null;
      if (!actor) return problemResponse(c, problems.unauthenticated('The API key is unknown, revoked, or malformed'));
      c.set('auth', { actor, via: 'apiKey' });
      return next();
    }
    const token = getCookie(c, SESSION_COOKIE);
    const session = token ? await core.identity.resolveSession(token) : null;
    if (!session) return problemResponse(c, problems.unauthenticated());
    if (!SAFE_METHODS.has(c.req.method) && c.req.header(CSRF_HEADER) !== session.csrfToken) {
      return problemResponse(
        c,
        new ProblemError({ status: 403, slug: 'csrf', title: 'CSRF token missing or wrong', detail: `Send the session's CSRF token in the ${CSRF_HEADER} header` }),
      );
    }
    c.set('auth', { actor: session.actor, via: 'session', csrfToken: session.csrfToken });
    // A role that requires two-factor authentication: until the user turns it on, only enrolment is open.
    if (!session.mfaEnabled && !MFA_ENROLMENT_PATHS.has(c.req.path) && (await core.access.resolve(session.actor)).definition.mfaRequired) {
      return problemResponse(
        c,
        new ProblemError({ status: 403, slug: 'mfa-enrolment-required', title: 'Two-factor authentication required', detail: 'Your role requires two-factor authentication: turn it on at /api/v1/me/mfa/enrol first' }),
      );
    }
    return next();
  };
}
