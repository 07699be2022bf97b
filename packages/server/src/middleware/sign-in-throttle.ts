import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '@rapport/core';
import { clientIp } from '../access';
import type { AppEnv } from '../context';

/**
 * Failed sign-ins per client address, over a sliding window: an address that fails too often gets
 * 429 for a while, whatever account it tries. Beside the per-account lockout (in the core), this stops
 * one address from guessing many accounts or locking them all out. Kept in memory: per server.
 */
export function signInThrottle(options: { maxFailures?: number; windowMs?: number } = {}): MiddlewareHandler<AppEnv> {
  const maxFailures = options.maxFailures ?? 20;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const failures = new Map<string, number[]>();
  const recent = (ip: string, now: number) => (failures.get(ip) ?? []).filter((at) => now - at < windowMs);
  return async (c, next) => {
    const ip = clientIp(c) ?? 'unknown';
    const now = Date.now();
    const list = recent(ip, now);
    if (list.length >= maxFailures) {
      const seconds = Math.ceil((list[0]! + windowMs - now) / 1000);
      throw new ProblemError({ status: 429, slug: 'too-many-attempts', title: 'Too many failed sign-ins', detail: `Too many failed sign-ins from your address: try again in ${Math.ceil(seconds / 60)} minute(s)`, headers: { 'retry-after': String(seconds) } });
    }
    try {
      await next();
    } finally {
      if (c.res.status === 401 || c.res.status === 429) {
        list.push(now);
        failures.set(ip, list);
      } else if (failures.size > 10_000) failures.clear(); // a flood of addresses: forget rather than grow
    }
  };
}
