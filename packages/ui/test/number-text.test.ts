import { describe, expect, it } from 'vitest';
import { formatNumber, parseNumber } from '../src/numbers/number-text';

describe('a number as typed and edited', () => {
  it('takes a comma or a point as the decimal mark, in either language', () => {
    for (const locale of ['en', 'fr'] as const) {
      expect(parseNumber('12,5', locale)).toBe(12.5);
      expect(parseNumber('12.5', locale)).toBe(12.5);
      expect(parseNumber('-0,75', locale)).toBe(-0.75);
      expect(parseNumber('1,08', locale)).toBe(1.08);
      expect(parseNumber('42', locale)).toBe(42);
      expect(parseNumber(',5', locale)).toBe(0.5);
    }
  });

  it('reads thousands grouped by spaces, or by the other mark', () => {
    expect(parseNumber('1 234,5', 'fr')).toBe(1234.5);
    expect(parseNumber('1\u202f234\u202f567', 'fr')).toBe(1234567);
    expect(parseNumber('1.234,5', 'fr')).toBe(1234.5);
    expect(parseNumber('1,234.5', 'en')).toBe(1234.5);
    expect(parseNumber('1,234,567', 'en')).toBe(1234567);
    expect(parseNumber('1.234.567', 'fr')).toBe(1234567);
    // A single comma before three digits: a thousand in English, a decimal in French.
    expect(parseNumber('1,234', 'en')).toBe(1234);
    expect(parseNumber('1,234', 'fr')).toBe(1.234);
  });

  it('answers null for nothing, and undefined for what is no number', () => {
    expect(parseNumber('  ', 'fr')).toBeNull();
    for (const text of ['12,5,3', '1.2.3', 'abc', '12e3', '1,23.4', '--1', '.', '1 2,3.4,5']) expect(parseNumber(text, 'fr'), text).toBeUndefined();
  });

  it('writes a number to edit in the locale, without grouping', () => {
    expect(formatNumber(1234.5, 'fr')).toBe('1234,5');
    expect(formatNumber(1234.5, 'en')).toBe('1234.5');
    expect(formatNumber(0.1 + 0.2, 'en')).toBe('0.30000000000000004');
    expect(formatNumber(null, 'fr')).toBe('');
    // Typing on: the decimal mark without its digits yet is the whole number.
    expect(parseNumber('12,', 'fr')).toBe(12);
  });
});
