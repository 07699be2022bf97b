import { expect, it } from 'vitest';
import { computeFunnel, computeKpis, type Deal, funnelBySource, kpisBy, type Lead } from '../src/kpis';
import { convert } from '../src/exchange-rates';
import { DEFAULT_PIPELINES, type Pipeline } from '../src/pipelines';

const eur = (euros: number) => ({ amountMinor: euros * 100, currency: 'EUR' });

/*
 * Worked by hand. Period: 2026-01-01 … 2026-03-31, in EUR.
 * Won in the period: A (10,000 €, created 2025-12-02, moved to Won 2026-01-11 → 40 days) and
 * B (30,000 €, created 2026-01-01, no history, close date 2026-03-02 → 60 days). Lost in the period: C.
 * Won outside the period: D (close 2026-04-15): ignored. Open: E (proposal, 20,000 €, no probability →
 * stage's 50 % → 10,000 €, closes 2026-04) and F (lead, 8,000 €, probability 25 → 2,000 €, closes 2026-05).
 * G is in USD: left out.
 * Win rate 2/3 = 0.667; average deal size (10,000 + 30,000) / 2 = 20,000 €; cycle (40 + 60) / 2 = 50 days;
 * pipeline 28,000 €, weighted 12,000 €; velocity 2 × 2/3 × 20,000 € / 50 = 533.33 €/day.
 */
const deals: Deal[] = [
  { id: 'A', stage: 'won', amount: eur(10_000), closeDate: '2026-01-10', createdAt: '2025-12-02T00:00:00Z' },
  { id: 'B', stage: 'won', amount: eur(30_000), closeDate: '2026-03-02', createdAt: '2026-01-01T00:00:00Z' },
  { id: 'C', stage: 'lost', amount: eur(5_000), closeDate: '2026-02-01', createdAt: '2026-01-05T00:00:00Z' },
  { id: 'D', stage: 'won', amount: eur(99_000), closeDate: '2026-04-15', createdAt: '2026-01-05T00:00:00Z' },
  { id: 'E', stage: 'proposal', amount: eur(20_000), closeDate: '2026-04-20', createdAt: '2026-02-01T00:00:00Z' },
  { id: 'F', stage: 'lead', amount: eur(8_000), closeDate: '2026-05-05', createdAt: '2026-02-01T00:00:00Z', probability: 25 },
  { id: 'G', stage: 'proposal', amount: { amountMinor: 1_000_000, currency: 'USD' }, closeDate: '2026-04-01', createdAt: '2026-02-01T00:00:00Z' },
];

it('computes win rate, deal size, cycle, pipeline, velocity and forecast as worked by hand', () => {
  const kpis = computeKpis(deals, new Map([['A', new Date('2026-01-11T00:00:00Z')]]), { from: '2026-01-01', to: '2026-03-31', currency: 'EUR' });
  expect(kpis).toEqual({
    currency: 'EUR',
    period: { from: '2026-01-01', to: '2026-03-31' },
    won: 2,
    lost: 1,
    winRate: 0.667,
    averageDealSize: 2_000_000,
    salesCycleDays: 50,
    open: 2,
    pipelineValue: 2_800_000,
    weightedPipeline: 1_200_000,
    velocityPerDay: 53_333,
    forecast: [{ month: '2026-04', weighted: 1_000_000 }, { month: '2026-05', weighted: 200_000 }],
    otherCurrencies: 1,
  });
});

it('says "no figure" rather than zero when nothing closed', () => {
  const kpis = computeKpis([deals[4]!], new Map(), { from: '2026-01-01', to: '2026-03-31', currency: 'EUR' });
  expect(kpis).toMatchObject({ won: 0, lost: 0, winRate: null, averageDealSize: null, salesCycleDays: null, velocityPerDay: null, open: 1 });
});

