import type { Locale } from './translate';

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface Formatters {
  date(value: string | Date): string;
  dateTime(value: string | Date): string;
  number(value: number): string;
  money(value: Money): string;
  /** "3 minutes ago", "il y a 3 minutes" */
  relative(value: string | Date, now?: Date): string;
}

const tags: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Locale-aware formatting: dates, numbers and money (stored in minor units) as a reader of that language expects. */
export function formatters(locale: Locale): Formatters {
  const tag = tags[locale];
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(tag);
  const relative = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' });
  const toDate = (value: string | Date) => (value instanceof Date ? value : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value));
  return {
    date: (value) => date.format(toDate(value)),
    dateTime: (value) => dateTime.format(toDate(value)),
    number: (value) => number.format(value),
    money: ({ amountMinor, currency }) => {
      const digits = minorDigits(currency);
      try {
        return new Intl.NumberFormat(tag, { style: 'currency', currency }).format(amountMinor / 10 ** digits);
      } catch {
        return `${number.format(amountMinor / 100)} ${currency}`;
      }
    },
    relative: (value, now = new Date()) => {
      const seconds = Math.round((toDate(value).getTime() - now.getTime()) / 1000);
      const steps: [Intl.RelativeTimeFormatUnit, number][] = [['year', 31_536_000], ['month', 2_592_000], ['week', 604_800], ['day', 86_400], ['hour', 3_600], ['minute', 60]];
      for (const [unit, size] of steps) if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
      return relative.format(seconds, 'second');
    },
  };
}
