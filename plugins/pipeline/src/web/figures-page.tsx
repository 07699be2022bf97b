import { useQuery } from '@tanstack/react-query';
import { Alert, DateInput, isIsoDay, Select } from '@rapport/ui';
import { useRapport } from '@rapport/sdk/web';
import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { Funnel, GroupFigures, Kpis } from '../kpis';
import { managerGroups, totalsOf } from '../rollups';
import { json, money, useBoardConfig, useFieldOptions, useMembers, useWorkspaceCurrency } from './common';

const BarsChart = lazy(() => import('./figures-charts').then((module) => ({ default: module.BarsChart })));

type Figures = Kpis & {
  byOwner: GroupFigures<'ownerId'>[];
  bySource: GroupFigures<'source'>[];
  funnel: (Funnel & { bySource: (Funnel & { source: string | null })[] }) | null;
};

interface Team {
  id: string;
  name: string;
  members: string[];
}

type Split = 'total' | 'owner' | 'team' | 'manager';

/** Series colours for stacked bars: the theme's, then fixed hues that read on light and dark. */
const PALETTE = ['var(--accent)', 'var(--success)', 'var(--warning)', '#8b5cf6', '#0ea5e9', '#f43f5e', '#64748b'];

const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 100)} %`);

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="r-card" style={{ padding: 14, display: 'grid', gap: 10, alignContent: 'start' }}>
      <h2 style={{ margin: 0, fontSize: 16 }}>{title}</h2>
      {children}
    </section>
  );
}

/**
 * Sales figures over the deals (and leads) the reader may see: the period's results, the funnel from
 * lead to won, the forecast by close month, and the same per owner, team and source.
 */
export function FiguresPage() {
  const { fetch, t, locale } = useRapport();
  const year = new Date().getFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const [pipeline, setPipeline] = useState('');
  const [split, setSplit] = useState<Split>('total');
  const { config } = useBoardConfig();
  const { currency, isLoading: currencyLoading } = useWorkspaceCurrency();
  const figures = useQuery({
    queryKey: ['pipeline', 'figures', from, to, pipeline, currency],
    queryFn: async () => json<Figures>(await fetch(`/api/v1/plugins/pipeline/kpis?${new URLSearchParams({ from, to, currency, ...(pipeline ? { pipeline } : {}) })}`)),
    enabled: !currencyLoading,
    placeholderData: (previous) => previous,
  });
  const members = useMembers();
  const teams = useQuery({ queryKey: ['pipeline', 'teams'], queryFn: async () => (await json<{ data: Team[] }>(await fetch('/api/v1/teams'))).data });
  const opportunity = useFieldOptions('opportunity');
  // Lead sources only when the leads plugin's figures are there.
  const lead = useFieldOptions('lead', Boolean(figures.data?.funnel));
  const optionName = (options: { value: string; labels: { en: string; fr?: string } }[], value: string | null) => {
    if (value === null) return t({ en: 'No source', fr: 'Sans origine' });
    const option = options.find((candidate) => candidate.value === value);
    return option ? t(option.labels) : value;
  };
  const sourceName = (value: string | null) => optionName(opportunity.optionsOf('source'), value);
  const memberName = (id: string | null) => (id ? (members.data?.find((member) => member.id === id)?.name ?? id.slice(0, 8)) : '—');
  const amount = (minor: number) => money(locale, minor, currency);
  const k = figures.data;
  // Teams, and each manager with everyone under them (the hierarchy): their owners' figures added up.
  const teamTotals = k ? totalsOf(k.byOwner, (teams.data ?? []).map((team) => ({ key: team.id, name: team.name, members: team.members }))) : [];
  const managerTotals = k ? totalsOf(k.byOwner, managerGroups(members.data ?? [])) : [];

  const figure = (label: { en: string; fr: string }, value: string, id: string) => (
    <div className="r-card" style={{ padding: 12, display: 'grid', gap: 2 }} data-kpi={id}>
      <span className="r-muted" style={{ fontSize: 12 }}>{t(label)}</span>
      <strong style={{ fontSize: 22 }}>{value}</strong>
    </div>
  );
  const table = (head: string[], rows: (string | number)[][], testId: string) => (
    <table style={{ width: '100%', borderCollapse: 'collapse', fontSize: 13 }} data-testid={testId}>
      <thead>
        <tr>{head.map((cell, index) => <th key={cell} style={{ textAlign: index ? 'right' : 'left', padding: '4px 6px', borderBottom: '1px solid var(--border)' }} className="r-muted">{cell}</th>)}</tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={String(row[0])}>{row.map((cell, index) => <td key={index} style={{ textAlign: index ? 'right' : 'left', padding: '4px 6px', borderBottom: '1px solid var(--border)' }}>{cell}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
  const groupHead = [t({ en: 'Won', fr: 'Gagnées' }), t({ en: 'Lost', fr: 'Perdues' }), t({ en: 'Win rate', fr: 'Taux de réussite' }), t({ en: 'Open', fr: 'En cours' }), t({ en: 'Weighted pipeline', fr: 'Pipeline pondéré' })];
  const groupCells = (row: { won: number; lost: number; winRate: number | null; open: number; weightedPipeline: number }) => [row.won, row.lost, percent(row.winRate), row.open, amount(row.weightedPipeline)];
  const monthName = (month: string) => (month === 'none' ? t({ en: 'No date', fr: 'Sans date' }) : new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'short', year: '2-digit' }).format(new Date(`${month}-01T00:00:00`)));

  /** The forecast's bars: one series in all, or one per owner, team or manager (their people added up). */
  const forecastChart = (figures: Figures) => {
    const months = figures.forecast.map((month) => month.month);
    const groups: { key: string; label: string; forecast: Map<string, number> }[] =
      split === 'owner'
        ? figures.byOwner.map((row) => ({ key: row.ownerId ?? 'none', label: memberName(row.ownerId), forecast: new Map(row.forecast.map((month) => [month.month, month.weighted])) }))
        : split === 'team' || split === 'manager'
          ? (split === 'team' ? teamTotals : managerTotals).map((group) => ({ key: group.key, label: group.name, forecast: group.forecast }))
          : [{ key: 'weighted', label: t({ en: 'Weighted', fr: 'Pondéré' }), forecast: new Map(figures.forecast.map((month) => [month.month, month.weighted])) }];
    const shown = groups.filter((group) => group.forecast.size > 0);
    return {
      rows: months.map((month) => ({ name: monthName(month), ...Object.fromEntries(shown.map((group, index) => [`s${index}`, group.forecast.get(month) ?? 0])) })),
      series: shown.map((group, index) => ({ key: `s${index}`, label: group.label, colour: PALETTE[index % PALETTE.length]! })),
    };
  };

  return (
    <div style={{ display: 'grid', gap: 16 }} data-testid="sales-figures">
      <form style={{ display: 'flex', gap: 12, flexWrap: 'wrap', alignItems: 'end' }} onSubmit={(event) => event.preventDefault()}>
        <label style={{ display: 'grid', gap: 2 }}>{t({ en: 'From', fr: 'Du' })}<DateInput locale={locale} value={from} onChange={(day) => day && isIsoDay(day) && setFrom(day)} aria-label={t({ en: 'From', fr: 'Du' })} /></label>
        <label style={{ display: 'grid', gap: 2 }}>{t({ en: 'To', fr: 'Au' })}<DateInput locale={locale} value={to} onChange={(day) => day && isIsoDay(day) && setTo(day)} aria-label={t({ en: 'To', fr: 'Au' })} /></label>
        {config && config.pipelines.length > 1 ? (
          <label style={{ display: 'grid', gap: 2 }}>
            {t({ en: 'Pipeline', fr: 'Pipeline' })}
            <Select value={pipeline} onChange={(event) => setPipeline(event.target.value)} aria-label={t({ en: 'Pipeline', fr: 'Pipeline' })}>
              <option value="">{t({ en: 'All pipelines', fr: 'Tous les pipelines' })}</option>
              {config.pipelines.map((candidate) => <option key={candidate.key} value={candidate.key}>{t(candidate.labels)}</option>)}
            </Select>
          </label>
        ) : null}
        <span className="r-muted" style={{ fontSize: 12, paddingBottom: 8 }}>{t({ en: `Amounts in ${currency}, over the deals you may see.`, fr: `Montants en ${currency}, sur les affaires que vous pouvez voir.` })}</span>
      </form>
      {figures.error ? <Alert>{(figures.error as Error).message}</Alert> : null}
      {!k ? <p className="r-muted">…</p> : (
        <>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(160px, 1fr))', gap: 10 }}>
            {figure({ en: 'Win rate', fr: 'Taux de réussite' }, percent(k.winRate), 'win-rate')}
            {figure({ en: 'Average deal', fr: 'Affaire moyenne' }, k.averageDealSize === null ? '—' : amount(k.averageDealSize), 'deal-size')}
            {figure({ en: 'Sales cycle', fr: 'Cycle de vente' }, k.salesCycleDays === null ? '—' : t({ en: `${k.salesCycleDays} days`, fr: `${k.salesCycleDays} jours` }), 'cycle')}
            {figure({ en: 'Open pipeline', fr: 'Pipeline ouvert' }, amount(k.pipelineValue), 'pipeline')}
            {figure({ en: 'Weighted pipeline', fr: 'Pipeline pondéré' }, amount(k.weightedPipeline), 'weighted')}
            {figure({ en: 'Velocity per day', fr: 'Vélocité par jour' }, k.velocityPerDay === null ? '—' : amount(k.velocityPerDay), 'velocity')}
            {k.funnel ? figure({ en: 'Leads → won', fr: 'Pistes → gagnées' }, percent(k.funnel.leadToWon), 'lead-to-won') : null}
          </div>
          {k.otherCurrencies ? <p className="r-muted" style={{ margin: 0 }}>{t({ en: `${k.otherCurrencies} deals in a currency with no rate to ${currency} are left out (Settings → Pipelines).`, fr: `${k.otherCurrencies} affaires dans une devise sans taux vers ${currency} sont laissées de côté (Paramètres → Pipelines).` })}</p> : null}
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(380px, 1fr))', gap: 16 }}>
            <Section title={t({ en: 'Forecast by close month (weighted)', fr: 'Prévision par mois de clôture (pondérée)' })}>
              <Select value={split} onChange={(event) => setSplit(event.target.value as typeof split)} aria-label={t({ en: 'Forecast by', fr: 'Prévision par' })} style={{ justifySelf: 'start', width: 'auto' }}>
                <option value="total">{t({ en: 'All together', fr: 'Tout ensemble' })}</option>
                <option value="owner">{t({ en: 'Per owner', fr: 'Par responsable' })}</option>
                {teams.data?.length ? <option value="team">{t({ en: 'Per team', fr: 'Par équipe' })}</option> : null}
                {managerTotals.length ? <option value="manager">{t({ en: 'Per manager (with their people)', fr: 'Par manager (avec son équipe)' })}</option> : null}
              </Select>
              <Suspense fallback={<p className="r-muted">…</p>}>
                <BarsChart label={t({ en: 'Forecast by close month', fr: 'Prévision par mois de clôture' })} {...forecastChart(k)} format={amount} stacked={split === 'owner' || split === 'team'} />
              </Suspense>
            </Section>
            {k.funnel ? (
              <Section title={t({ en: 'From lead to won', fr: 'De la piste à la vente' })}>
                <Suspense fallback={<p className="r-muted">…</p>}>
                  <BarsChart
                    label={t({ en: 'Funnel', fr: 'Entonnoir' })}
                    rows={[
                      { name: t({ en: 'Leads', fr: 'Pistes' }), count: k.funnel.leads },
                      { name: t({ en: 'Opportunities', fr: 'Opportunités' }), count: k.funnel.opportunities },
                      { name: t({ en: 'Won', fr: 'Gagnées' }), count: k.funnel.won },
                    ]}
                    series={[{ key: 'count', label: t({ en: 'Count', fr: 'Nombre' }), colour: 'var(--success)' }]}
                    format={(value) => String(value)}
                    counts
                  />
                </Suspense>
                <p className="r-muted" style={{ margin: 0 }} data-testid="funnel-rates">
                  {t({ en: 'Lead → opportunity', fr: 'Piste → opportunité' })} {percent(k.funnel.leadToOpportunity)} · {t({ en: 'opportunity → won', fr: 'opportunité → gagnée' })} {percent(k.funnel.opportunityToWon)}
                </p>
                {table([t({ en: 'Lead source', fr: 'Origine de la piste' }), t({ en: 'Leads', fr: 'Pistes' }), t({ en: 'Opportunities', fr: 'Opportunités' }), t({ en: 'Won', fr: 'Gagnées' }), t({ en: 'Lead → won', fr: 'Piste → gagnée' })], k.funnel.bySource.map((row) => [optionName(lead.optionsOf('source'), row.source), row.leads, row.opportunities, row.won, percent(row.leadToWon)]), 'funnel-by-source')}
              </Section>
            ) : null}
            <Section title={t({ en: 'Per owner', fr: 'Par responsable' })}>
              <Suspense fallback={<p className="r-muted">…</p>}>
                <BarsChart
                  label={t({ en: 'Weighted pipeline per owner', fr: 'Pipeline pondéré par responsable' })}
                  rows={k.byOwner.map((row) => ({ name: memberName(row.ownerId), weighted: row.weightedPipeline }))}
                  series={[{ key: 'weighted', label: t({ en: 'Weighted pipeline', fr: 'Pipeline pondéré' }), colour: 'var(--accent)' }]}
                  format={amount}
                />
              </Suspense>
              {table([t({ en: 'Owner', fr: 'Responsable' }), ...groupHead], k.byOwner.map((row) => [memberName(row.ownerId), ...groupCells(row)]), 'by-owner')}
            </Section>
            {teamTotals.length ? (
              <Section title={t({ en: 'Per team', fr: 'Par équipe' })}>
                {table([t({ en: 'Team', fr: 'Équipe' }), ...groupHead], teamTotals.map((row) => [row.name, ...groupCells(row)]), 'by-team')}
              </Section>
            ) : null}
            {managerTotals.length ? (
              <Section title={t({ en: 'Per manager, with everyone under them', fr: 'Par manager, avec toute son équipe' })}>
                {table([t({ en: 'Manager', fr: 'Manager' }), ...groupHead], managerTotals.map((row) => [row.name, ...groupCells(row)]), 'by-manager')}
              </Section>
            ) : null}
            <Section title={t({ en: 'Per source', fr: 'Par origine' })}>
              {table([t({ en: 'Source', fr: 'Origine' }), ...groupHead], k.bySource.map((row) => [sourceName(row.source), ...groupCells(row)]), 'by-source')}
            </Section>
          </div>
        </>
      )}
    </div>
  );
}
