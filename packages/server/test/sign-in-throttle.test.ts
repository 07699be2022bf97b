import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { ProblemError } from '@rapport/core';
import { clientAddress, clientIp } from '../src/access';
import type { AppEnv } from '../src/context';
import { signInThrottle } from '../src/middleware/sign-in-throttle';

function app(trusted: number, throttle = signInThrottle({ maxFailures: 3, windowMs: 60_000 })) {
  const hono = new Hono<AppEnv>();
  hono.use('*', clientAddress(trusted));
  hono.onError((error, c) => c.json({ status: (error as ProblemError).status, detail: error.message }, ((error as ProblemError).status ?? 500) as 429, (error as ProblemError).headers ?? {}));
  hono.get('/ip', (c) => c.text(clientIp(c) ?? 'none'));
  hono.post('/login', throttle, (c) => (c.req.header('x-password') === 'right' ? c.text('ok') : c.text('no', 401)));
  return hono;
}

it('believes X-Forwarded-For only as far as the trusted proxies go', async () => {
  const forwarded = { 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 10.0.0.2' };
  expect(await (await app(0).request('/ip', { headers: forwarded })).text()).toBe('none'); // no socket here, and no trust
  expect(await (await app(1).request('/ip', { headers: forwarded })).text()).toBe('10.0.0.2');
  expect(await (await app(2).request('/ip', { headers: forwarded })).text()).toBe('203.0.113.7');
});

it('refuses an address after too many failed sign-ins, whatever the account, and not the others', async () => {
  const hono = app(1);
  const attempt = (ip: string, password = 'wrong') => hono.request('/login', { method: 'POST', headers: { 'x-forwarded-for': ip, 'x-password': password } });
  for (let index = 0; index < 3; index++) expect((await attempt('198.51.100.1')).status).toBe(401);
  const refused = await attempt('198.51.100.1', 'right');
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await attempt('198.51.100.2', 'right')).status).toBe(200);
});
