import { convert, type ExchangeRate } from './exchange-rates';
import { DEFAULT_PIPELINES, type Pipeline, stageIn } from './pipelines';

export interface Deal {
  id: string;
  pipeline?: string | null;
  stage: string;
  amount?: { amountMinor: number; currency: string } | null;
  closeDate?: string | null;
  createdAt: string;
  probability?: number | null;
  ownerId?: string | null;
  source?: string | null;
}

export interface Kpis {
  currency: string;
  period: { from: string; to: string };
  /** Deals closed (won or lost) with a close date in the period. */
  won: number;
  lost: number;
  /** won / (won + lost), or null with nothing closed. */
  winRate: number | null;
  /** Mean amount of the deals won in the period, in minor units of `currency`. */
  averageDealSize: number | null;
  /** Mean days from creation to the move into Won, for deals won in the period. */
  salesCycleDays: number | null;
  /** Open deals and their amounts, and weighted by probability (the deal's, else its stage's). */
  open: number;
  pipelineValue: number;
  weightedPipeline: number;
  /** Expected revenue per day: open deals × win rate × average deal size ÷ sales cycle. */
  velocityPerDay: number | null;
  /** Weighted open pipeline by close month (YYYY-MM). */
  forecast: { month: string; weighted: number }[];
  /** Deals in another currency with no exchange rate to `currency` on their date: left out, how many. */
  otherCurrencies: number;
}

/** Figures of one group: `ownerId` or `source` says which (null for deals without). */
export type GroupFigures<Field extends 'ownerId' | 'source'> = { [key in Field]: string | null } & {
  won: number;
  lost: number;
  winRate: number | null;
  open: number;
  weightedPipeline: number;
  /** Its weighted open pipeline by close month. */
  forecast: { month: string; weighted: number }[];
};

export interface KpiOptions {
  from: string;
  to: string;
  currency: string;
  pipelines?: readonly Pipeline[];
  exchangeRates?: readonly ExchangeRate[];
}

/** The same figures per owner (a manager sees their team's owners; a rep, themself) or per source, biggest weighted pipeline first. */
export function kpisBy<Field extends 'ownerId' | 'source'>(field: Field, deals: Deal[], wonAt: Map<string, Date>, options: KpiOptions): GroupFigures<Field>[] {
  const groups = new Map<string | null, Deal[]>();
  for (const deal of deals) groups.set(deal[field] ?? null, [...(groups.get(deal[field] ?? null) ?? []), deal]);
  return [...groups.entries()]
    .map(([key, own]) => {
      const figures = computeKpis(own, wonAt, options);
      return { [field]: key, won: figures.won, lost: figures.lost, winRate: figures.winRate, open: figures.open, weightedPipeline: figures.weightedPipeline, forecast: figures.forecast } as GroupFigures<Field>;
    })
    .sort((a, b) => b.weightedPipeline - a.weightedPipeline || String(a[field]).localeCompare(String(b[field])));
}

const round = (value: number) => Math.round(value);
const today = () => new Date().toISOString().slice(0, 10);

/**
 * Sales figures over deals the caller may see, in one currency. `wonAt` gives when each won deal
 * moved into Won (from the stage history); a deal won without history counts from its close date.
 */
