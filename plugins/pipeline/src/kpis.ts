import { STAGES } from './stages';

export interface Deal {
  id: string;
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
  /** Amounts in other currencies are left out (no exchange rates yet): how many deals that was. */
  otherCurrencies: number;
}

export interface OwnerFigures {
  ownerId: string | null;
  won: number;
  lost: number;
  winRate: number | null;
  open: number;
  weightedPipeline: number;
}

/** The same figures per owner (a manager sees their team's owners; a rep, themself), biggest weighted pipeline first. */
export function kpisByOwner(deals: Deal[], wonAt: Map<string, Date>, options: { from: string; to: string; currency: string }): OwnerFigures[] {
  const owners = new Map<string | null, Deal[]>();
  for (const deal of deals) owners.set(deal.ownerId ?? null, [...(owners.get(deal.ownerId ?? null) ?? []), deal]);
  return [...owners.entries()]
    .map(([ownerId, own]) => {
      const figures = computeKpis(own, wonAt, options);
      return { ownerId, won: figures.won, lost: figures.lost, winRate: figures.winRate, open: figures.open, weightedPipeline: figures.weightedPipeline };
    })
    .sort((a, b) => b.weightedPipeline - a.weightedPipeline || String(a.ownerId).localeCompare(String(b.ownerId)));
}

const stageProbability = (stage: string) => STAGES.find((candidate) => candidate.value === stage)?.probability ?? 0;
const round = (value: number) => Math.round(value);

/**
 * Sales figures over deals the caller may see, in one currency. `wonAt` gives when each won deal
 * moved into Won (from the stage history); a deal won without history counts from its close date.
 */
export function computeKpis(deals: Deal[], wonAt: Map<string, Date>, options: { from: string; to: string; currency: string }): Kpis {
  const inCurrency = deals.filter((deal) => !deal.amount || deal.amount.currency === options.currency);
  const otherCurrencies = deals.length - inCurrency.length;
  const inPeriod = (date: string | null | undefined) => Boolean(date) && date! >= options.from && date! <= options.to;
  const won = inCurrency.filter((deal) => deal.stage === 'won' && inPeriod(deal.closeDate));
  const lost = inCurrency.filter((deal) => deal.stage === 'lost' && inPeriod(deal.closeDate));
  const open = inCurrency.filter((deal) => deal.stage !== 'won' && deal.stage !== 'lost');
  const amount = (deal: Deal) => deal.amount?.amountMinor ?? 0;
  const winRate = won.length + lost.length > 0 ? won.length / (won.length + lost.length) : null;
  const averageDealSize = won.length > 0 ? round(won.reduce((sum, deal) => sum + amount(deal), 0) / won.length) : null;
  const cycles = won.map((deal) => {
    const end = wonAt.get(deal.id) ?? new Date(`${deal.closeDate}T00:00:00Z`);
    return (end.getTime() - new Date(deal.createdAt).getTime()) / 86_400_000;
  });
  const salesCycleDays = cycles.length > 0 ? Math.round((cycles.reduce((sum, days) => sum + days, 0) / cycles.length) * 10) / 10 : null;
  const weight = (deal: Deal) => amount(deal) * ((deal.probability ?? stageProbability(deal.stage)) / 100);
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