it('gives the figures per owner, biggest weighted pipeline first', () => {
  const owned = deals.map((deal, index) => ({ ...deal, ownerId: index % 2 === 0 ? 'ann' : 'bob' }));
  // ann: A (won), C (lost), E (open, 10,000 € weighted), G (USD, left out); bob: B (won), D (won later), F (open, 2,000 €).
  expect(kpisBy('ownerId', owned, new Map(), { from: '2026-01-01', to: '2026-03-31', currency: 'EUR' })).toEqual([
    { ownerId: 'ann', won: 1, lost: 1, winRate: 0.5, open: 1, weightedPipeline: 1_000_000, forecast: [{ month: '2026-04', weighted: 1_000_000 }] },
    { ownerId: 'bob', won: 1, lost: 0, winRate: 1, open: 1, weightedPipeline: 200_000, forecast: [{ month: '2026-05', weighted: 200_000 }] },
  ]);
});

it('gives the figures per source', () => {
  const sourced = deals.map((deal, index) => ({ ...deal, source: index < 3 ? 'inbound' : null }));
  // inbound: A, B (won), C (lost); the others have no source: D (won later), E, F (open, 12,000 € weighted), G (USD).
  expect(kpisBy('source', sourced, new Map(), { from: '2026-01-01', to: '2026-03-31', currency: 'EUR' })).toEqual([
    { source: null, won: 0, lost: 0, winRate: null, open: 2, weightedPipeline: 1_200_000, forecast: [{ month: '2026-04', weighted: 1_000_000 }, { month: '2026-05', weighted: 200_000 }] },
    { source: 'inbound', won: 2, lost: 1, winRate: 0.667, open: 0, weightedPipeline: 0, forecast: [] },
  ]);
});

it('converts amounts at the rate in force on their date, either way round, and leaves out those it cannot', () => {
  const rates = [
    { from: 'USD', to: 'EUR', rate: 0.9, date: '2026-01-01' },
    { from: 'USD', to: 'EUR', rate: 0.8, date: '2026-04-01' },
    { from: 'EUR', to: 'JPY', rate: 160, date: '2026-01-01' },
  ];
  expect(convert(rates, 1_000, 'USD', 'EUR', '2026-03-31')).toBe(900); // 10.00 $ → 9.00 €
  expect(convert(rates, 1_000, 'USD', 'EUR', '2026-04-01')).toBe(800);
  expect(convert(rates, 1_000, 'USD', 'EUR', '2025-12-31')).toBeNull(); // before any rate
  expect(convert(rates, 900, 'EUR', 'USD', '2026-02-01')).toBe(1_000); // the inverse
  expect(convert(rates, 1_000, 'EUR', 'JPY', '2026-02-01')).toBe(1_600); // 10.00 € → 1,600 ¥ (no minor unit)
  expect(convert(rates, 1_600, 'JPY', 'EUR', '2026-02-01')).toBe(1_000);
  expect(convert(rates, 1_000, 'USD', 'JPY', '2026-02-01')).toBeNull(); // no rate between them
  // G: 10,000 $ at 0.8 (its close date 2026-04-01) → 8,000 € in proposal (50 %): pipeline 36,000 €, weighted 16,000 €.
  const kpis = computeKpis(deals, new Map([['A', new Date('2026-01-11T00:00:00Z')]]), { from: '2026-01-01', to: '2026-03-31', currency: 'EUR', exchangeRates: rates });
  expect(kpis).toMatchObject({ open: 3, pipelineValue: 3_600_000, weightedPipeline: 1_600_000, otherCurrencies: 0 });
  expect(kpis.forecast).toEqual([{ month: '2026-04', weighted: 1_400_000 }, { month: '2026-05', weighted: 200_000 }]);
});

