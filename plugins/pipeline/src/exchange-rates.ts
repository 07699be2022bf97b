import type { ExchangeRate } from './settings-schema';

export type { ExchangeRate };
/** Digits after the point of a currency's minor unit (2 for EUR, 0 for JPY). */
export function minorDigits(code: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount in minor units of `from` as minor units of `to`, at the rate in force on `date` (the
 * latest dated on or before it; the inverse of a `to`→`from` rate will do); null when there is none.
 */
export function convert(rates: readonly ExchangeRate[], amountMinor: number, from: string, to: string, date: string): number | null {
  if (from === to) return amountMinor;
  let best: { date: string; factor: number } | null = null;
  for (const rate of rates) {
    if (rate.date > date) continue;
    const factor = rate.from === from && rate.to === to ? rate.rate : rate.from === to && rate.to === from ? 1 / rate.rate : null;
    // A direct rate wins over an inverse one of the same day.
    if (factor !== null && (!best || rate.date > best.date || (rate.date === best.date && rate.from === from))) best = { date: rate.date, factor };
  }
  if (!best) return null;
  return Math.round((amountMinor / 10 ** minorDigits(from)) * best.factor * 10 ** minorDigits(to));
}

/**
 * A column's total: amounts in `currency` (converted at the rate of each deal's close date, today's
 * for a deal without one), and, apart, those in a currency with no rate to it.
 */
export function totalIn(rates: readonly ExchangeRate[], deals: { amount?: { amountMinor: number; currency: string } | null; closeDate?: string | null }[], currency: string, today = new Date().toISOString().slice(0, 10)): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const deal of deals) {
    if (!deal.amount) continue;
    const converted = convert(rates, deal.amount.amountMinor, deal.amount.currency, currency, deal.closeDate ?? today);
    const [into, value] = converted === null ? [deal.amount.currency, deal.amount.amountMinor] : [currency, converted];
    sums[into] = (sums[into] ?? 0) + value;
  }
  return sums;
}
