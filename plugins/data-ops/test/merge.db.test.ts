import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const MERGES = '/api/v1/plugins/data-ops/merges';
const en = (text: string) => ({ en: text });

// A custom object with a list of people (and a role on each link): merges must move those too.
const engagement = {
  name: 'engagement',
  labels: { singular: en('Engagement'), plural: en('Engagements') },
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', labels: en('Title'), required: true },
    { name: 'contacts', type: 'relation', labels: en('Contacts'), relation: { kind: 'manyToMany', target: 'person', attributes: [{ name: 'role', type: 'text', labels: en('Role') }] } },
  ],
};

describeDb('data-ops: merging duplicates', () => {
  let host: TestHost;
  beforeAll(async () => {
    const plugins = path.join(import.meta.dirname, '../..');
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(plugins, 'data-ops')), await importPluginFolder(path.join(plugins, 'activities'))] });
    await host.enable('data-ops');
    await host.enable('activities');
    const created = await host.request('/api/v1/metadata/objects', { method: 'POST', json: engagement });
    expect(created.status, await created.clone().text()).toBe(201);
  });
  afterAll(() => host?.close());

  const get = async (object: string, id: string) => json(await host.request(`/api/v1/records/${object}/${id}`));
  const merge = (object: string, body: unknown, as: { request: TestHost['request'] } = host) => as.request(`${MERGES}/${object}`, { method: 'POST', json: body });

  async function duplicates() {
    const people = host.client.records('person');
    const keep = await people.create({ firstName: 'John', lastName: 'Smith', phone: '+33612345678' });
    const dup = await people.create({ firstName: 'Jon', lastName: 'Smith', email: `jon.smith.${Date.now()}@acme.test`, jobTitle: 'CTO' });
    const call = await host.client.records('activity').create({ subject: 'Call Jon', kind: 'call', person: dup.id });
    const meeting = await host.client.records('activity').create({ subject: 'Meet John', kind: 'meeting', person: keep.id });
    const both = await host.client.records('engagement').create({ title: 'Audit', contacts: [{ id: dup.id, role: 'decider' }, { id: keep.id, role: 'user' }] });
    const one = await host.client.records('engagement').create({ title: 'Training', contacts: [{ id: dup.id, role: 'user' }] });
    return { keep, dup, call, meeting, both, one };
  }

  describe('merge and undo', () => {
    it('moves values, relations, links and history to the survivor; undo puts everything back', async () => {
      const { keep, dup, call, meeting, both, one } = await duplicates();
      const response = await merge('person', { survivorId: keep.id, mergedIds: [dup.id], values: { email: dup.email, jobTitle: 'CTO' } });
      const merged = await json(response);
      expect(response.status, JSON.stringify(merged)).toBe(200);
      expect(merged.record).toMatchObject({ id: keep.id, firstName: 'John', email: dup.email, jobTitle: 'CTO', phone: '+33612345678' });
      expect(merged.merge).toMatchObject({ survivorId: keep.id, mergedIds: [dup.id], moved: 3, undoneAt: null });
      expect(merged.merge.fields.sort()).toEqual(['email', 'jobTitle']);

      // The duplicate is in the trash; what pointed at it points at the survivor.
      expect((await host.request(`/api/v1/records/person/${dup.id}`)).status).toBe(404);
      const trash = await json(await host.request(`/api/v1/records/person?deleted=only&filter=${encodeURIComponent(JSON.stringify({ field: 'id', op: 'eq', value: dup.id }))}`));
      expect(trash.data).toHaveLength(1);
      expect((await get('activity', call.id)).person).toBe(keep.id);
      expect((await get('activity', meeting.id)).person).toBe(keep.id);
      expect((await get('engagement', both.id)).contacts).toEqual([{ id: keep.id, role: 'decider' }]);
      expect((await get('engagement', one.id)).contacts).toEqual([{ id: keep.id, role: 'user' }]);

      // The survivor's timeline tells the merge and carries the duplicate's history and its activities.
      const timeline = (await json(await host.request(`/api/v1/records/person/${keep.id}/timeline?limit=100`))).data;
      const mergedEntry = timeline.find((entry: Json) => entry.action === 'merged');
      expect(mergedEntry.changes[0].new).toEqual([{ id: dup.id, label: 'Jon Smith' }]);
      expect(timeline.filter((entry: Json) => entry.mergedFrom === dup.id).map((entry: Json) => entry.action)).toEqual(['created']);
      expect(timeline.some((entry: Json) => entry.title?.en.includes('Call Jon'))).toBe(true);
      const audit = (await json(await host.request('/api/v1/audit?action=records.merged'))).data;
      expect(audit[0]).toMatchObject({ action: 'records.merged', target: 'person' });
      expect(audit[0].detail).toMatchObject({ survivorId: keep.id, mergedIds: [dup.id], moved: 3 });

      const listed = (await json(await host.request(`${MERGES}/person/${keep.id}`))).data;
      expect(listed.map((entry: Json) => entry.id)).toEqual([merged.merge.id]);

      const undone = await host.request(`${MERGES}/${merged.merge.id}/undo`, { method: 'POST' });
      const undoBody = await json(undone);
      expect(undone.status, JSON.stringify(undoBody)).toBe(200);
      expect(undoBody).toMatchObject({ kept: [], movedBack: 3 });
      expect(undoBody.merge.undoneAt).toBeTruthy();
      expect(await get('person', keep.id)).toMatchObject({ email: null, jobTitle: null, phone: '+33612345678' });
      expect(await get('person', dup.id)).toMatchObject({ firstName: 'Jon', email: dup.email, jobTitle: 'CTO' });
      expect((await get('activity', call.id)).person).toBe(dup.id);
      expect((await get('activity', meeting.id)).person).toBe(keep.id);
      expect((await get('engagement', both.id)).contacts).toEqual([{ id: dup.id, role: 'decider' }, { id: keep.id, role: 'user' }]);
      expect((await get('engagement', one.id)).contacts).toEqual([{ id: dup.id, role: 'user' }]);
      const after = (await json(await host.request(`/api/v1/records/person/${keep.id}/timeline?limit=100`))).data;
      expect(after[0].action).toBe('unmerged');
      expect(after.some((entry: Json) => entry.mergedFrom)).toBe(false);

      const again = await host.request(`${MERGES}/${merged.merge.id}/undo`, { method: 'POST' });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
    });

    it('moves what records in the trash refer to as well: restored later, they point at the survivor; undo puts them back', async () => {
      const { keep, dup } = await duplicates();
      const binned = await host.client.records('activity').create({ subject: 'Old call with Jon', kind: 'call', person: dup.id });
      const linked = await host.client.records('engagement').create({ title: 'Old audit', contacts: [{ id: dup.id, role: 'decider' }] });
      for (const [object, id] of [['activity', binned.id], ['engagement', linked.id]] as const) expect((await host.request(`/api/v1/records/${object}/${id}`, { method: 'DELETE' })).status).toBe(204);
      const merged = await json(await merge('person', { survivorId: keep.id, mergedIds: [dup.id], values: {} }));
      expect(merged.merge).toMatchObject({ moved: 5 });
      // Still in the trash, and pointing at the survivor.
      expect((await host.request(`/api/v1/records/activity/${binned.id}`)).status).toBe(404);
      for (const [object, id] of [['activity', binned.id], ['engagement', linked.id]] as const) expect((await host.request(`/api/v1/records/${object}/${id}/restore`, { method: 'POST' })).status).toBe(200);
      expect((await get('activity', binned.id)).person).toBe(keep.id);
      expect((await get('engagement', linked.id)).contacts).toEqual([{ id: keep.id, role: 'decider' }]);
      // Back in the trash, then the merge undone: they point at the duplicate again.
      expect((await host.request(`/api/v1/records/activity/${binned.id}`, { method: 'DELETE' })).status).toBe(204);
      const undone = await json(await host.request(`${MERGES}/${merged.merge.id}/undo`, { method: 'POST' }));
      expect(undone).toMatchObject({ kept: [], movedBack: 5 });
      expect((await host.request(`/api/v1/records/activity/${binned.id}/restore`, { method: 'POST' })).status).toBe(200);
      expect((await get('activity', binned.id)).person).toBe(dup.id);
      expect((await get('engagement', linked.id)).contacts).toEqual([{ id: dup.id, role: 'decider' }]);
    });

    it('keeps what was changed since the merge, and says so', async () => {
      const { keep, dup, call } = await duplicates();
      const merged = await json(await merge('person', { survivorId: keep.id, mergedIds: [dup.id], values: { jobTitle: 'CTO', email: dup.email } }));
      await host.client.records('person').update(keep.id, { jobTitle: 'CEO' });
      await host.client.records('activity').update(call.id, { person: null });
      const undone = await json(await host.request(`${MERGES}/${merged.merge.id}/undo`, { method: 'POST' }));
      expect(undone.kept).toEqual(['jobTitle']);
      expect(await get('person', keep.id)).toMatchObject({ jobTitle: 'CEO', email: null });
      expect((await get('activity', call.id)).person).toBeNull();
    });

    it('folds several records at once', async () => {
      const people = host.client.records('person');
      const [a, b, c] = await Promise.all(['Durand', 'Durant', 'Durrand'].map((lastName) => people.create({ lastName })));
      const task = await host.client.records('activity').create({ subject: 'Relance', person: c!.id });
      const response = await merge('person', { survivorId: a!.id, mergedIds: [b!.id, c!.id], values: { lastName: 'Durand' } });
      expect(response.status).toBe(200);
      expect((await get('activity', task.id)).person).toBe(a!.id);
      for (const gone of [b!, c!]) expect((await host.request(`/api/v1/records/person/${gone.id}`)).status).toBe(404);
    });
  });

  describe('refusals write nothing', () => {
    it('answers bad input with a problem naming the field', async () => {
      const { keep, dup, call } = await duplicates();
      const before = await host.rowCounts();
      const cases: [unknown, string][] = [
        [{ survivorId: keep.id, mergedIds: [] }, 'mergedIds'],
        [{ survivorId: keep.id, mergedIds: [keep.id] }, 'mergedIds'],
        [{ survivorId: keep.id, mergedIds: [dup.id, dup.id] }, 'mergedIds'],
        [{ survivorId: 'nope', mergedIds: [dup.id] }, 'survivorId'],
        [{ survivorId: keep.id, mergedIds: [dup.id], surprise: 1 }, 'surprise'],
        [{ survivorId: keep.id, mergedIds: [dup.id], values: { email: 'not an email' } }, 'values.email'],
        [{ survivorId: keep.id, mergedIds: [dup.id], values: { shoeSize: 44 } }, 'values.shoeSize'],
      ];
      for (const [body, field] of cases) {
        const response = await merge('person', body);
        const problem = await json(response);
        expect(response.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(problem.errors.map((error: Json) => error.field), JSON.stringify(problem)).toContain(field);
      }
      const notJson = await host.request(`${MERGES}/person`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
      expect(notJson.status).toBe(422);
      expect((await json(notJson)).errors[0].field).toBe('body');
      expect((await merge('nothing', { survivorId: keep.id, mergedIds: [dup.id] })).status).toBe(404);
      expect((await host.request(`${MERGES}/0190a5c0-0000-7000-8000-000000000000/undo`, { method: 'POST' })).status).toBe(404);
      expect(await host.rowCounts()).toEqual(before);
      expect((await get('person', dup.id)).id).toBe(dup.id);
      expect((await get('activity', call.id)).person).toBe(dup.id);
    });

    it('needs the right to update the survivor and delete the others, on records the caller reaches', async () => {
      const rep = await host.user('sales_rep');
      const reader = await host.user('read_only');
      const mine = await rep.client.records('person').create({ lastName: 'Martin' });
      const theirs = await host.client.records('person').create({ lastName: 'Martin', email: `martin.${Date.now()}@acme.test` });
      const before = await host.rowCounts();
      expect((await merge('person', { survivorId: mine.id, mergedIds: [theirs.id] }, rep)).status).toBe(404);
      expect((await merge('person', { survivorId: theirs.id, mergedIds: [mine.id] }, rep)).status).toBe(404);
      expect((await merge('person', { survivorId: theirs.id, mergedIds: [mine.id] }, reader)).status).toBe(403);
      expect(await host.rowCounts()).toEqual(before);
      // An admin may; the rep then may not undo a merge of records they cannot reach.
      const merged = await json(await merge('person', { survivorId: theirs.id, mergedIds: [mine.id] }));
      expect((await rep.request(`${MERGES}/${merged.merge.id}/undo`, { method: 'POST' })).status).toBe(404);
      expect((await rep.request(`${MERGES}/person/${theirs.id}`)).status).toBe(404);
    });
  });
});
