import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rows } from '@rapport/db';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

const en = (text: string) => ({ en: text });

describeDb('the trash period: records deleted long enough ago are erased, with what points at them', () => {
  let t: TestCore;
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-trash-files-'));
  const count = async (query: ReturnType<typeof sql>) => (await rows<{ n: number }>(t.core.database.db, sql`select count(*)::int as n from (${query}) as counted`))[0]!.n;
  const ageTrash = (object: string, id: string, days: number) => t.core.database.db.execute(sql`update ${sql.identifier(object)} set deleted_at = now() - ${`${days} days`}::interval where id = ${id}::uuid`);

  beforeAll(async () => {
    t = await createTestCore({ filesDir });
    await t.core.metadata.createObject(t.admin, {
      name: 'visit',
      labels: { singular: en('Visit'), plural: en('Visits') },
      labelField: 'title',
      fields: [
        { name: 'title', type: 'text', labels: en('Title'), required: true },
        { name: 'place', type: 'relation', labels: en('Place'), indexed: true, relation: { kind: 'manyToOne', target: 'company' } },
        { name: 'guests', type: 'relation', labels: en('Guests'), relation: { kind: 'manyToMany', target: 'company' } },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it('erases a record past the period: relations to it emptied, links, mirrors, search entries and files gone; audited and told', async () => {
    const old = (await t.core.records.create(t.admin, 'company', { name: 'Gone Forever SA' })).record;
    const recent = (await t.core.records.create(t.admin, 'company', { name: 'Recently Trashed SA' })).record;
    const person = (await t.core.records.create(t.admin, 'person', { lastName: 'Works there', company: old.id })).record;
    const visit = (await t.core.records.create(t.admin, 'visit', { title: 'Visit', place: old.id, guests: [{ id: old.id }, { id: recent.id }] })).record;
    const file = await t.core.files.add(t.admin, { object: 'company', recordId: old.id, name: 'contract.pdf' }, new Uint8Array([1, 2, 3]));
    const filePath = path.join(filesDir, t.workspaceId, file.id);
    expect(fs.existsSync(filePath)).toBe(true);
    await t.core.records.delete(t.admin, 'company', old.id);
    await t.core.records.delete(t.admin, 'company', recent.id);
    await ageTrash('company', old.id, 31);
    await ageTrash('company', recent.id, 5);

    const report = await t.core.purgeTrash();
    expect(report.erased).toEqual([{ workspaceId: t.workspaceId, object: 'company', count: 1 }]);
    expect(await count(sql`select 1 from company where id = ${old.id}::uuid`)).toBe(0);
    const pointing = await t.core.records.get(t.admin, 'person', person.id);
    expect(pointing.record.company).toBeNull();
    expect(pointing.version).toBe(2); // changed like any write: a new version…
    // …and the change in the history of the records that pointed at it.
    for (const [object, id, field] of [['person', person.id, 'company'], ['visit', visit.id, 'place']] as const) {
      expect(await count(sql`select 1 from audit_entry where object = ${object} and record_id = ${id}::uuid and actor_kind = 'system' and changes = ${JSON.stringify([{ field, old: old.id, new: null }])}::jsonb`), `${object}.${field}`).toBe(1);
    }
    const keptVisit = (await t.core.records.get(t.admin, 'visit', visit.id)).record;
    expect(keptVisit.place).toBeNull();
    expect((keptVisit.guests as { id: string }[]).map((guest) => guest.id)).toEqual([recent.id]);
    expect(await count(sql`select 1 from field_value_index where value_text = ${old.id}`)).toBe(0);
    expect(await count(sql`select 1 from search_entry where record_id = ${old.id}::uuid`)).toBe(0);
    expect(await count(sql`select 1 from stored_file where record_id = ${old.id}::uuid`)).toBe(0);
    expect(fs.existsSync(filePath)).toBe(false);
    expect(await count(sql`select 1 from access_audit where action = 'records.purged' and workspace_id = ${t.workspaceId}::uuid`)).toBe(1);
    expect(await count(sql`select 1 from outbox_event where type = 'record.purged' and record_id = ${old.id}::uuid`)).toBe(1);
    // The recent one is still restorable.
    expect((await t.core.records.restore(t.admin, 'company', recent.id)).record.name).toBe('Recently Trashed SA');
  });

  it("follows the workspace's trash period, and refuses a bad one naming the field", async () => {
    const access = await t.core.access.resolve(t.admin);
    await expect(t.core.workspaces.updateSettings(access, { trashDays: 0 })).rejects.toMatchObject({ status: 422, errors: [{ field: 'trashDays' }] });
    await expect(t.core.workspaces.updateSettings(access, { trashDays: 2.5 })).rejects.toMatchObject({ status: 422, errors: [{ field: 'trashDays' }] });
    expect((await t.core.workspaces.settings(t.admin)).trashDays).toBe(30);
    const company = (await t.core.records.create(t.admin, 'company', { name: 'Short Period SA' })).record;
    await t.core.records.delete(t.admin, 'company', company.id);
    await ageTrash('company', company.id, 5);
    expect((await t.core.purgeTrash()).erased).toEqual([]);
    expect((await t.core.workspaces.updateSettings(access, { trashDays: 3 })).trashDays).toBe(3);
    expect((await t.core.purgeTrash()).erased).toEqual([{ workspaceId: t.workspaceId, object: 'company', count: 1 }]);
  });

  it('a merge can no longer be undone once its merged records are erased', async () => {
    const keep = (await t.core.records.create(t.admin, 'person', { lastName: 'Keep' })).record;
    const twin = (await t.core.records.create(t.admin, 'person', { lastName: 'Twin' })).record;
    const { merge } = await t.core.records.merge(t.admin, 'person', { survivorId: keep.id, mergedIds: [twin.id] });
    await ageTrash('person', twin.id, 10);
    await t.core.purgeTrash();
    await expect(t.core.records.undoMerge(t.admin, merge.id)).rejects.toMatchObject({ status: 409 });
    expect((await t.core.records.get(t.admin, 'person', keep.id)).record.lastName).toBe('Keep');
  });
});
