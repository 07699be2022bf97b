import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Access, Core } from '@rapport/core';
import type { AppEnv } from './context';

/** The caller's rights (resolved once per actor and cached by the core). */
export function accessOf(core: Core, c: Context<AppEnv>): Promise<Access> {
  return core.access.resolve(c.get('auth').actor);
}

/** The client's address, as the clientAddress middleware worked it out (else the socket's). */
export function clientIp(c: Context): string | undefined {
  const known = (c as Context<AppEnv>).get('clientIp');
  if (known) return known;
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * The client's address: the socket's, or, behind `trusted` reverse proxies, the address the first of
 * them saw (counted from the right of X-Forwarded-For: entries further left can be forged by the client).
 */
export function clientAddress(trusted: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let address: string | undefined;
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      address = undefined;
    }
    if (trusted > 0) {
      const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((part) => part.trim()).filter(Boolean);
      address = forwarded.length >= trusted ? forwarded[forwarded.length - trusted] : (forwarded[0] ?? address);
    }
    if (address) c.set('clientIp', address);
    return next();
  };
}