export function computeKpis(deals: Deal[], wonAt: Map<string, Date>, options: KpiOptions): Kpis {
  const pipelines = options.pipelines ?? DEFAULT_PIPELINES;
  const rates = options.exchangeRates ?? [];
  // Each amount in the report's currency, at the rate of its close date (today for a deal without one).
  const converted = new Map<Deal, number>();
  for (const deal of deals) {
    if (!deal.amount) continue;
    const value = convert(rates, deal.amount.amountMinor, deal.amount.currency, options.currency, deal.closeDate ?? today());
    if (value !== null) converted.set(deal, value);
  }
  const inCurrency = deals.filter((deal) => !deal.amount || converted.has(deal));
  const otherCurrencies = deals.length - inCurrency.length;
  const inPeriod = (date: string | null | undefined) => Boolean(date) && date! >= options.from && date! <= options.to;
  // A stage outside the deal's pipeline (removed from it since) counts as open, at no probability.
  const outcome = (deal: Deal) => stageIn(pipelines, deal)?.outcome ?? 'open';
  const won = inCurrency.filter((deal) => outcome(deal) === 'won' && inPeriod(deal.closeDate));
  const lost = inCurrency.filter((deal) => outcome(deal) === 'lost' && inPeriod(deal.closeDate));
  const open = inCurrency.filter((deal) => outcome(deal) === 'open');
  const amount = (deal: Deal) => converted.get(deal) ?? 0;
  const winRate = won.length + lost.length > 0 ? won.length / (won.length + lost.length) : null;
  const averageDealSize = won.length > 0 ? round(won.reduce((sum, deal) => sum + amount(deal), 0) / won.length) : null;
  const cycles = won.map((deal) => {
    const end = wonAt.get(deal.id) ?? new Date(`${deal.closeDate}T00:00:00Z`);
    return (end.getTime() - new Date(deal.createdAt).getTime()) / 86_400_000;
  });
  const salesCycleDays = cycles.length > 0 ? Math.round((cycles.reduce((sum, days) => sum + days, 0) / cycles.length) * 10) / 10 : null;
  const weight = (deal: Deal) => amount(deal) * ((deal.probability ?? stageIn(pipelines, deal)?.probability ?? 0) / 100);
  const byMonth = new Map<string, number>();
  for (const deal of open) {
    const month = deal.closeDate?.slice(0, 7) ?? 'none';
    byMonth.set(month, (byMonth.get(month) ?? 0) + weight(deal));
  }
  const velocityPerDay = winRate !== null && averageDealSize !== null && salesCycleDays ? round((open.length * winRate * averageDealSize) / salesCycleDays) : null;
  return {
    currency: options.currency,
    period: { from: options.from, to: options.to },
    won: won.length,
    lost: lost.length,
    winRate: winRate === null ? null : Math.round(winRate * 1000) / 1000,
    averageDealSize,
    salesCycleDays,
    open: open.length,
    pipelineValue: open.reduce((sum, deal) => sum + amount(deal), 0),
    weightedPipeline: round(open.reduce((sum, deal) => sum + weight(deal), 0)),
    velocityPerDay,
    forecast: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, weighted]) => ({ month, weighted: round(weighted) })),
    otherCurrencies,
  };
}

/** A lead, as the leads plugin keeps it: where it came from and the opportunity it became. */
export interface Lead {
  id: string;
  source?: string | null;
  createdAt: string;
  convertedOpportunity?: string | { id: string } | null;
}

export interface Funnel {
  /** Leads created in the period. */
  leads: number;
  /** Of them, converted into an opportunity. */
  opportunities: number;
  /** Of those opportunities, won (at any time so far). */
  won: number;
  leadToOpportunity: number | null;
  opportunityToWon: number | null;
  leadToWon: number | null;
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

/**
 * Lead → opportunity → won, for leads created in the period: what became of them since. An opportunity
 * the caller may not read counts as converted but not as won (its outcome is not theirs to see).
 */
export function computeFunnel(leads: Lead[], deals: Deal[], options: Pick<KpiOptions, 'from' | 'to' | 'pipelines'>): Funnel {
  const pipelines = options.pipelines ?? DEFAULT_PIPELINES;
  const byId = new Map(deals.map((deal) => [deal.id, deal]));
  const created = leads.filter((lead) => {
    const day = lead.createdAt.slice(0, 10);
    return day >= options.from && day <= options.to;
  });
  const opportunityOf = (lead: Lead) => (typeof lead.convertedOpportunity === 'string' ? lead.convertedOpportunity : (lead.convertedOpportunity?.id ?? null));
  const converted = created.filter((lead) => opportunityOf(lead));
  const won = converted.filter((lead) => {
    const deal = byId.get(opportunityOf(lead)!);
    return deal !== undefined && stageIn(pipelines, deal)?.outcome === 'won';
  });
  return { leads: created.length, opportunities: converted.length, won: won.length, leadToOpportunity: ratio(converted.length, created.length), opportunityToWon: ratio(won.length, converted.length), leadToWon: ratio(won.length, created.length) };
}

/** The funnel per lead source, most leads first. */
export function funnelBySource(leads: Lead[], deals: Deal[], options: Pick<KpiOptions, 'from' | 'to' | 'pipelines'>): (Funnel & { source: string | null })[] {
  const groups = new Map<string | null, Lead[]>();
  for (const lead of leads) groups.set(lead.source ?? null, [...(groups.get(lead.source ?? null) ?? []), lead]);
  return [...groups.entries()]
    .map(([source, own]) => ({ source, ...computeFunnel(own, deals, options) }))
    .filter((row) => row.leads > 0)
    .sort((a, b) => b.leads - a.leads || String(a.source).localeCompare(String(b.source)));
}
