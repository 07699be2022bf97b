import { defineServer, newId, recordTitle } from '@rapport/sdk/server';
import { and, count, eq } from 'drizzle-orm';
import { z } from 'zod';
import manifest from './manifest';
import { greeting } from './schema';

interface Seen {
  object: string;
  id: string;
  label: unknown;
  /** When it was seen: a time-ordered id, for its entry in the record's timeline. */
  entry: string;
  at: string;
}

export default defineServer(manifest, (ctx) => {
  const seen: Seen[] = [];

  // A documented route: in the OpenAPI document (and so the typed client) with what it answers.
  const greetingAnswer = z.object({ greeting: z.string(), peopleYouMaySee: z.number().int(), timesGreeted: z.number().int() });
  ctx.http.get('/greeting', { summary: 'Greets the caller, counting the people they may see', response: greetingAnswer }, async (c, { records, caller }) => {
    const people = await records.list('person', { limit: 500 });
    // The plugin's own table (migrated by the host before this code ran).
    await ctx.db.insert(greeting).values({ workspaceId: caller.workspaceId, callerId: caller.id });
    const [{ greeted }] = (await ctx.db
      .select({ greeted: count() })
      .from(greeting)
      .where(and(eq(greeting.workspaceId, caller.workspaceId), eq(greeting.callerId, caller.id)))) as { greeted: number }[];
    const { salutation } = await ctx.settings.get();
    return c.json({ greeting: `${salutation} ${caller.kind} ${caller.id}`, peopleYouMaySee: people.data.length, timesGreeted: greeted });
  });

  ctx.http.get('/seen', (c) => c.json({ data: seen.map(({ object, id, label }) => ({ object, id, label })) }));

  // What it saw shows in the record's timeline.
  ctx.timeline.source(async ({ object, recordId, before, limit }) =>
    seen
      .filter((entry) => entry.object === object && entry.id === recordId && (!before || entry.entry < before))
      .reverse()
      .slice(0, limit)
      .map((entry) => ({ id: entry.entry, at: entry.at, kind: 'noticed', title: { en: 'Hello noticed it', fr: 'Bonjour l’a remarqué' } })),
  );

  // A background job, as the plugin's own identity: how many people and companies it may see.
  const tallies: { workspaceId: string; people: number; companies: number }[] = [];
  const tally = async (data: Record<string, unknown>, records: (workspaceId: string) => ReturnType<typeof ctx.records>) => {
    const workspaceId = String(data.workspaceId);
    const people = await records(workspaceId).list('person', { limit: 500 });
    const companies = await records(workspaceId).list('company', { limit: 500 });
    tallies.push({ workspaceId, people: people.data.length, companies: companies.data.length });
  };
  ctx.jobs.handle('tally', tally);
  ctx.jobs.handle('nightly-tally', async () => {});
  ctx.http.post('/tally', async (c, { caller }) => c.json({ job: await ctx.jobs.enqueue('tally', { workspaceId: caller.workspaceId }) }, 202));
  ctx.http.get('/tallies', (c) => c.json({ data: tallies }));

  ctx.events.on('record.created', async (event, records) => {
    if (!event.object || !event.recordId) return;
    // Read back as the plugin itself: what its manifest allows, no more.
    const record = await records.get(event.object, event.recordId);
    // Named as the shell names it: "Jean Dupont" for a person, its name for a company.
    const title = recordTitle(await records.describe(event.object), record);
    seen.push({ object: event.object, id: event.recordId, label: title, entry: newId(), at: new Date().toISOString() });
    if (seen.length > 100) seen.shift();
    // Tell the record's owner (only if they may read it: the platform checks).
    if (record.ownerId) {
      const label = title ?? event.recordId;
      await ctx.notify(event.workspaceId, {
        to: [record.ownerId],
        kind: 'record-seen',
        title: { en: `Hello noticed ${label}`, fr: `Bonjour a remarqué ${label}` },
        link: { object: event.object, id: event.recordId },
      });
    }
  });

  ctx.onDispose(() => {
    seen.length = 0;
  });
});
