import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, describeDb, eventually, importPluginFolder, type TestHost, type TestUser } from '@rapport/testing';

type Json = any;
const json = async (response: Response): Promise<Json> => response.json();
const QUALITY = '/api/v1/plugins/data-ops/quality';
const ALERTS = '/api/v1/plugins/data-ops/quality-alerts';

describeDb('data-ops: data quality', () => {
  let host: TestHost;
  let rep: TestUser;
  const ids: Record<string, string> = {};
  const live = async (query = '', as: Pick<TestHost, 'request'> = host) => {
    const response = await as.request(`${QUALITY}/person${query}`);
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body;
  };
  const unread = async () => (await json(await host.request('/api/v1/notifications?unread=true&limit=100'))).data.filter((entry: Json) => entry.kind === 'data-ops.quality-alert');
  const snapshot = async () => {
    const response = await host.request(`${QUALITY}/person/snapshot`, { method: 'POST' });
    expect(response.status, await response.clone().text()).toBe(201);
    return json(response);
  };

  beforeAll(async () => {
    const plugins = path.join(import.meta.dirname, '../..');
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(plugins, 'data-ops')), await importPluginFolder(path.join(plugins, 'activities'))] });
    await host.core.events.start(); // after-commit subscribers: the activities plugin stamps lastActivityAt
    await host.enable('data-ops');
    await host.enable('activities');
    rep = await host.user('sales_rep', 'Rep');
    const people = host.client.records('person');
    for (const [key, values] of Object.entries({
      anne: { firstName: 'Anne', lastName: 'Martin', email: 'anne@acme.fr', phone: '+33612345678' },
      anne2: { lastName: 'Martin', email: 'Anne@Acme.fr' },
      paul: { firstName: 'Paul', lastName: 'Durand', email: 'paul@durand.fr', phone: '+33612345678' },
      noEmail: { lastName: 'Sans', phone: '+33698765432' },
      placeholder: { lastName: 'Test', email: 'noreply@example.com' },
      legacy: { lastName: 'Legacy', email: 'legacy@old.fr' },
    })) ids[key] = (await people.create(values)).id;
    // Data from before today's rules (an old migration): the dashboard must see it.
    await host.core.database.db.execute(sql`update person set email = 'legacy at old.fr', phone = '01 23', updated_at = now() - interval '400 days', created_at = now() - interval '400 days' where id = ${ids.legacy}::uuid`);
    // Old records: one with a recent activity, two without any for 30 days.
    await host.core.database.db.execute(sql`update person set created_at = now() - interval '60 days' where id in (${ids.paul}::uuid, ${ids.noEmail}::uuid)`);
    await host.client.records('activity').create({ subject: 'Call Paul', kind: 'call', person: ids.paul });
    await eventually(async () => json(await host.request(`/api/v1/records/person/${ids.paul}`)), (record: Json) => Boolean(record.lastActivityAt), 10_000);
    await rep.client.records('person').create({ lastName: 'Mine', email: 'mine@rep.fr' });
  });
  afterAll(() => host?.close());

  it('measures an object now: completeness, invalid values, duplicates, no email, placeholders, inactive, stale', async () => {
    const { object, scope, metrics, tracking } = await live();
    expect({ object, scope, tracking }).toEqual({ object: 'person', scope: 'all', tracking: null });
    expect(metrics).toMatchObject({
      total: 7,
      duplicates: 3, // anne and anne2 share an email; anne and paul a phone
      invalidEmails: 1,
      invalidPhones: 1,
      invalidValues: 2,
      withoutEmail: 1,
      placeholderEmails: 1,
      inactive: 2, // legacy and noEmail: old, no activity; paul has one; the others are new
      stale: 1,
      inactiveDays: 30,
      staleDays: 180,
    });
    const field = (name: string) => metrics.fields.find((candidate: Json) => candidate.name === name);
    expect(field('firstName')).toMatchObject({ filled: 2, invalid: null, duplicated: null });
    expect(field('email')).toMatchObject({ filled: 6, invalid: 1, duplicated: 2 });
    expect(field('phone')).toMatchObject({ filled: 4, invalid: 1, duplicated: 2 });
    expect((await live('?staleDays=500')).metrics.stale).toBe(0);
  });

  it('answers a bad parameter with a problem naming it', async () => {
    for (const query of ['?staleDays=0', '?staleDays=abc', '?other=1']) {
      const response = await host.request(`${QUALITY}/person${query}`);
      expect(response.status).toBe(422);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect((await json(response)).errors[0].field).toBe(query.slice(1, query.indexOf('=')));
    }
    expect((await host.request(`${QUALITY}/nothing`)).status).toBe(404);
  });

  it('shows a rep only their records, and keeps the workspace-wide history and alerts from them', async () => {
    const mine = await live('', rep);
    expect(mine.scope).toBe('own');
    expect(mine.metrics.total).toBe(1);
    expect(mine.metrics.duplicates).toBe(0);
    expect((await rep.request(`${QUALITY}/person/history`)).status).toBe(403);
    expect((await rep.request(`${QUALITY}/person/snapshot`, { method: 'POST' })).status).toBe(403);
    expect((await rep.request(`${QUALITY}/person/tracking`, { method: 'POST', json: { enabled: true } })).status).toBe(403);
    const before = await host.rowCounts();
    expect((await rep.request(ALERTS, { method: 'POST', json: { object: 'person', metric: 'duplicates', direction: 'above', threshold: 1 } })).status).toBe(403);
    expect(await host.rowCounts()).toEqual(before);
  });

  it('refuses a bad alert with the field named and nothing kept', async () => {
    const cases: [unknown, string][] = [
      [{ object: 'person', metric: 'nonsense', direction: 'above', threshold: 1 }, 'metric'],
      [{ object: 'person', metric: 'completeness', direction: 'below', threshold: 50, unit: 'percent' }, 'field'],
      [{ object: 'person', metric: 'duplicates', direction: 'above', threshold: 150, unit: 'percent' }, 'threshold'],
      [{ object: 'person', metric: 'completeness', field: 'nope', direction: 'below', threshold: 5 }, 'field'],
      [{ object: 'nothing', metric: 'stale', direction: 'above', threshold: 5 }, 'object'],
      [{ object: 'person', metric: 'stale', direction: 'sideways', threshold: 5 }, 'direction'],
    ];
    for (const [body, field] of cases) {
      const response = await host.request(ALERTS, { method: 'POST', json: body });
      expect(response.status, JSON.stringify(body)).toBe(422);
      expect((await json(response)).errors.map((error: Json) => error.field)).toContain(field);
    }
    expect((await json(await host.request(ALERTS))).data).toEqual([]);
  });

  it('tells the owner of an alert once when a measure crosses the threshold, and again after it crossed back', async () => {
    const created = await host.request(ALERTS, { method: 'POST', json: { object: 'person', metric: 'duplicates', direction: 'above', threshold: 3 } });
    expect(created.status, await created.clone().text()).toBe(201);
    const completeness = await json(await host.request(ALERTS, { method: 'POST', json: { object: 'person', metric: 'completeness', field: 'firstName', unit: 'percent', direction: 'below', threshold: 20 } }));
    expect((await snapshot()).metrics.duplicates).toBe(3);
    expect(await unread()).toEqual([]); // 3 is not above 3; firstName is 2 of 7 (28.6 %)
    const twin = await host.client.records('person').create({ lastName: 'Durand', email: 'PAUL@durand.fr' });
    await host.client.records('person').create({ lastName: 'Extra' });
    await host.client.records('person').create({ lastName: 'Extra 2' });
    await host.client.records('person').create({ lastName: 'Extra 3' });
    await snapshot();
    let told = await unread();
    expect(told.map((entry: Json) => entry.title.en).sort()).toEqual([
      'Completeness (firstName) of person: 18.2 %, below your threshold of 20 %',
      'Duplicates of person: 4, above your threshold of 3',
    ]);
    expect(told[0].link).toEqual({ path: '/p/data-ops/quality/person' });
    expect(told.find((entry: Json) => entry.title.fr.startsWith('Doublons')).title.fr).toBe('Doublons de person : 4, au-dessus de votre seuil de 3');
    await snapshot(); // still above: not told again
    expect(await unread()).toHaveLength(2);
    await host.client.records('person').delete(twin.id);
    await snapshot(); // back under: re-armed
    await host.client.records('person').create({ lastName: 'Durand', email: 'paul@DURAND.fr' });
    await snapshot();
    told = await unread();
    expect(told.filter((entry: Json) => entry.title.en.startsWith('Duplicates'))).toHaveLength(2);
    const alerts = (await json(await host.request(ALERTS))).data;
    expect(alerts).toHaveLength(2);
    expect(alerts[0]).toMatchObject({ metric: 'duplicates', breached: true, lastValue: 4 });
    expect((await host.request(`${ALERTS}/${completeness.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await host.request(`${ALERTS}/${completeness.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await rep.request(`${ALERTS}/${alerts[0].id}`, { method: 'DELETE' })).status).toBe(404);
  });

  describe('the daily history', () => {
    it('records the figures every day as the user who turned it on, once per day', async () => {
      const on = await host.request(`${QUALITY}/person/tracking`, { method: 'POST', json: { enabled: true } });
      expect(on.status, await on.clone().text()).toBe(201);
      expect((await live()).tracking).toMatchObject({ since: expect.any(String) });
      const total = (await live()).metrics.total;
      await host.client.records('person').create({ lastName: 'Tomorrow' });
      await host.tick('data-ops', 'quality-daily');
      const history = await eventually(
        async () => (await json(await host.request(`${QUALITY}/person/history?days=7`))).data,
        (data: Json[]) => data.at(-1)?.metrics.total === total + 1,
        20_000,
      );
      expect(history).toHaveLength(1); // the day's last measure replaces the earlier ones
      expect(history[0].day).toBe(new Date().toISOString().slice(0, 10));
      // Turned off: the nightly run measures nothing more.
      expect((await host.request(`${QUALITY}/person/tracking`, { method: 'POST', json: { enabled: false } })).status).toBe(200);
      await host.client.records('person').create({ lastName: 'Not counted' });
      const job = await host.tick('data-ops', 'quality-daily');
      await eventually(async () => (await json(await host.request('/api/v1/jobs'))).data.find((entry: Json) => entry.id === job)?.state, (state) => state === 'completed', 20_000);
      expect((await json(await host.request(`${QUALITY}/person/history?days=7`))).data.at(-1).metrics.total).toBe(total + 1);
      expect((await host.request(`${QUALITY}/person/history?days=0`)).status).toBe(422);
    });
  });
});
