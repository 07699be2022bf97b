import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Core, createCore } from '../src';
import { openPostgres } from '@rapport/db';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

describeDb('several servers on one database', () => {
  let t: TestCore;
  let other: Core;
  let closeOther: () => Promise<void>;

  beforeAll(async () => {
    t = await createTestCore();
    await t.core.start({ dispatch: false });
    // A second server: its own connection pool on Postgres; on PGlite (one connection) the same handle.
    const database = t.testDatabase.driver === 'postgres' ? await openPostgres({ url: t.testDatabase.location, max: 2 }) : t.testDatabase.database;
    other = createCore({ database });
    await other.start({ dispatch: false });
    closeOther = async () => {
      await other.stop();
      if (database !== t.testDatabase.database) await database.close();
    };
  });
  afterAll(async () => {
    await closeOther?.();
    await t?.close();
  });

  it('sees a field added on another server at once (metadata cache refreshed by NOTIFY)', async () => {
    expect((await other.metadata.get(t.admin, 'company')).fields.some((field) => field.name === 'segment')).toBe(false);
    await t.core.metadata.addField(t.admin, 'company', { name: 'segment', type: 'text', labels: { en: 'Segment' } });
    const deadline = Date.now() + 5000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      seen = (await other.metadata.get(t.admin, 'company')).fields.some((field) => field.name === 'segment');
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toBe(true);
    const created = await other.records.create(t.admin, 'company', { name: 'Seen', segment: 'SMB' });
    expect(created.record.segment).toBe('SMB');
  });

  it('refuses on every server an API key revoked on one of them', async () => {
    const { token, key } = await t.core.identity.createApiKey(t.admin, { name: 'shared' });
    expect(await other.identity.resolveApiKey(token)).not.toBeNull(); // now cached by the other server
    await t.core.identity.revokeApiKey(t.admin, key.id);
    const deadline = Date.now() + 5000;
    let refused = false;
    while (!refused && Date.now() < deadline) {
      refused = (await other.identity.resolveApiKey(token)) === null;
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(refused).toBe(true);
  });
});
