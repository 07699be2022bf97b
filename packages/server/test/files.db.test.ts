import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestServer, describeDb, type TestServer } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();

describeDb('files attached to records, permission-checked through the record', () => {
  let t: TestServer;
  let rep: string;
  beforeAll(async () => {
    t = await createTestServer();
    const { user } = await t.core.identity.createUser(t.admin.workspaceId, { email: 'rep@files.test', name: 'Rep', role: 'sales_rep', password: 'a long enough password' });
    rep = (await t.core.identity.createApiKey({ kind: 'user', id: user.id, userId: user.id, workspaceId: t.admin.workspaceId }, { name: 'rep' })).token;
  });
  afterAll(() => t?.close());

  const asRep = (path: string, init: RequestInit = {}) => t.request(path, { ...init, headers: { ...(init.headers as object), authorization: `Bearer ${rep}` } });

  it('attaches, lists, downloads and deletes; the bytes and their hash come back unchanged', async () => {
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'With a CV' } }));
    const bytes = new Uint8Array([37, 80, 68, 70, 0, 255, 10, 1, 2, 3]);
    const uploaded = await t.request(`/api/v1/files?object=person&recordId=${person.id}&name=${encodeURIComponent('CV été.pdf')}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: bytes });
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const file = await json(uploaded);
    expect(file).toMatchObject({ name: 'CV été.pdf', contentType: 'application/pdf', size: 10, recordId: person.id });
    expect((await json(await t.request(`/api/v1/files?object=person&recordId=${person.id}`))).data.map((entry: Json) => entry.id)).toEqual([file.id]);
    const download = await t.request(`/api/v1/files/${file.id}/content`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''CV%20%C3%A9t%C3%A9.pdf");
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    // The rep may not see that person: its files do not exist for them.
    expect((await asRep(`/api/v1/files/${file.id}`)).status).toBe(404);
    expect((await asRep(`/api/v1/files/${file.id}/content`)).status).toBe(404);
    expect((await asRep(`/api/v1/files?object=person&recordId=${person.id}`)).status).toBe(404);
    expect((await asRep(`/api/v1/files?object=person&recordId=${person.id}&name=x`, { method: 'POST', body: bytes })).status).toBe(404);
    // Companies are readable by reps, not editable unless theirs: reading yes, attaching no.
    const company = await json(await t.request('/api/v1/records/company', { method: 'POST', json: { name: 'Filed Co' } }));
    expect((await asRep(`/api/v1/files?object=company&recordId=${company.id}`)).status).toBe(200);
    expect((await asRep(`/api/v1/files?object=company&recordId=${company.id}&name=x.txt`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' })).status).toBe(403);

    expect((await t.request(`/api/v1/files/${file.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.request(`/api/v1/files/${file.id}`)).status).toBe(404);
  });

  it('refuses bad names, unknown records and objects with a problem naming the field', async () => {
    const person = await json(await t.request('/api/v1/records/person', { method: 'POST', json: { lastName: 'Named' } }));
    const before = await t.rowCounts();
    const badName = await t.request(`/api/v1/files?object=person&recordId=${person.id}&name=${encodeURIComponent('../../etc/passwd')}`, { method: 'POST', body: 'x' });
    expect(badName.status).toBe(422);
    expect((await json(badName)).errors[0].field).toBe('name');
    expect((await t.request(`/api/v1/files?object=person&recordId=${crypto.randomUUID()}&name=a.txt`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await t.request(`/api/v1/files?object=planet&recordId=${person.id}&name=a.txt`, { method: 'POST', body: 'x' })).status).toBe(404);
    expect((await t.request(`/api/v1/files?object=person&name=a.txt`, { method: 'POST', body: 'x' })).status).toBe(400);
    expect(await t.rowCounts()).toEqual(before);
  });
});
