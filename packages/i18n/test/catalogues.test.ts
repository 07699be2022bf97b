import { describe, expect, it } from 'vitest';
import { en, formatters, fr, localize, pickLocale, translator } from '../src/index';

const params = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('catalogues', () => {
  it('French has every English key, with the same parameters, and no untranslated copy of a sentence', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(params(fr[key]), key).toEqual(params(en[key]));
      if (en[key].split(' ').length > 3) expect(fr[key], key).not.toBe(en[key]);
    }
  });

  it('translates with parameters', () => {
    expect(translator('fr')('list.selected', { count: 3 })).toBe('3 sélectionnées');
    expect(translator('en')('search.empty', { query: 'acme' })).toBe('No match for “acme”.');
  });

  it('localizes server texts with English as the fallback, and picks a supported locale', () => {
    expect(localize({ en: 'Company', fr: 'Entreprise' }, 'fr')).toBe('Entreprise');
    expect(localize({ en: 'Company' }, 'fr')).toBe('Company');
    expect(pickLocale(undefined, 'fr-CA', 'en')).toBe('fr');
    expect(pickLocale('de-DE')).toBe('en');
  });
});

describe('formatters', () => {
  it('formats money from minor units per currency and locale', () => {
    expect(formatters('en').money({ amountMinor: 123456, currency: 'EUR' })).toBe('€1,234.56');
    expect(formatters('fr').money({ amountMinor: 123456, currency: 'EUR' }).replace(/\s/g, ' ')).toBe('1 234,56 €');
    expect(formatters('en').money({ amountMinor: 500, currency: 'JPY' })).toBe('JP¥500');
  });

  it('formats dates and relative times for the locale', () => {
    expect(formatters('fr').date('2026-03-05')).toBe('5 mars 2026');
    expect(formatters('en').date('2026-03-05')).toBe('5 Mar 2026');
    const now = new Date('2026-01-01T12:00:00Z');
    expect(formatters('fr').relative('2026-01-01T11:57:00Z', now)).toBe('il y a 3 minutes');
  });
});
