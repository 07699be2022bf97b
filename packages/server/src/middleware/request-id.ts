import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { AppEnv } from '../context';

/** Tags each request with an id (the caller's X-Request-Id when it is sane), echoed back and logged. */
export function requestId(log: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header('x-request-id');
    const id = given && /^[\w.-]{1,100}$/.test(given) ? given : crypto.randomUUID();
    c.set('requestId', id);
    c.set('log', log.child({ requestId: id }));
    const started = performance.now();
    await next();
    c.header('x-request-id', id);
    const status = c.res.status;
    if (status >= 500) c.get('log').error({ method: c.req.method, path: c.req.path, status }, 'request failed');
    else c.get('log').debug({ method: c.req.method, path: c.req.path, status, ms: Math.round(performance.now() - started) }, 'request');
  };
}
