import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('notifications: about a record, only for those who may read it; mail when asked', () => {
  let t: TestServer;
  let rep: { id: string; token: string };
  beforeAll(async () => {
    t = await createTestServer();
    const { user } = await t.core.identity.createUser(t.admin.workspaceId, { email: 'rep@notify.test', name: 'Rep', role: 'sales_rep', password: 'a long enough password' });
    rep = { id: user.id, token: (await t.core.identity.createApiKey({ kind: 'user', id: user.id, userId: user.id, workspaceId: t.admin.workspaceId }, { name: 'rep' })).token };
  });
  afterAll(() => t?.close());

  const inbox = async (token?: string) => json(await t.request('/api/v1/notifications', token ? { headers: { authorization: `Bearer ${token}` } } : {}));

  it('skips recipients who may not read the record it is about', async () => {
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Admin only' } }));
    const reached = await t.core.notifications.notify(t.admin.workspaceId, 'core', {
      to: [t.admin.userId, rep.id],
      kind: 'core.test',
      title: { en: 'About a person', fr: 'À propos d’une personne' },
      link: { object: 'person', id: person.id },
    });
    expect(reached).toBe(1);
    expect((await inbox()).data[0]).toMatchObject({ kind: 'core.test', link: { object: 'person', id: person.id } });
    expect((await inbox(rep.token)).unreadCount).toBe(0);
  });

  it('also mails those who asked for it, in their language; refuses malformed notifications', async () => {
    await t.request('/api/v1/notifications/preferences', { method: 'PUT', headers: { authorization: `Bearer ${rep.token}` }, json: [{ kind: 'core.digest', inApp: true, email: true }] });
    await t.core.notifications.notify(t.admin.workspaceId, 'core', { to: [rep.id], kind: 'core.digest', title: { en: 'Your digest' }, body: { en: 'Three deals moved' } });
    expect((await inbox(rep.token)).unreadCount).toBe(1);
    const log = (await json(await t.request('/api/v1/mail/messages'))).data as Json[];
    expect(log.find((message) => message.to === 'rep@notify.test')).toMatchObject({ kind: 'notification:core.digest', subject: 'Your digest', status: 'queued' });
    await expect(t.core.notifications.notify(t.admin.workspaceId, 'core', { to: [], kind: 'nonamespace', title: { en: '' } })).rejects.toMatchObject({
      status: 422,
      errors: expect.arrayContaining([expect.objectContaining({ field: 'to' }), expect.objectContaining({ field: 'kind' }), expect.objectContaining({ field: 'title.en' })]),
    });
  });
});
