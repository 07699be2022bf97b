import { useQuery } from '@tanstack/react-query';
import { useRapport } from '@rapport/sdk/web';
import type { Kpis } from '../kpis';
import { json, money, useWorkspaceCurrency } from './common';

/** On the home page: this year's figures over the deals I may see, and the weighted forecast by month. */
export function SalesWidget() {
  const { fetch, t, locale } = useRapport();
  const workspace = useWorkspaceCurrency();
  const { currency } = workspace;
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
