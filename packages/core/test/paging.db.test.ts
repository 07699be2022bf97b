import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeDb, type TestCore } from '@rapport/testing';

describeDb('cursor paging', () => {
  let t: TestCore;
  beforeAll(async () => {
    t = await createTestCore();
    await t.core.metadata.addField(t.admin, 'company', { name: 'rank', type: 'number', labels: { en: 'Rank' } });
    // Many ties and many nulls: the hard case for keyset paging.
    await t.core.records.batch(t.admin, 'company', {
      operation: 'create',
      records: Array.from({ length: 120 }, (_, index) => ({ name: `C${String(index).padStart(3, '0')}`, ...(index % 4 === 0 ? {} : { rank: index % 5 }) })),
    });
  });
  afterAll(() => t?.close());

  for (const sort of ['rank', '-rank', 'rank,-name', '-rank,name', 'name', '-createdAt', undefined]) {
    it(`is stable under concurrent inserts, sorted by ${sort ?? 'default'}`, async () => {
      const initial = new Set((await t.core.records.list(t.admin, 'company', { limit: 500 })).data.map((record) => record.id));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await t.core.records.list(t.admin, 'company', { sort, limit: 7, cursor });
        seen.push(...page.data.map((record) => record.id));
        cursor = page.pageInfo.nextCursor ?? undefined;
        expect(page.pageInfo.hasMore).toBe(cursor !== undefined);
        // Someone inserts while we page: on both sides of the cursor, ties and nulls included.
        await t.core.records.batch(t.admin, 'company', {
          operation: 'create',
          records: [{ name: `N${pages}a`, rank: pages % 5 }, { name: `N${pages}b` }, { name: 'A first', rank: 0 }],
        });
        pages++;
      } while (cursor && pages < 200);
      expect(new Set(seen).size).toBe(seen.length); // no record twice
      for (const id of initial) expect(seen).toContain(id); // none of the existing records skipped
      const order = (await t.core.records.getMany(t.admin, 'company', seen.filter((id) => initial.has(id)))).length;
      expect(order).toBe(initial.size);
    });
  }

  it('refuses a cursor from another sort', async () => {
    const page = await t.core.records.list(t.admin, 'company', { sort: 'rank', limit: 3 });
    await expect(t.core.records.list(t.admin, 'company', { sort: 'name', limit: 3, cursor: page.pageInfo.nextCursor! })).rejects.toMatchObject({ status: 400 });
  });
});
