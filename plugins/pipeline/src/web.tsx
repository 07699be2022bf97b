import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, EmptyState } from '@rapport/ui';
import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';
import { useState, type DragEvent } from 'react';
import type { Kpis } from './kpis';
import { totals } from './stages';

interface Opportunity {
  id: string;
  name: string;
  stage: string;
  amount?: { amountMinor: number; currency: string } | null;
  closeDate?: string | null;
  updatedAt: string;
  company?: { id: string; name?: string } | string | null;
}
interface StageOption {
  value: string;
  labels: { en: string; fr?: string };
}

const money = (locale: string, amountMinor: number, currency: string) => {
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    return new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { style: 'currency', currency, maximumFractionDigits: 0 }).format(amountMinor / 10 ** digits);
  } catch {
    return `${amountMinor} ${currency}`;
  }
};

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json().catch(() => null)) as T & { detail?: string; title?: string; errors?: { field: string; message: string }[] };
  if (!response.ok) throw new Error(body?.errors?.[0] ? `${body.errors[0].field}: ${body.errors[0].message}` : (body?.detail ?? body?.title ?? String(response.status)));
  return body;
}

/**
 * The board: one column per stage (the stage field's options, in order), cards moved by drag and drop.
 * A move shows at once and is undone if the server refuses it (a required amount, a rule, a right).
 */
