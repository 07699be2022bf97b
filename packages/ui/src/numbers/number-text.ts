import { localeTags, type UiLocale } from '../dates/day-text';

const editing = new Map<UiLocale, Intl.NumberFormat>();

/** A number as it is edited in the locale: its decimal mark, no grouping (`12,5` in French). */
export function formatNumber(value: number | null | undefined, locale: UiLocale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  let format = editing.get(locale);
  if (!format) editing.set(locale, (format = new Intl.NumberFormat(localeTags[locale], { useGrouping: false, maximumFractionDigits: 20 })));
  return format.format(value);
}

/**
 * What was typed, as a number: `null` for nothing, `undefined` for text that is no number. Takes either
 * decimal mark whatever the locale (`12,5` and `12.5`), and spaces or the other mark between groups of
 * three digits (`1 234,5`, `1,234.5`, `1.234,5`). A browser's number input would drop the comma and
 * keep 125.
 */
export function parseNumber(text: string, locale: UiLocale): number | null | undefined {
  let compact = text.replace(/[\s\u00a0\u202f']/g, '');
  if (compact === '') return null;
  const sign = /^[+-]/.test(compact) ? compact[0] : '';
  compact = compact.slice(sign.length);
  const commas = compact.split(',').length - 1;
  const dots = compact.split('.').length - 1;
  const grouped = (mark: string) => new RegExp(`^\\d{1,3}(\\${mark}\\d{3})+$`).test(compact);
  let plain: string;
  if (commas > 0 && dots > 0) {
    // Both marks: the last one is the decimal mark, the other groups thousands.
    const decimal = compact.lastIndexOf(',') > compact.lastIndexOf('.') ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const [whole, fraction, ...rest] = compact.split(decimal);
    if (rest.length > 0 || !new RegExp(`^\\d{1,3}(\\${group}\\d{3})*$`).test(whole!)) return undefined;
    plain = `${whole!.split(group).join('')}.${fraction}`;
  } else if (commas > 0) {
    // `1,234` is a thousand and more in English; a single comma is otherwise a decimal mark.
    plain = (commas > 1 || locale === 'en') && grouped(',') ? compact.replaceAll(',', '') : commas === 1 ? compact.replace(',', '.') : compact;
  } else if (dots > 1) {
    plain = grouped('.') ? compact.replaceAll('.', '') : compact;
  } else {
    plain = compact;
  }
  if (!/^(\d+\.?\d*|\.\d+)$/.test(plain)) return undefined;
  return Number(`${sign}${plain}`);
}
