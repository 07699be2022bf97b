import type { ObjectDescription } from '@rapport/sdk/server';

type Field = ObjectDescription['fields'][number];
type Text = { en: string; fr?: string };
export type Lang = 'en' | 'fr';

const localize = (text: Text | undefined, lang: Lang) => (text ? (lang === 'fr' && text.fr) || text.en : '');

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first) is
 * prefixed with a quote, so that it shows as the text it is (OWASP "CSV injection").
 */
export function escapeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * One value as a cell: numbers stay numbers (never escaped), money is its decimal amount and code,
 * choices their label, related records their label, lists joined with "; ", text escaped.
 */
export function cell(field: Field, value: unknown, lang: Lang, labelOf: (target: string, record: Record<string, unknown>) => string): string | number | boolean | null {
  if (value === null || value === undefined) return null;
  switch (field.type) {
    case 'number':
    case 'rating':
      return typeof value === 'number' ? value : Number(value);
    case 'boolean':
      return Boolean(value);
    case 'currency': {
      const money = value as { amountMinor: number; currency: string };
      return `${(money.amountMinor / 10 ** minorDigits(money.currency)).toFixed(minorDigits(money.currency))} ${money.currency}`;
    }
    case 'select':
      return escapeFormula(localize(field.options?.find((option) => option.value === value)?.labels, lang) || String(value));
    case 'multiSelect':
      return escapeFormula((value as string[]).map((item) => localize(field.options?.find((option) => option.value === item)?.labels, lang) || item).join('; '));
    case 'address': {
      const address = value as Record<string, string | undefined>;
      return escapeFormula([address.street, address.street2, [address.postalCode, address.city].filter(Boolean).join(' '), address.country].filter(Boolean).join(', '));
    }
    case 'relation': {
      const target = field.relation?.target ?? '';
      const items = Array.isArray(value) ? value.map((item) => (item as { record?: Record<string, unknown> }).record ?? (item as Record<string, unknown>)) : [value];
      return escapeFormula(items.map((item) => (typeof item === 'object' && item ? labelOf(target, item as Record<string, unknown>) : String(item))).join('; '));
    }
    case 'json':
      return escapeFormula(JSON.stringify(value));
    default:
      return escapeFormula(String(value));
  }
}

export const header = (field: Field, lang: Lang) => escapeFormula(localize(field.labels, lang) || field.name);
