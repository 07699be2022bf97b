import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, startIdentityProvider, type TestIdentityProvider, type TestServer } from '@rapport/testing';

type Json = any;

describeDb('single sign-on with OpenID Connect (against a local oidc-provider)', () => {
  let t: TestServer;
  let idp: TestIdentityProvider;
  let plain: TestServer;
  beforeAll(async () => {
    idp = await startIdentityProvider({
      alice: { email: 'Alice@sso.test', name: 'Alice Provider' },
      unverified: { email: 'unverified@sso.test', name: 'Not Verified', emailVerified: false },
      admin: { email: 'admin@example.com', name: 'The Admin' },
    });
    t = await createTestServer({ sso: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, defaultRole: 'read_only' } });
    await idp.serve(`${t.url}/api/v1/auth/sso/callback`);
    plain = await createTestServer();
  });
  afterAll(async () => {
    await t?.close();
    await plain?.close();
    await idp?.close();
  });

  const signIn = async (login: string, returnTo = '/records') => {
    const start = await fetch(`${t.url}/api/v1/auth/sso/login?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const authorization = start.headers.get('location')!;
    expect(authorization.startsWith(idp.issuer)).toBe(true);
    expect(new URL(authorization).searchParams.get('code_challenge_method')).toBe('S256');
    const callback = await idp.signIn(authorization, login, `${t.url}/api/v1/auth/sso/callback`);
    const landed = await fetch(callback, { redirect: 'manual' });
    return { callback, landed, cookie: landed.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ') };
  };

  it('signs a new person in, creating them as a member with the default role, then recognises them', async () => {
    expect(await (await fetch(`${t.url}/api/v1/auth/sso`)).json()).toEqual({ enabled: true });
    const first = await signIn('alice');
    expect(first.landed.status, await first.landed.clone().text()).toBe(302);
    expect(first.landed.headers.get('location')).toBe('/records');
    const me = (await (await fetch(`${t.url}/api/v1/me`, { headers: { cookie: first.cookie } })).json()) as Json;
    expect(me).toMatchObject({ user: { email: 'alice@sso.test', name: 'Alice Provider' }, role: 'read_only' });
    const again = await signIn('alice');
    const meAgain = (await (await fetch(`${t.url}/api/v1/me`, { headers: { cookie: again.cookie } })).json()) as Json;
    expect(meAgain.user.id).toBe(me.user.id);
    const users = (await (await t.request('/api/v1/users')).json()) as Json;
    expect(users.data.filter((user: Json) => user.email === 'alice@sso.test')).toHaveLength(1);
    const audit = (await (await t.request('/api/v1/audit?action=auth.sso')).json()) as Json;
    expect(audit.data[0].detail).toMatchObject({ joined: true, role: 'read_only' });
    // The callback cannot be replayed.
    const replay = await fetch(again.callback, { redirect: 'manual' });
    expect(replay.status).toBe(401);
  });

  it('an existing member keeps their role; unverified emails and foreign return paths are refused', async () => {
    const admin = await signIn('admin');
    const me = (await (await fetch(`${t.url}/api/v1/me`, { headers: { cookie: admin.cookie } })).json()) as Json;
    expect(me.role).toBe('admin');
    const unverified = await signIn('unverified');
    expect(unverified.landed.status).toBe(401);
    expect(((await unverified.landed.json()) as Json).detail).toMatch(/not verified/);
    const elsewhere = await signIn('alice', '//evil.example/phish');
    expect(elsewhere.landed.headers.get('location')).toBe('/');
  });

  it('without a provider configured, single sign-on is off', async () => {
    expect(await (await fetch(`${plain.url}/api/v1/auth/sso`)).json()).toEqual({ enabled: false });
    const start = await fetch(`${plain.url}/api/v1/auth/sso/login`, { redirect: 'manual' });
    expect(start.status).toBe(404);
    expect(start.headers.get('content-type')).toContain('application/problem+json');
  });
});
