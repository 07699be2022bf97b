import { formatters, localize, pickLocale, translator, type Formatters, type Locale, type Translate } from '@rapport/i18n';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  format: Formatters;
  /** A server or plugin text `{ en, fr? }` in the reader's language. */
  l: (text: { en: string; fr?: string } | null | undefined) => string;
}

const STORAGE_KEY = 'rapport.locale';
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocale] = useState<Locale>(() => pickLocale(localStorage.getItem(STORAGE_KEY), navigator.language));
  useEffect(() => {
    document.documentElement.lang = locale;
    localStorage.setItem(STORAGE_KEY, locale);
  }, [locale]);
  const value = useMemo<I18n>(() => ({ locale, setLocale, t: translator(locale), format: formatters(locale), l: (text) => localize(text, locale) }), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
