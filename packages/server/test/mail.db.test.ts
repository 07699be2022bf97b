import { rows } from '@rapport/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type SmtpSink, startSmtpSink, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const post = (url: string, body: unknown, headers: Record<string, string> = {}) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const tokenIn = (text: string) => /#token=([\w-]+)/.exec(text)?.[1];

describeDb('mail: invitations and password resets through a real SMTP server, with retries and a log', () => {
  let t: TestServer;
  let smtp: SmtpSink;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestServer({ mail: { smtpUrl: smtp.url, from: 'Rapport <crm@rapport.test>', retryBaseMs: 1, maxAttempts: 3 }, publicUrl: 'https://crm.example.test' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('invites by email: the link works once, for a new account, and makes a member with the invited role', async () => {
    const created = await t.request('/api/v1/invitations', { method: 'POST', json: { email: 'newcomer@mail.test', role: 'marketing', locale: 'fr' } });
    expect(created.status, await created.clone().text()).toBe(201);
    const { invitation, link } = await json(created);
    expect(invitation).toMatchObject({ email: 'newcomer@mail.test', role: 'marketing', status: 'pending' });
    expect(link).toMatch(/^https:\/\/crm\.example\.test\/invite#token=/);
    const arriving = smtp.next();
    expect(await t.core.mail.sendDue()).toBe(1);
    const mail = await arriving;
    expect(mail.to).toMatchObject({ text: 'newcomer@mail.test' });
    expect(mail.from?.text).toContain('crm@rapport.test');
    expect(mail.subject).toMatch(/^Invitation à rejoindre/);
    const token = tokenIn(mail.text!);
    expect(token).toBe(tokenIn(link));
    // Until the web shell exists, the mailed link opens a small page that posts to the API.
    const page = await fetch(`${t.url}/invite`, { headers: { 'accept-language': 'fr-FR' } });
    const html = await page.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('name="password"');
    expect(html).toContain('/api/v1/auth/invitations/accept');

    const weak = await post(`${t.url}/api/v1/auth/invitations/accept`, { token, name: 'New Comer', password: 'newcomer-secret-1' });
    expect(weak.status).toBe(422);
    expect((await json(weak)).errors[0]).toMatchObject({ field: 'password', code: 'contains_email' });
    const accepted = await post(`${t.url}/api/v1/auth/invitations/accept`, { token, name: 'New Comer', password: 'a good long passphrase' });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    // Behind HTTPS (RAPPORT_PUBLIC_URL), session cookies are Secure.
    expect(accepted.headers.getSetCookie().find((value) => value.startsWith('rapport_session='))).toMatch(/;\s*Secure/i);
    const cookie = accepted.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const me = await json(await fetch(`${t.url}/api/v1/me`, { headers: { cookie } }));
    expect(me).toMatchObject({ user: { email: 'newcomer@mail.test' }, role: 'marketing' });
    expect((await post(`${t.url}/api/v1/auth/invitations/accept`, { token, name: 'Again', password: 'a good long passphrase' })).status).toBe(410);
    expect((await json(await t.request('/api/v1/invitations'))).data[0].status).toBe('accepted');
    // Inviting a member again is a conflict.
    expect((await t.request('/api/v1/invitations', { method: 'POST', json: { email: 'newcomer@mail.test' } })).status).toBe(409);
  });

  it('refuses an expired or revoked invitation', async () => {
    const { invitation, link } = await json(await t.request('/api/v1/invitations', { method: 'POST', json: { email: 'late@mail.test' } }));
    await t.core.database.db.execute(sql`update invitation set expires_at = now() - interval '1 second' where id = ${invitation.id}`);
    expect((await post(`${t.url}/api/v1/auth/invitations/accept`, { token: tokenIn(link), name: 'Late', password: 'a good long passphrase' })).status).toBe(410);
    const second = await json(await t.request('/api/v1/invitations', { method: 'POST', json: { email: 'revoked@mail.test' } }));
    expect((await t.request(`/api/v1/invitations/${second.invitation.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await post(`${t.url}/api/v1/auth/invitations/accept`, { token: tokenIn(second.link), name: 'No', password: 'a good long passphrase' })).status).toBe(410);
    await t.core.mail.sendDue();
  });

  it('resets a password by email: single use, ends every session, same answer for unknown emails', async () => {
    await t.request('/api/v1/users', { method: 'POST', json: { email: 'forgetful@mail.test', name: 'Forgetful', password: 'the old passphrase' } });
    const login = await post(`${t.url}/api/v1/auth/login`, { email: 'forgetful@mail.test', password: 'the old passphrase' });
    const cookie = login.headers.getSetCookie().map((value) => value.split(';')[0]).join('; ');
    const sentBefore = smtp.received.length;
    expect((await post(`${t.url}/api/v1/auth/password-reset`, { email: 'nobody@mail.test' })).status).toBe(202);
    expect((await post(`${t.url}/api/v1/auth/password-reset`, { email: 'forgetful@mail.test' })).status).toBe(202);
    expect(await t.core.mail.sendDue()).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(smtp.received.length).toBe(sentBefore + 1);
    const mail = smtp.received.at(-1)!;
    expect(mail.subject).toBe('Reset your Rapport password');
    const token = tokenIn(mail.text!);
    expect((await post(`${t.url}/api/v1/auth/password-reset/confirm`, { token, password: 'short' })).status).toBe(422);
    expect((await post(`${t.url}/api/v1/auth/password-reset/confirm`, { token, password: 'a brand new passphrase' })).status).toBe(204);
    expect((await fetch(`${t.url}/api/v1/me`, { headers: { cookie } })).status).toBe(401);
    expect((await post(`${t.url}/api/v1/auth/login`, { email: 'forgetful@mail.test', password: 'a brand new passphrase' })).status).toBe(200);
    expect((await post(`${t.url}/api/v1/auth/password-reset/confirm`, { token, password: 'another new passphrase' })).status).toBe(410);
  });

  it('retries a refused message with back-off, then marks it failed; the log shows each state', async () => {
    smtp.refusing = true;
    await t.request('/api/v1/invitations', { method: 'POST', json: { email: 'bounce@mail.test' } });
    const status = async () => (await json(await t.request('/api/v1/mail/messages'))).data.find((message: Json) => message.to === 'bounce@mail.test');
    await t.core.mail.sendDue();
    expect(await status()).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/451/) });
    for (let attempt = 0; attempt < 5 && (await status()).status === 'queued'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await t.core.mail.sendDue();
    }
    expect(await status()).toMatchObject({ status: 'failed', attempts: 3 });
    smtp.refusing = false;
    expect((await json(await t.request('/api/v1/mail/messages'))).data.filter((message: Json) => message.status === 'sent').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps per-workspace SMTP settings without ever showing the password', async () => {
    expect(await json(await t.request('/api/v1/settings/mail'))).toBeNull();
    const saved = await t.request('/api/v1/settings/mail', { method: 'PUT', json: { host: '127.0.0.1', port: Number(new URL(smtp.url).port), user: 'crm', password: 's3cret', from: 'Acme <crm@acme.test>' } });
    expect(saved.status).toBe(200);
    expect(await json(saved)).toEqual({ host: '127.0.0.1', port: Number(new URL(smtp.url).port), secure: false, user: 'crm', from: 'Acme <crm@acme.test>', passwordSet: true });
    expect(JSON.stringify(await json(await t.request('/api/v1/settings/mail')))).not.toContain('s3cret');
    // Sent through the workspace's settings now.
    await t.request('/api/v1/invitations', { method: 'POST', json: { email: 'via-settings@mail.test' } });
    const arriving = smtp.next();
    await t.core.mail.sendDue();
    expect((await arriving).from?.text).toContain('crm@acme.test');
    expect(smtp.logins.at(-1)).toEqual({ user: 'crm', password: 's3cret' });
    // Kept encrypted in the database: a copy of it does not give the mail server away.
    const stored = await rows<{ settings: { mail: { password: string } } }>(t.core.database.db, sql`select settings from workspace where id = ${t.admin.workspaceId}`);
    expect(stored[0]!.settings.mail.password).toMatch(/^v1:/);
    expect(JSON.stringify(stored)).not.toContain('s3cret');
    const bad = await t.request('/api/v1/settings/mail', { method: 'PUT', json: { host: '', port: 70000, from: 'x' } });
    expect(bad.status).toBe(422);
    expect((await json(bad)).errors.map((error: Json) => error.field).sort()).toEqual(['from', 'host', 'port']);
  });
});
