import { Badge, Button, EmptyState } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useI18n } from '../i18n/i18n';

const tones: Record<string, 'success' | 'danger' | 'accent' | 'warning' | undefined> = { completed: 'success', failed: 'danger', active: 'accent', retry: 'warning' };

/** Plugins' background jobs: their state, retry a failed one, cancel a waiting one; and the schedules. */
export function JobsSettings() {
  const { t, format } = useI18n();
  const client = useQueryClient();
  const jobs = useQuery({ queryKey: ['jobs'], queryFn: () => unwrap(api.GET('/api/v1/jobs', { params: { query: { limit: 100 } } })), refetchInterval: 5_000 });
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'retry' | 'cancel' }) => unwrap(action === 'retry' ? api.POST('/api/v1/jobs/{id}/retry', { params: { path: { id } } }) : api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } } })),
    onSettled: () => client.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <>
      <h1>{t('settings.jobs')}</h1>
      {jobs.data?.schedules.length ? (
        <p className="r-muted" style={{ margin: 0 }}>{t('jobs.schedules')}: {jobs.data.schedules.map((schedule) => `${schedule.queue} (${schedule.cron})`).join(' · ')}</p>
      ) : null}
      {jobs.data?.data.length === 0 ? <EmptyState title={t('jobs.empty')} /> : null}
      {jobs.data?.data.length ? (
        <table className="list-table r-card">
          <thead><tr><th>{t('jobs.queue')}</th><th>{t('jobs.state')}</th><th>{t('jobs.created')}</th><th /></tr></thead>
          <tbody>
            {jobs.data.data.map((job) => (
              <tr key={job.id}>
                <td><code>{job.queue}</code></td>
                <td><Badge tone={tones[job.state]}>{job.state}</Badge></td>
                <td className="r-muted">{format.dateTime(job.createdAt)}</td>
                <td style={{ width: 120 }}>
                  {job.state === 'failed' ? <Button size="sm" onClick={() => act.mutate({ id: job.id, action: 'retry' })}>{t('jobs.retry')}</Button> : null}
                  {job.state === 'created' || job.state === 'retry' ? <Button size="sm" onClick={() => act.mutate({ id: job.id, action: 'cancel' })}>{t('jobs.cancel')}</Button> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
