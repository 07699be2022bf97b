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

  // Activities in the timeline of the company or person they are about, as far as the reader may read them.
  ctx.timeline.source(async ({ object, recordId, before, limit }, records) => {
    if (object !== 'company' && object !== 'person') return [];
    const filter = { and: [{ field: object, op: 'eq', value: recordId }, ...(before ? [{ field: 'id', op: 'lt', value: before }] : [])] };
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
