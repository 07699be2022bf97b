import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Access, Core } from '@rapport/core';
import type { AppEnv } from './context';

/** The caller's rights (resolved once per actor and cached by the core). */
export function accessOf(core: Core, c: Context<AppEnv>): Promise<Access> {
  return core.access.resolve(c.get('auth').actor);
}

/** The client's address as the socket sees it (behind a proxy, the proxy's; see docs/security.md). */
export function clientIp(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}