it('reads outcomes and probabilities from each deal’s pipeline', () => {
  const rentals: Pipeline = {
    key: 'rentals',
    labels: { en: 'Rentals' },
    stages: [
      { stage: 'viewing', probability: 40, outcome: 'open', rottingDays: 3, requires: [] },
      { stage: 'signed', probability: 100, outcome: 'won', rottingDays: null, requires: [] },
      { stage: 'withdrawn', probability: 0, outcome: 'lost', rottingDays: null, requires: [] },
    ],
  };
  const pipelines = [...DEFAULT_PIPELINES, rentals];
  const mixed: Deal[] = [
    { id: 'R1', pipeline: 'rentals', stage: 'signed', amount: eur(1_000), closeDate: '2026-02-01', createdAt: '2026-01-01T00:00:00Z' },
    { id: 'R2', pipeline: 'rentals', stage: 'viewing', amount: eur(2_000), closeDate: '2026-05-01', createdAt: '2026-01-01T00:00:00Z' },
    // A stage no longer in its pipeline: open, weighted at nothing.
    { id: 'R3', pipeline: 'rentals', stage: 'proposal', amount: eur(4_000), closeDate: '2026-05-01', createdAt: '2026-01-01T00:00:00Z' },
    { id: 'S1', stage: 'lost', amount: eur(3_000), closeDate: '2026-02-01', createdAt: '2026-01-01T00:00:00Z' },
  ];
  const kpis = computeKpis(mixed, new Map(), { from: '2026-01-01', to: '2026-03-31', currency: 'EUR', pipelines });
  // Won: R1; lost: S1; open: R2 (2,000 € × 40 % = 800 €) and R3 (4,000 € × 0).
  expect(kpis).toMatchObject({ won: 1, lost: 1, winRate: 0.5, averageDealSize: 100_000, open: 2, pipelineValue: 600_000, weightedPipeline: 80_000 });
});

it('follows leads of the period to opportunities and wins, overall and per source', () => {
  /*
   * Leads created in Q1 2026: L1 (web → A, won), L2 (web → E, open), L3 (web, not converted),
   * L4 (event → C, lost), L5 (event → X, an opportunity the caller cannot read). L6 was created in April:
   * not counted. 5 leads, 4 to an opportunity (0.8), 1 won: 1/4 = 0.25 of opportunities, 1/5 = 0.2 of leads.
   * Web: 3 leads, 2 opportunities (0.667), 1 won (0.5, 0.333). Event: 2 leads, 2 opportunities, 0 won.
   */
  const leads: Lead[] = [
    { id: 'L1', source: 'web', createdAt: '2026-01-03T10:00:00Z', convertedOpportunity: 'A' },
    { id: 'L2', source: 'web', createdAt: '2026-02-03T10:00:00Z', convertedOpportunity: { id: 'E' } },
    { id: 'L3', source: 'web', createdAt: '2026-03-31T23:00:00Z', convertedOpportunity: null },
    { id: 'L4', source: 'event', createdAt: '2026-01-20T10:00:00Z', convertedOpportunity: 'C' },
    { id: 'L5', source: 'event', createdAt: '2026-01-21T10:00:00Z', convertedOpportunity: 'X' },
    { id: 'L6', source: 'web', createdAt: '2026-04-01T00:00:00Z', convertedOpportunity: 'B' },
  ];
  const period = { from: '2026-01-01', to: '2026-03-31' };
  expect(computeFunnel(leads, deals, period)).toEqual({ leads: 5, opportunities: 4, won: 1, leadToOpportunity: 0.8, opportunityToWon: 0.25, leadToWon: 0.2 });
  expect(funnelBySource(leads, deals, period)).toEqual([
    { source: 'web', leads: 3, opportunities: 2, won: 1, leadToOpportunity: 0.667, opportunityToWon: 0.5, leadToWon: 0.333 },
    { source: 'event', leads: 2, opportunities: 2, won: 0, leadToOpportunity: 1, opportunityToWon: 0, leadToWon: 0 },
  ]);
  expect(computeFunnel([], deals, period)).toMatchObject({ leads: 0, leadToOpportunity: null, leadToWon: null });
});
