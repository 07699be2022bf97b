import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, DateTimeInput, Input } from '@rapport/ui';
import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { useState, type FormEvent } from 'react';

interface Activity {
  id: string;
  subject: string;
  kind: string;
  dueAt?: string | null;
  done?: boolean;
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as T & { detail?: string; errors?: { field: string; message: string }[] };
  if (!response.ok) throw new Error(body?.errors?.[0] ? `${body.errors[0].field}: ${body.errors[0].message}` : (body?.detail ?? String(response.status)));
  return body;
}

function useActivities(filter: unknown, key: unknown[]) {
  const { fetch } = useRapport();
  return useQuery({
    queryKey: ['activities', ...key],
    queryFn: async () => (await json<{ data: Activity[] }>(await fetch(`/api/v1/records/activity?limit=200&sort=dueAt&fields=id,subject,kind,dueAt,done&filter=${encodeURIComponent(JSON.stringify(filter))}`))).data,
  });
}

/** Open activities, oldest due first, each done with one click, and a quick add. */
function ActivityList({ activities, link }: { activities: Activity[]; link: Record<string, string> }) {
  const { fetch, t, locale, format, refresh: refreshShell } = useRapport();
  const client = useQueryClient();
  const [subject, setSubject] = useState('');
  const [due, setDue] = useState('');
  const [error, setError] = useState<string | null>(null);
  // Ticked at once; gone from the list when the server has it.
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  // Its own lists, and the record's timeline in the shell.
  const refresh = () => {
    refreshShell();
    return client.invalidateQueries({ queryKey: ['activities'] });
  };
  const complete = useMutation({
    mutationFn: async (id: string) => {
      setTicked((current) => new Set(current).add(id));
      return json(await fetch(`/api/v1/records/activity/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ done: true }) }));
    },
    onSettled: refresh,
    onError: (caught, id) => {
      setTicked((current) => {
        const next = new Set(current);
        next.delete(id);
        return next;
      });
      setError((caught as Error).message);
    },
  });
  const add = useMutation({
    mutationFn: async () => json(await fetch('/api/v1/records/activity', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subject, kind: 'task', ...(due ? { dueAt: due } : {}), ...link }) })),
    onSuccess: () => {
      setSubject('');
      setDue('');
      setError(null);
      void refresh();
    },
    onError: (caught) => setError((caught as Error).message),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <div style={{ display: 'grid', gap: 8 }} data-testid="activities">
      {error ? <Alert>{error}</Alert> : null}
      {activities.length === 0 ? <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'Nothing to do.', fr: 'Rien à faire.' })}</p> : null}
      {activities.map((activity) => {
        const late = activity.dueAt && new Date(activity.dueAt).getTime() < Date.now();
        return (
          <label key={activity.id} style={{ display: 'flex', gap: 8, alignItems: 'center' }} data-activity={activity.subject}>
            <input type="checkbox" className="r-checkbox" checked={Boolean(activity.done) || ticked.has(activity.id)} disabled={ticked.has(activity.id)} onChange={() => complete.mutate(activity.id)} aria-label={t({ en: `Done: ${activity.subject}`, fr: `Fait : ${activity.subject}` })} />
            <span style={{ flex: 1 }}>{activity.subject}</span>
            {activity.dueAt ? <span style={{ fontSize: 12, color: late ? 'var(--danger)' : 'var(--text-muted)' }}>{format.dateTime(activity.dueAt)}</span> : null}
          </label>
        );
      })}
      <form onSubmit={submit} style={{ display: 'grid', gridTemplateColumns: 'minmax(8rem, 1fr) auto auto', gap: 6 }}>
        <Input aria-label={t({ en: 'New task', fr: 'Nouvelle tâche' })} placeholder={t({ en: 'New task…', fr: 'Nouvelle tâche…' })} value={subject} onChange={(event) => setSubject(event.target.value)} />
        <DateTimeInput aria-label={t({ en: 'Due', fr: 'Échéance' })} locale={locale} value={due || null} onChange={(moment) => setDue(moment ?? '')} />
        <Button type="submit" disabled={add.isPending || !subject.trim()}>{t({ en: 'Add', fr: 'Ajouter' })}</Button>
      </form>
    </div>
  );
}

/** "My tasks": what I own and have not done yet. */
function MyTasks() {
  const { fetch } = useRapport();
  const me = useQuery({ queryKey: ['activities', 'me'], queryFn: async () => json<{ user: { id: string } | null }>(await fetch('/api/v1/me')) });
  const userId = me.data?.user?.id;
  const activities = useActivities({ and: [{ field: 'ownerId', op: 'eq', value: userId ?? '00000000-0000-0000-0000-000000000000' }, { field: 'done', op: 'eq', value: false }] }, ['mine', userId]);
  if (!activities.data) return null;
  return (
    <section className="r-card" style={{ padding: 16, maxWidth: 760 }}>
      <ActivityList activities={activities.data} link={{}} />
    </section>
  );
}

/** On a company's or a person's page: its open activities, and a quick add linked to it. */
function RecordActivities({ object, recordId }: RecordSlotProps) {
  const activities = useActivities({ and: [{ field: object, op: 'eq', value: recordId }, { field: 'done', op: 'eq', value: false }] }, [object, recordId]);
  if (!activities.data) return null;
  return <ActivityList activities={activities.data} link={{ [object]: recordId }} />;
}

export default defineWeb({ id: 'activities' }, {
  pages: { '': MyTasks },
  slots: { 'record.panel/v1': [{ id: 'open', title: { en: 'Activities', fr: 'Activités' }, objects: ['company', 'person'], component: RecordActivities }] },
});
