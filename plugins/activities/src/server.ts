import { defineServer } from '@rapport/sdk/server';
import manifest, { KINDS } from './manifest';
import { LINKS, stampLastActivity } from './last-activity';
import { reminderDelay } from './reminders';

export default defineServer(manifest, (ctx) => {
  // A due time set or moved queues its reminder; the job checks again when it runs (done, moved, deleted).
  for (const type of ['record.created', 'record.updated'] as const) {
    ctx.events.on(type, async (event, records) => {
      if (event.object !== 'activity' || !event.recordId) return;
      const changes = (event.payload.changes as string[] | undefined) ?? [];
      const activity = await records.get('activity', event.recordId).catch(() => null);
      if (!activity) return;
      // Logged, done, or moved to other records: they have had an activity now.
      const happened = type === 'record.created' || (changes.includes('done') && activity.done === true) || changes.some((name) => LINKS.includes(name));
      if (happened) await stampLastActivity(records, activity, String(type === 'record.created' ? activity.createdAt : activity.updatedAt));
      if (type === 'record.updated' && !changes.includes('dueAt')) return;
      if (!activity.dueAt || activity.done) return;
      await ctx.jobs.enqueue('remind', { workspaceId: event.workspaceId, activityId: event.recordId, dueAt: activity.dueAt }, { delaySeconds: reminderDelay(String(activity.dueAt)) });
    });
  }

  ctx.jobs.handle('remind', async (data, records) => {
    const activity = await records(String(data.workspaceId)).get('activity', String(data.activityId)).catch(() => null);
    if (!activity || activity.done || activity.dueAt !== data.dueAt || !activity.ownerId) return;
    const kind = KINDS.find((candidate) => candidate.value === activity.kind)?.labels ?? { en: 'Activity', fr: 'Activité' };
    await ctx.notify(String(data.workspaceId), {
      to: [String(activity.ownerId)],
      kind: 'due',
      title: { en: `${kind.en} due soon: ${String(activity.subject)}`, fr: `${kind.fr} à faire bientôt : ${String(activity.subject)}` },
      link: { object: 'activity', id: String(activity.id) },
    });
  });

  // Activities in the timeline of the records they are about, as far as the reader may read them: the
  // company or person, and any object a workspace opts in by giving activities a relation to it.
  ctx.timeline.source(async ({ object, recordId, before, limit }, records) => {
    const links = ((await records.describe('activity').catch(() => null))?.fields ?? []).filter((field) => field.relation?.kind === 'manyToOne' && field.relation.target === object).map((field) => field.name);
    if (links.length === 0) return [];
    const about = links.length === 1 ? { field: links[0]!, op: 'eq', value: recordId } : { or: links.map((field) => ({ field, op: 'eq', value: recordId })) };
    const filter = { and: [about, ...(before ? [{ field: 'id', op: 'lt', value: before }] : [])] };
    // As the reader: someone else's private activity stays out of the timeline.
    const page = await records.list('activity', { filter, sort: '-id', limit }).catch(() => ({ data: [] }));
    return page.data.map((activity) => {
      const kind = KINDS.find((candidate) => candidate.value === activity.kind)?.labels ?? { en: 'Activity', fr: 'Activité' };
      return {
        id: String(activity.id),
        at: String(activity.createdAt),
        kind: String(activity.kind),
        title: { en: `${kind.en}: ${String(activity.subject)}${activity.done ? ' (done)' : ''}`, fr: `${kind.fr} : ${String(activity.subject)}${activity.done ? ' (fait)' : ''}` },
        ...(activity.notes ? { body: { en: String(activity.notes) } } : {}),
      };
    });
  });
});
