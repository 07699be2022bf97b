import { format, isValid, parse, parseISO } from 'date-fns';
import { enGB, fr, type Locale as DateLocale } from 'date-fns/locale';

export type UiLocale = 'en' | 'fr';

/** As the shell formats dates (@rapport/i18n): English the British way, day first. */
export const dateLocales: Record<UiLocale, DateLocale> = { en: enGB, fr };

/** What an empty day field shows: the locale's short pattern in its own words ("jj/mm/aaaa"). */
const placeholders: Record<UiLocale, string> = { en: 'dd/mm/yyyy', fr: 'jj/mm/aaaa' };
export const dayPlaceholder = (locale: UiLocale) => placeholders[locale];

const isoDay = /^\d{4}-\d{2}-\d{2}$/;

/** A stored day (`2026-12-05`) as the locale writes it (`05/12/2026`); anything else as it is. */
export function formatDay(value: string | null | undefined, locale: UiLocale): string {
  if (!value) return '';
  if (!isoDay.test(value)) return value;
  const day = parseISO(value);
  return isValid(day) ? format(day, 'P', { locale: dateLocales[locale] }) : value;
}

/**
 * What was typed, as a stored day: `null` for nothing, the ISO day, or `undefined` for text that is no
 * day of the calendar. Takes the locale's order with any of `/ . -` or spaces between its parts, a year
 * of two or four digits, and an ISO day whatever the locale (pasted from elsewhere).
 */
export function parseDay(text: string, locale: UiLocale, today = new Date()): string | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (isoDay.test(trimmed)) return isValid(parseISO(trimmed)) ? trimmed : undefined;
  const parts = trimmed.split(/\s*[/.\-\s]\s*/);
  if (parts.length !== 3 || !parts.every((part) => /^\d+$/.test(part))) return undefined;
  const yearDigits = parts[2]!.length;
  if (yearDigits !== 2 && yearDigits !== 4) return undefined;
  const dateLocale = dateLocales[locale];
  // The locale's short pattern (dd/MM/y); a two-digit year is taken as the nearest one to today.
  const pattern = dateLocale.formatLong!.date({ width: 'short' }).replace(/y+/, yearDigits === 2 ? 'yy' : 'yyyy');
  const day = parse(parts.join('/'), pattern, today, { locale: dateLocale });
  return isValid(day) ? format(day, 'yyyy-MM-dd') : undefined;
}