function Board() {
  const { fetch, t, locale, navigate } = useRapport();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const metadata = useQuery({ queryKey: ['pipeline', 'object'], queryFn: async () => json<{ fields: { name: string; options?: StageOption[] }[] }>(await fetch('/api/v1/metadata/objects/opportunity')) });
  const settings = useQuery({ queryKey: ['pipeline', 'settings'], queryFn: async () => json<{ rottingDays: number }>(await fetch('/api/v1/plugins/pipeline/board')) });
  const key = ['pipeline', 'opportunities'];
  const deals = useQuery({
    queryKey: key,
    queryFn: async () => {
      const all: Opportunity[] = [];
      let cursor: string | null = null;
      do {
        const page: { data: Opportunity[]; pageInfo: { nextCursor: string | null; hasMore: boolean } } = await json(await fetch(`/api/v1/records/opportunity?limit=500&expand=company&fields=id,name,stage,amount,closeDate,updatedAt,company${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`));
        all.push(...page.data);
        cursor = page.pageInfo.hasMore ? page.pageInfo.nextCursor : null;
      } while (cursor);
      return all;
    },
  });
  const move = useMutation({
    mutationFn: async ({ id, stage }: { id: string; stage: string }) => json(await fetch(`/api/v1/records/opportunity/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ stage }) })),
    onMutate: async ({ id, stage }) => {
      setError(null);
      await client.cancelQueries({ queryKey: key });
      const previous = client.getQueryData<Opportunity[]>(key);
      client.setQueryData<Opportunity[]>(key, (current) => current?.map((deal) => (deal.id === id ? { ...deal, stage } : deal)));
      return { previous };
    },
    onError: (caught, _move, context) => {
      client.setQueryData(key, context?.previous);
      setError((caught as Error).message);
    },
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const sample = useMutation({
    mutationFn: async () => json(await fetch('/api/v1/plugins/pipeline/sample', { method: 'POST' })),
    onSuccess: () => client.invalidateQueries({ queryKey: key }),
    onError: (caught) => setError((caught as Error).message),
  });
  const stages = metadata.data?.fields.find((field) => field.name === 'stage')?.options ?? [];
  if (deals.isLoading || metadata.isLoading) return <p className="r-muted">…</p>;
  if (deals.error) return <Alert>{String((deals.error as Error).message)}</Alert>;
  const rotting = (deal: Opportunity) => !['won', 'lost'].includes(deal.stage) && Date.now() - new Date(deal.updatedAt).getTime() > (settings.data?.rottingDays ?? 14) * 86_400_000;
  if (!deals.data?.length) {
    return (
      <EmptyState title={t({ en: 'No opportunity yet', fr: 'Aucune opportunité pour l’instant' })} action={<Button variant="primary" onClick={() => sample.mutate()} disabled={sample.isPending}>{t({ en: 'Add sample deals', fr: 'Ajouter des exemples' })}</Button>}>
        {t({ en: 'Create one from the Opportunities list, or start with a few sample deals.', fr: 'Créez-en une depuis la liste des opportunités, ou commencez par quelques exemples.' })}
      </EmptyState>
    );
  }
  const onDrop = (stage: string) => (event: DragEvent) => {
    event.preventDefault();
    setOver(null);
    const id = event.dataTransfer.getData('text/plain');
    const deal = deals.data?.find((candidate) => candidate.id === id);
    if (deal && deal.stage !== stage) move.mutate({ id, stage });
  };
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      {error ? <Alert>{error}</Alert> : null}
      <div style={{ display: 'grid', gridAutoFlow: 'column', gridAutoColumns: 'minmax(220px, 1fr)', gap: 12, overflowX: 'auto', alignItems: 'start' }} data-testid="pipeline-board">
        {stages.map((stage) => {
          const cards = deals.data!.filter((deal) => deal.stage === stage.value);
          const sums = totals(cards);
          return (
            <section
              key={stage.value}
              aria-label={t(stage.labels as { en: string; fr?: string })}
              data-stage={stage.value}
              onDragOver={(event) => { event.preventDefault(); setOver(stage.value); }}
              onDragLeave={() => setOver((current) => (current === stage.value ? null : current))}
              onDrop={onDrop(stage.value)}
              className="r-card"
              style={{ padding: 10, display: 'grid', gap: 8, alignContent: 'start', minHeight: 240, background: over === stage.value ? 'var(--accent-soft)' : 'var(--surface-2)' }}
            >
              <header style={{ display: 'grid', gap: 2 }}>
                <strong>{t(stage.labels as { en: string; fr?: string })} <span className="r-muted">· {cards.length}</span></strong>
                <span className="r-muted" style={{ fontSize: 12 }} data-testid={`total-${stage.value}`}>{Object.entries(sums).map(([currency, minor]) => money(locale, minor, currency)).join(' + ') || '—'}</span>
              </header>
              {cards.map((deal) => (
                <article
                  key={deal.id}
                  draggable
                  onDragStart={(event) => event.dataTransfer.setData('text/plain', deal.id)}
                  onDoubleClick={() => navigate(`/objects/opportunity/${deal.id}`)}
                  className="r-card"
                  data-deal={deal.name}
                  data-rotting={rotting(deal) || undefined}
                  style={{ padding: 10, cursor: 'grab', display: 'grid', gap: 2, borderColor: rotting(deal) ? 'var(--warning)' : undefined }}
                >
                  <a href={`/objects/opportunity/${deal.id}`} onClick={(event) => { event.preventDefault(); navigate(`/objects/opportunity/${deal.id}`); }}>{deal.name}</a>
                  <span className="r-muted" style={{ fontSize: 12 }}>
                    {typeof deal.company === 'object' && deal.company ? String(deal.company.name ?? '') : ''}
                    {deal.amount ? ` · ${money(locale, deal.amount.amountMinor, deal.amount.currency)}` : ''}
                  </span>
                  {rotting(deal) ? <span style={{ fontSize: 12, color: 'var(--warning)' }}>{t({ en: 'No change for a while', fr: 'Sans changement depuis un moment' })}</span> : null}
                </article>
              ))}
            </section>
          );
        })}
      </div>
    </div>
  );
}

/** On an opportunity's page: the stages it went through and the days spent in each. */
function StageHistory({ recordId }: RecordSlotProps) {
  const { fetch, t } = useRapport();
  const history = useQuery({ queryKey: ['pipeline', 'history', recordId], queryFn: async () => (await json<{ data: { stage: string | null; days: number; from: string }[] }>(await fetch(`/api/v1/plugins/pipeline/opportunities/${recordId}/history`))).data });
  if (!history.data?.length) return <p className="r-muted" style={{ margin: 0 }}>{t({ en: 'No stage yet.', fr: 'Pas encore d’étape.' })}</p>;
  return (
    <ol style={{ margin: 0, paddingLeft: 18 }} data-testid="stage-history">
      {history.data.map((period) => (
        <li key={period.from}>{period.stage ?? '—'}: {t({ en: `${period.days} days`, fr: `${period.days} jours` })}</li>
      ))}
    </ol>
  );
}


/** On the home page: this year's figures over the deals I may see, and the weighted forecast by month. */
function SalesWidget() {
  const { fetch, t, locale } = useRapport();
  const workspace = useQuery({ queryKey: ['pipeline', 'workspace'], queryFn: async () => (await fetch('/api/v1/settings/workspace')).json() as Promise<{ currency?: string }> });
  const currency = workspace.data?.currency ?? 'EUR';
  const kpis = useQuery({ queryKey: ['pipeline', 'kpis', currency], queryFn: async () => json<Kpis>(await fetch(`/api/v1/plugins/pipeline/kpis?currency=${currency}`)), enabled: !workspace.isLoading });
  if (!kpis.data) return <p className="r-muted" style={{ margin: 0 }}>…</p>;
  const k = kpis.data;
  const figure = (label: { en: string; fr: string }, value: string, id: string) => (
    <div style={{ display: 'grid' }} data-kpi={id}>
      <span className="r-muted" style={{ fontSize: 12 }}>{t(label)}</span>
      <strong style={{ fontSize: 18 }}>{value}</strong>
    </div>
  );
  const max = Math.max(1, ...k.forecast.map((month) => month.weighted));
  const monthName = (month: string) => (month === 'none' ? t({ en: 'No date', fr: 'Sans date' }) : new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'short', year: '2-digit' }).format(new Date(`${month}-01T00:00:00`)));
  return (
    <div style={{ display: 'grid', gap: 12 }} data-testid="sales-kpis">
      <div style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', gap: 10 }}>
        {figure({ en: 'Win rate', fr: 'Taux de réussite' }, k.winRate === null ? '—' : `${Math.round(k.winRate * 100)} %`, 'win-rate')}
        {figure({ en: 'Average deal', fr: 'Affaire moyenne' }, k.averageDealSize === null ? '—' : money(locale, k.averageDealSize, k.currency), 'deal-size')}
        {figure({ en: 'Weighted pipeline', fr: 'Pipeline pondéré' }, money(locale, k.weightedPipeline, k.currency), 'weighted')}
        {figure({ en: 'Sales cycle', fr: 'Cycle de vente' }, k.salesCycleDays === null ? '—' : t({ en: `${k.salesCycleDays} days`, fr: `${k.salesCycleDays} jours` }), 'cycle')}
      </div>
      {k.forecast.length ? (
        <div style={{ display: 'grid', gap: 4 }} aria-label={t({ en: 'Forecast by close month', fr: 'Prévision par mois de clôture' })}>
          {k.forecast.slice(0, 6).map((month) => (
            <div key={month.month} style={{ display: 'grid', gridTemplateColumns: '64px 1fr 90px', gap: 8, alignItems: 'center', fontSize: 12 }}>
              <span className="r-muted">{monthName(month.month)}</span>
              <span style={{ height: 8, borderRadius: 4, background: 'var(--accent)', width: `${Math.max(2, (month.weighted / max) * 100)}%` }} />
              <span style={{ textAlign: 'right' }}>{money(locale, month.weighted, k.currency)}</span>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}

export default defineWeb({ id: 'pipeline' }, {
  pages: { '': Board },
  slots: {
    'record.panel/v1': [{ id: 'stage-history', title: { en: 'Stage history', fr: 'Historique des étapes' }, objects: ['opportunity'], component: StageHistory }],
    'dashboard.widget/v1': [{ id: 'sales', title: { en: 'Sales this year', fr: 'Ventes de l’année' }, component: SalesWidget }],
  },
});
