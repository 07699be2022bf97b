import { en, type MessageKey } from './catalogues/en';
import { fr } from './catalogues/fr';

export type Locale = 'en' | 'fr';
export const LOCALES: readonly Locale[] = ['en', 'fr'];
const catalogues: Record<Locale, Record<MessageKey, string>> = { en, fr };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** `t('list.new', { object: 'company' })`; a parameter the message lacks is ignored, a missing one left as `{name}`. */
export function translator(locale: Locale): Translate {
  const catalogue = catalogues[locale];
  return (key, params) => {
    const message = catalogue[key] ?? en[key] ?? key;
    if (!params) return message;
    return message.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  };
}

/** A text the server or a plugin gives in several languages (`{ en, fr? }`), in the reader's; English is the fallback. */
export function localize(text: { en: string; fr?: string } | null | undefined, locale: Locale): string {
  if (!text) return '';
  return (locale === 'fr' ? text.fr : undefined) || text.en;
}

/** The locale to start with: the user's, else the browser's first supported language, else English. */
export function pickLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const language = candidate?.slice(0, 2).toLowerCase();
    if (language === 'en' || language === 'fr') return language;
  }
  return 'en';
}
