import { describe, expect, it } from 'vitest';
import { formatDay, parseDay } from '../src/dates/day-text';

describe('a day as typed and shown', () => {
  it('shows a stored day in the locale’s order, and text that is not one as it is', () => {
    expect(formatDay('2026-12-05', 'fr')).toBe('05/12/2026');
    expect(formatDay('2026-12-05', 'en')).toBe('05/12/2026');
    expect(formatDay(null, 'fr')).toBe('');
    expect(formatDay('demain', 'fr')).toBe('demain');
  });

  it('reads the locale’s order with any usual separator, and an ISO day', () => {
    for (const text of ['05/12/2026', '5/12/2026', '5.12.2026', '5-12-2026', ' 05 / 12 / 2026 ', '2026-12-05']) expect(parseDay(text, 'fr'), text).toBe('2026-12-05');
    expect(parseDay('29/02/2028', 'en')).toBe('2028-02-29');
  });

  it('takes a two-digit year as the nearest to today', () => {
    const today = new Date(2026, 11, 5);
    expect(parseDay('05/12/26', 'fr', today)).toBe('2026-12-05');
    expect(parseDay('01/01/70', 'fr', today)).toBe('2070-01-01');
    expect(parseDay('01/01/77', 'fr', today)).toBe('1977-01-01');
  });

  it('answers nothing for an empty field, and undefined for what is no day of the calendar', () => {
    expect(parseDay('  ', 'fr')).toBeNull();
    for (const text of ['31/02/2026', '12/31/2026', '2026-02-30', '5/12', '5/12/202', '05/12/2026 10:00', 'tomorrow', '1/1/2026x']) expect(parseDay(text, 'en'), text).toBeUndefined();
  });
});
