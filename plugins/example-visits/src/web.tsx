import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Input, Select } from '@rapport/ui';
import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { useState } from 'react';

interface Visit {
  id: string;
  title: string;
  visitedOn: string;
  outcome: string | null;
  person?: { id: string; firstName?: string; lastName?: string } | string | null;
}

const OUTCOMES = { positive: { en: 'Positive', fr: 'Positive' }, neutral: { en: 'Neutral', fr: 'Neutre' }, negative: { en: 'Negative', fr: 'Négative' } } as const;

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as T & { detail?: string; errors?: { field: string; message: string }[] };
  if (!response.ok) throw new Error(body?.errors?.[0] ? `${body.errors[0].field}: ${body.errors[0].message}` : (body?.detail ?? String(response.status)));
  return body;
}

/** The plugin's page: the latest visits, and a form to log one. */
function VisitsPage() {
  const { fetch, t, locale } = useRapport();
  const client = useQueryClient();
  const [title, setTitle] = useState('');
  const [outcome, setOutcome] = useState('positive');
  const recent = useQuery({ queryKey: ['example-visits', 'recent'], queryFn: async () => json<{ days: number; visits: Visit[]; positive: number }>(await fetch('/api/v1/plugins/example-visits/recent')) });
  const log = useMutation({
    mutationFn: async () => json(await fetch('/api/v1/records/visit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title, outcome, visitedOn: new Date().toISOString().slice(0, 10) }) })),
    onSuccess: () => {
      setTitle('');
      void client.invalidateQueries({ queryKey: ['example-visits'] });
    },
  });
  const who = (visit: Visit) => (typeof visit.person === 'object' && visit.person ? [visit.person.firstName, visit.person.lastName].filter(Boolean).join(' ') : '');
  return (
    <section style={{ display: 'grid', gap: 12 }} data-testid="visits-page">
      <form className="r-card" style={{ padding: 12, display: 'flex', gap: 8, flexWrap: 'wrap' }} onSubmit={(event) => { event.preventDefault(); log.mutate(); }}>
        <Input value={title} onChange={(event) => setTitle(event.target.value)} placeholder={t({ en: 'What was the visit about?', fr: 'Objet de la visite ?' })} aria-label={t({ en: 'Title', fr: 'Titre' })} style={{ width: 280 }} />
        <Select value={outcome} onChange={(event) => setOutcome(event.target.value)} aria-label={t({ en: 'Outcome', fr: 'Issue' })} style={{ width: 'auto' }}>
          {Object.entries(OUTCOMES).map(([value, labels]) => <option key={value} value={value}>{t(labels)}</option>)}
        </Select>
        <Button type="submit" variant="primary" disabled={log.isPending}>{t({ en: 'Log the visit', fr: 'Noter la visite' })}</Button>
      </form>
      {log.error ? <Alert>{(log.error as Error).message}</Alert> : null}
      {recent.error ? <Alert>{(recent.error as Error).message}</Alert> : null}
      {recent.data ? (
        <div className="r-card" style={{ padding: 12, display: 'grid', gap: 6 }}>
          <strong data-testid="visits-summary">{t({ en: `${recent.data.visits.length} visits in ${recent.data.days} days, ${recent.data.positive} positive`, fr: `${recent.data.visits.length} visites en ${recent.data.days} jours, dont ${recent.data.positive} positives` })}</strong>
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {recent.data.visits.map((visit) => (
              <li key={visit.id} data-visit={visit.title}>
                {new Date(`${visit.visitedOn}T00:00:00`).toLocaleDateString(locale)} — {visit.title}
                {who(visit) ? ` · ${who(visit)}` : ''}
                {visit.outcome && visit.outcome in OUTCOMES ? ` · ${t(OUTCOMES[visit.outcome as keyof typeof OUTCOMES])}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** On a person's page: how many visits they had. */
function PersonVisits({ record }: RecordSlotProps) {
  const { t } = useRapport();
  const visits = Array.isArray(record.visits) ? record.visits.length : 0;
  return <p style={{ margin: 0 }} data-testid="person-visits">{t({ en: `${visits} field visits`, fr: `${visits} visites terrain` })}</p>;
}

export default defineWeb({ id: 'example-visits' }, {
  pages: { '': VisitsPage },
  slots: { 'record.panel/v1': [{ id: 'visits', title: { en: 'Field visits', fr: 'Visites terrain' }, objects: ['person'], component: PersonVisits }] },
});
