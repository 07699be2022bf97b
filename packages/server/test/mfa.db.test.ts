import { sql } from 'drizzle-orm';
import { generate } from 'otplib';
import { rows } from '@rapport/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const PASSWORD = 'a long enough password';

describeDb('two-factor authentication (TOTP + recovery codes)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await createTestServer();
    for (const [name, role] of [['ada', 'sales_rep'], ['reader', 'read_only']]) {
      expect((await t.request('/api/v1/users', { method: 'POST', json: { email: `${name}@mfa.test`, name, role, password: PASSWORD } })).status).toBe(201);
    }
  });
  afterAll(() => t?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const signIn = async (email: string) => {
    const response = await post('/api/v1/auth/login', { email, password: PASSWORD });
    expect(response.status).toBe(200);
    return { body: await json(response), cookie: response.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ') };
  };
  const session = (cookie: string, csrf: string) => ({
    get: (path: string) => fetch(`${t.url}${path}`, { headers: { cookie } }),
    post: (path: string, body: unknown = {}) => post(path, body, { cookie, 'x-csrf-token': csrf }),
  });

  it('enrols, then asks for a code at sign-in; codes are single-use, recovery codes too', async () => {
    const first = await signIn('ada@mfa.test');
    expect(first.body.mfaRequired).toBe(false);
    const ada = session(first.cookie, first.body.csrfToken);
    const { secret, otpauthUrl } = await json(await ada.post('/api/v1/me/mfa/enrol'));
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Rapport:ada%40mfa\.test\?secret=/);
    // The seed is kept encrypted: a copy of the database cannot make codes.
    const stored = await rows<{ secret: string }>(t.core.database.db, sql`select secret from user_mfa`);
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) expect(row.secret).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain(secret);
    const wrong = await ada.post('/api/v1/me/mfa/confirm', { code: '000000' });
    expect(wrong.status).toBe(422);
    expect((await json(wrong)).errors[0]).toMatchObject({ field: 'code', code: 'invalid_code' });
    const now = Math.floor(Date.now() / 1000);
    const code = await generate({ secret, epoch: now });
    const confirmed = await ada.post('/api/v1/me/mfa/confirm', { code });
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = await json(confirmed);
    expect(recoveryCodes).toHaveLength(10);
    expect(await json(await ada.get('/api/v1/me/mfa'))).toEqual({ enabled: true, required: false, recoveryCodesLeft: 10 });

    // The password alone opens no session now.
    const second = await signIn('ada@mfa.test');
    expect(second.body).toMatchObject({ mfaRequired: true, challenge: expect.any(String) });
    expect(second.cookie).toBe('');
    expect((await post('/api/v1/auth/mfa', { challenge: second.body.challenge, code: '123456' })).status).toBe(401);
    // The code used to confirm cannot be replayed; the next time step's code works.
    expect((await post('/api/v1/auth/mfa', { challenge: second.body.challenge, code })).status).toBe(401);
    const next = await post('/api/v1/auth/mfa', { challenge: second.body.challenge, code: await generate({ secret, epoch: now + 30 }) });
    expect(next.status).toBe(200);
    expect(next.headers.getSetCookie().some((value) => value.startsWith('rapport_session='))).toBe(true);
    // A challenge is single-use.
    expect((await post('/api/v1/auth/mfa', { challenge: second.body.challenge, code: recoveryCodes[0] })).status).toBe(401);

    const third = await signIn('ada@mfa.test');
    expect((await post('/api/v1/auth/mfa', { challenge: third.body.challenge, code: recoveryCodes[0] })).status).toBe(200);
    const fourth = await signIn('ada@mfa.test');
    expect((await post('/api/v1/auth/mfa', { challenge: fourth.body.challenge, code: recoveryCodes[0] })).status).toBe(401);
    const audit = await json(await t.request('/api/v1/audit?action=auth.mfa'));
    expect(audit.data.length).toBeGreaterThan(0);
  });

  it('a role that requires two-factor blocks everything but enrolment until it is on, and keeps it on', async () => {
    const role = await json(await t.request('/api/v1/roles/read_only'));
    expect((await t.request('/api/v1/roles/read_only', { method: 'PATCH', json: { definition: { ...role.definition, mfaRequired: true } } })).status).toBe(200);
    const signedIn = await signIn('reader@mfa.test');
    const reader = session(signedIn.cookie, signedIn.body.csrfToken);
    const blocked = await reader.get('/api/v1/records/company');
    expect(blocked.status).toBe(403);
    expect((await json(blocked)).type).toMatch(/mfa-enrolment-required$/);
    expect((await reader.get('/api/v1/me')).status).toBe(200);
    const { secret } = await json(await reader.post('/api/v1/me/mfa/enrol'));
    expect((await reader.post('/api/v1/me/mfa/confirm', { code: await generate({ secret }) })).status).toBe(200);
    expect((await reader.get('/api/v1/records/company')).status).toBe(200);
    const off = await reader.post('/api/v1/me/mfa/disable', { code: await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }) });
    expect(off.status).toBe(403);
  });
});
