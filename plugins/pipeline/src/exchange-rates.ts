import { z } from 'zod';

const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** A rate typed by an admin: on and after `date`, 1 `from` is worth `rate` `to` (until a later rate). */
export const exchangeRateSchema = z
  .strictObject({
    from: currency,
    to: currency,
    rate: z.number().positive().max(1e9),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-01-31'),
  })
  .refine((rate) => rate.from !== rate.to, { path: ['to'], message: 'must differ from "from"' });

export type ExchangeRate = z.output<typeof exchangeRateSchema>;

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
