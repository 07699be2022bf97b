import { Button } from '@rapport/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { keys, useUserNames, type ObjectDefinition } from '../api/queries';
import { useI18n } from '../i18n/i18n';

/** The names of the records a merge entry is about (kept in its `records` change). */
function mergedRecords(changes: { field: string; new?: unknown }[]): string {
  const records = changes.find((change) => change.field === 'records')?.new;
  return Array.isArray(records) ? records.map((record: { id: string; label?: unknown }) => String(record.label ?? record.id)).join(', ') : '';
}

/** The record's history (who changed what) merged with what plugins add, newest first. */
export function Timeline({ object, id }: { object: ObjectDefinition; id: string }) {
  const { t, l, format } = useI18n();
  const timeline = useInfiniteQuery({
    queryKey: [...keys.record(object.name, id), 'timeline'],
    queryFn: ({ pageParam }) => api.records(object.name).timeline(id, { limit: 30, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => (page.pageInfo.hasMore ? page.pageInfo.nextCursor ?? undefined : undefined),
  });
  const userName = useUserNames();
  const entries = timeline.data?.pages.flatMap((page) => page.data) ?? [];
  const fieldLabel = (name: string) => {
    const field = object.fields.find((candidate) => candidate.name === name);
    return field ? l(field.labels) : name;
  };
  if (timeline.isSuccess && entries.length === 0) return <p className="r-muted" style={{ padding: 16, margin: 0 }}>{t('record.noTimeline')}</p>;
  return (
    <div className="timeline">
      {entries.map((entry) => {
        const { actor } = entry;
        const keyName = actor.kind === 'apiKey' ? (actor.name ?? actor.id ?? '') : '';
        const who =
          (actor.kind === 'user'
            ? userName(actor.id)
            : actor.kind === 'apiKey'
              ? actor.userId && userName(actor.userId)
                ? t('timeline.viaKey', { user: userName(actor.userId)!, key: keyName })
                : keyName || undefined
              : actor.kind === 'plugin'
                ? (actor.id ?? undefined)
                : undefined) ?? t('timeline.someone');
        const text = entry.title
          ? l(entry.title)
          : entry.action === 'created'
            ? t('timeline.created', { who })
            : entry.action === 'updated'
              ? t('timeline.updated', { who, fields: entry.changes.map((change) => fieldLabel(change.field)).join(', ') })
              : entry.action === 'deleted'
                ? t('timeline.deleted', { who })
                : entry.action === 'restored'
                  ? t('timeline.restored', { who })
                  : entry.action === 'merged' || entry.action === 'unmerged'
                    ? t(`timeline.${entry.action}`, { who, records: mergedRecords(entry.changes) })
                    : entry.action;
        return (
          <div key={entry.id} className="timeline-entry">
            <span>{text}</span>
            {entry.body ? <span>{l(entry.body)}</span> : null}
            {entry.mergedFrom ? <small>{t('timeline.fromMerged')}</small> : null}
            <small title={format.dateTime(entry.at)}>{format.relative(entry.at)}</small>
          </div>
        );
      })}
      {timeline.hasNextPage ? <Button size="sm" variant="ghost" onClick={() => void timeline.fetchNextPage()}>{t('record.loadMore')}</Button> : null}
    </div>
  );
}
