export type UiLocale = 'en' | 'fr';

/**
 * As the shell formats dates (@rapport/i18n): English the British way, day first. Plain Intl and no
 * date library here: every page loads this, and only the calendar (loaded on first use) needs one.
 */
export const localeTags: Record<UiLocale, string> = { en: 'en-GB', fr: 'fr-FR' };

/** What an empty day field shows: the locale's short pattern in its own words ("jj/mm/aaaa"). */
const placeholders: Record<UiLocale, string> = { en: 'dd/mm/yyyy', fr: 'jj/mm/aaaa' };
export const dayPlaceholder = (locale: UiLocale) => placeholders[locale];

type Part = 'day' | 'month' | 'year';
const shapes = new Map<UiLocale, { order: Part[]; separator: string }>();

/** The order of day, month and year in the locale's short date, and what it writes between them. */
function shapeOf(locale: UiLocale) {
  let shape = shapes.get(locale);
  if (!shape) {
    const parts = new Intl.DateTimeFormat(localeTags[locale], { day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(new Date(2026, 11, 5));
    shape = { order: parts.filter((part) => part.type === 'day' || part.type === 'month' || part.type === 'year').map((part) => part.type as Part), separator: parts.find((part) => part.type === 'literal')?.value ?? '/' };
    shapes.set(locale, shape);
  }
  return shape;
}

const isoDay = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Whether a value is a stored day (`2026-12-05`), as `DateInput` gives once what was typed is one. */
export const isIsoDay = (value: string) => isoDay.test(value);
const two = (n: number) => String(n).padStart(2, '0');

/** The ISO day of a year, month and day, or `undefined` if the calendar has no such day. */
function dayOf(year: number, month: number, day: number): string | undefined {
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
}

/** A stored day (`2026-12-05`) as the locale writes it (`05/12/2026`); anything else as it is. */
export function formatDay(value: string | null | undefined, locale: UiLocale): string {
  if (!value) return '';
  const match = isoDay.exec(value);
  if (!match || !dayOf(Number(match[1]), Number(match[2]), Number(match[3]))) return value;
  const { order, separator } = shapeOf(locale);
  const parts = { year: match[1]!, month: match[2]!, day: match[3]! };
  return order.map((part) => parts[part]).join(separator);
}

/**
 * What was typed, as a stored day: `null` for nothing, the ISO day, or `undefined` for text that is no
 * day of the calendar. Takes the locale's order with any of `/ . -` or spaces between its parts, a year
 * of two or four digits (two: the nearest such year to today), and an ISO day whatever the locale.
 */
export function parseDay(text: string, locale: UiLocale, today = new Date()): string | null | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const iso = isoDay.exec(trimmed);
  if (iso) return dayOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const numbers = trimmed.split(/\s*[/.\-\s]\s*/);
  if (numbers.length !== 3 || !numbers.every((part) => /^\d{1,4}$/.test(part))) return undefined;
  const { order } = shapeOf(locale);
  const typed = Object.fromEntries(order.map((part, index) => [part, numbers[index]!])) as Record<Part, string>;
  if (typed.day.length > 2 || typed.month.length > 2 || (typed.year.length !== 2 && typed.year.length !== 4)) return undefined;
  let year = Number(typed.year);
  if (typed.year.length === 2) {
    const century = Math.floor(today.getFullYear() / 100) * 100;
    year = [century - 100, century, century + 100].map((start) => start + year).reduce((best, candidate) => (Math.abs(candidate - today.getFullYear()) < Math.abs(best - today.getFullYear()) ? candidate : best));
  }
  return dayOf(year, Number(typed.month), Number(typed.day));
}
