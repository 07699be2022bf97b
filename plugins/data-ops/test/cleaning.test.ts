import { describe, expect, it } from 'vitest';
import { CLEANING_RULES, type CleaningOptions, type CleaningRule, cleanValue, countryCode } from '../src/import/cleaning';

type Field = Parameters<typeof cleanValue>[0];

const field = (type: string, name = 'value', extra: Partial<Field> = {}): Field => ({ name, type, labels: { en: name }, ...extra });
const options = (overrides: Partial<CleaningOptions> = {}): CleaningOptions => ({ rules: {}, defaultCountry: 'FR', dateFormat: 'dmy', currency: 'EUR', ...overrides });
const without = (rule: CleaningRule, overrides: Partial<CleaningOptions> = {}) => options({ ...overrides, rules: { [rule]: false } });
/** The cleaned value, or the error's code when the cell was refused. */
const clean = (type: string, raw: string, opts = options(), context?: { part?: string; country?: string }, name?: string) => {
  const cleaned = cleanValue(field(type, name), raw, opts, context);
  return cleaned.ok ? cleaned.value : cleaned.code;
};

it('lists every rule, in order', () => {
  expect(CLEANING_RULES).toEqual(['trim', 'nameCase', 'emailLowerCase', 'phoneE164', 'dates', 'postalCodes', 'booleans']);
});

it('makes blank cells null, whatever the field and rules', () => {
  for (const type of ['text', 'email', 'phone', 'number', 'currency', 'date', 'boolean', 'select', 'multiSelect']) {
    expect(clean(type, ' \u00a0\t ')).toBeNull();
    expect(clean(type, '  ', without('trim'))).toBeNull();
  }
});

describe('trim', () => {
  it('trims and collapses spaces, tabs and no-break spaces', () => {
    expect(clean('text', '  Acme\u00a0\u202f Corp\t\tParis  ')).toBe('Acme Corp Paris');
    expect(clean('longText', 'line one\n  line two')).toBe('line one line two');
  });

  it('keeps the text as written when off', () => {
    expect(clean('text', '  Acme\u00a0 Corp ', without('trim'))).toBe('  Acme\u00a0 Corp ');
  });

  it('gives relations their name trimmed and unchanged otherwise', () => {
    expect(clean('relation', '  ACME  sas ')).toBe('ACME sas');
  });
});

describe('nameCase', () => {
  const name = (raw: string, fieldName = 'lastName', opts = options()) => clean('text', raw, opts, undefined, fieldName);

  it('capitalises names typed all in capitals or all in lower case', () => {
    expect(name('JEAN-PIERRE', 'firstName')).toBe('Jean-Pierre');
    expect(name('dupont')).toBe('Dupont');
    expect(name("o'neil")).toBe("O'Neil");
    expect(name('  MARIE   claire ', 'fullName')).toBe('Marie Claire');
    expect(name('DUPONT Jean', 'fullName')).toBe('Dupont Jean');
  });

  it('keeps particles lower case inside a name, and articles only after a particle', () => {
    expect(name('jean de la fontaine', 'fullName')).toBe('Jean de la Fontaine');
    expect(name('de la fontaine')).toBe('De la Fontaine');
    expect(name('LUDWIG VAN BEETHOVEN', 'fullName')).toBe('Ludwig van Beethoven');
    expect(name("jean d'ormesson", 'fullName')).toBe("Jean d'Ormesson");
    expect(name('MARINE LE PEN', 'fullName')).toBe('Marine Le Pen');
  });

  it('leaves names already in mixed case alone', () => {
    expect(name('McDonald')).toBe('McDonald');
    expect(name('DuPont')).toBe('DuPont');
    expect(name('ronald McDONALD', 'fullName')).toBe('Ronald McDONALD');
  });

  it('does not touch company names', () => {
    expect(name('ACME SAS', 'name')).toBe('ACME SAS');
    expect(name('ACME SAS', 'companyName')).toBe('ACME SAS');
  });

  it('is off when switched off', () => {
    expect(name('JEAN-PIERRE', 'firstName', without('nameCase'))).toBe('JEAN-PIERRE');
  });
});

describe('emailLowerCase', () => {
  it('lower-cases emails and strips mailto: and display names', () => {
    expect(clean('email', ' Jean.Dupont@Acme.FR ')).toBe('jean.dupont@acme.fr');
    expect(clean('email', 'mailto:Jean@Acme.fr?subject=Hi')).toBe('jean@acme.fr');
    expect(clean('email', 'Jean Dupont <jean@acme.fr>')).toBe('jean@acme.fr');
  });

  it('keeps the case when off but still checks the syntax', () => {
    expect(clean('email', 'Jean@Acme.fr', without('emailLowerCase'))).toBe('Jean@Acme.fr');
    expect(clean('email', 'jean@@x', without('emailLowerCase'))).toBe('invalid_email');
  });

  it('refuses a malformed address with a message quoting it', () => {
    expect(cleanValue(field('email'), 'jean@@x', options())).toEqual({ ok: false, code: 'invalid_email', message: '"jean@@x" is not a valid email address' });
    expect(clean('email', 'jean dupont@acme.fr')).toBe('invalid_email');
  });
});

describe('phoneE164', () => {
  it('reads the usual French spellings as E.164', () => {
    for (const phone of ['06 12 34 56 78', '06.12.34.56.78', '+33 6 12 34 56 78', '0033612345678', '(0)6-12-34-56-78', '+33 (0)6 12 34 56 78', '612345678']) {
      expect(clean('phone', phone)).toBe('+33612345678');
    }
  });

  it("uses the row's country before the default one", () => {
    expect(clean('phone', '02 511 11 11', options(), { country: 'Belgique' })).toBe('+3225111111');
    expect(clean('phone', '020 7946 0958', options(), { country: 'GB' })).toBe('+442079460958');
    expect(clean('phone', '020 7946 0958', options({ defaultCountry: 'GB' }))).toBe('+442079460958');
  });

  it('refuses numbers that cannot be phones', () => {
    expect(clean('phone', '12')).toBe('invalid_phone');
    expect(clean('phone', 'call me')).toBe('invalid_phone');
    expect(clean('phone', '020 7946 0958')).toBe('invalid_phone');
  });

  it('passes the number through trimmed when off', () => {
    expect(clean('phone', ' 06 12 34 56 78 ', without('phoneE164'))).toBe('06 12 34 56 78');
  });
});

describe('dates', () => {
  it('reads day-first dates with any separator and two-digit years', () => {
    expect(clean('date', '03/04/2026')).toBe('2026-04-03');
    expect(clean('date', '03-04-2026')).toBe('2026-04-03');
    expect(clean('date', '03.04.2026')).toBe('2026-04-03');
    expect(clean('date', '3/4/26')).toBe('2026-04-03');
    expect(clean('date', '1/3/69')).toBe('2069-03-01');
    expect(clean('date', '1/3/70')).toBe('1970-03-01');
    expect(clean('date', '29/02/2024')).toBe('2024-02-29');
  });

  it("follows the file's order for ambiguous dates", () => {
    expect(clean('date', '03/04/2026', options({ dateFormat: 'mdy' }))).toBe('2026-03-04');
    expect(clean('date', '26/04/03', options({ dateFormat: 'ymd' }))).toBe('2026-04-03');
    expect(clean('date', '2026/04/03', options({ dateFormat: 'mdy' }))).toBe('2026-04-03');
  });

  it('reads ISO dates, keeping only the day of an ISO date and time', () => {
    expect(clean('date', '2026-03-01')).toBe('2026-03-01');
    expect(clean('date', '2026-03-01T23:30:00-05:00')).toBe('2026-03-01');
    expect(clean('date', '01/03/2026 09:30')).toBe('2026-03-01');
  });

  it('reads Excel serial numbers', () => {
    expect(clean('date', '45352')).toBe('2024-03-01');
    expect(clean('date', '20000')).toBe('1954-10-03');
    expect(clean('date', '19999')).toBe('invalid_date');
    expect(clean('date', '80001')).toBe('invalid_date');
  });

  it('refuses impossible dates, naming the expected format', () => {
    expect(cleanValue(field('date'), '31/02/2026', options())).toEqual({ ok: false, code: 'invalid_date', message: '"31/02/2026" is not a date (expected dd/mm/yyyy)' });
    expect(cleanValue(field('date'), '13/31/2026', options({ dateFormat: 'mdy' }))).toEqual({ ok: false, code: 'invalid_date', message: '"13/31/2026" is not a date (expected mm/dd/yyyy)' });
    expect(clean('date', '29/02/2026')).toBe('invalid_date');
    expect(clean('date', '01/03/226')).toBe('invalid_date');
    expect(clean('date', 'tomorrow')).toBe('invalid_date');
  });

  it('reads datetimes without an offset in the import time zone', () => {
    const paris = options({ timeZone: 'Europe/Paris' });
    expect(clean('datetime', '01/03/2026 09:30', paris)).toBe('2026-03-01T08:30:00.000Z');
    expect(clean('datetime', '01/07/2026 09:30:15', paris)).toBe('2026-07-01T07:30:15.000Z');
    expect(clean('datetime', '03/01/2026 9:30 PM', options({ timeZone: 'America/New_York', dateFormat: 'mdy' }))).toBe('2026-03-02T02:30:00.000Z');
    expect(clean('datetime', '2026-03-01', paris)).toBe('2026-02-28T23:00:00.000Z');
    expect(clean('datetime', '45352.5', paris)).toBe('2024-03-01T11:00:00.000Z');
  });

  it('follows daylight saving time on the day it changes', () => {
    const paris = options({ timeZone: 'Europe/Paris' });
    expect(clean('datetime', '29/03/2026 01:30', paris)).toBe('2026-03-29T00:30:00.000Z');
    expect(clean('datetime', '29/03/2026 03:30', paris)).toBe('2026-03-29T01:30:00.000Z');
    expect(clean('datetime', '25/10/2026 04:00', paris)).toBe('2026-10-25T03:00:00.000Z');
  });

  it('refuses a time zone that does not exist', () => {
    expect(clean('datetime', '01/03/2026 09:30', options({ timeZone: 'Mars/Olympus' }))).toBe('invalid_time_zone');
  });

  it('reads datetimes in UTC when no time zone is given', () => {
    expect(clean('datetime', '01/03/2026 09:30')).toBe('2026-03-01T09:30:00.000Z');
  });

  it('keeps the offset a datetime gives', () => {
    expect(clean('datetime', '2026-03-01T09:30:00+02:00', options({ timeZone: 'Europe/Paris' }))).toBe('2026-03-01T07:30:00.000Z');
    expect(clean('datetime', '2026-03-01T09:30:00.250Z', options({ timeZone: 'Europe/Paris' }))).toBe('2026-03-01T09:30:00.250Z');
  });

  it('refuses impossible datetimes', () => {
    expect(clean('datetime', '01/03/2026 25:00')).toBe('invalid_datetime');
    expect(clean('datetime', '31/04/2026 10:00')).toBe('invalid_datetime');
  });

  it('accepts only ISO when off', () => {
    const off = without('dates', { timeZone: 'Europe/Paris' });
    expect(clean('date', '2026-03-01', off)).toBe('2026-03-01');
    expect(clean('datetime', '2026-03-01T09:30:00', off)).toBe('2026-03-01T08:30:00.000Z');
    expect(cleanValue(field('date'), '01/03/2026', off)).toEqual({ ok: false, code: 'invalid_date', message: '"01/03/2026" is not a date (expected yyyy-mm-dd)' });
    expect(clean('date', '45352', off)).toBe('invalid_date');
  });
});

describe('postalCodes', () => {
  const postalCode = (raw: string, opts = options(), country?: string) => clean('address', raw, opts, { part: 'postalCode', country });

  it('puts back the zero Excel drops from French codes', () => {
    expect(postalCode('7500')).toBe('07500');
    expect(postalCode('75 001')).toBe('75001');
  });

  it('validates for the row country and upper-cases', () => {
    expect(postalCode('sw1a 1aa', options(), 'United Kingdom')).toBe('SW1A 1AA');
    expect(postalCode('1000', options(), 'BE')).toBe('1000');
    expect(postalCode('sw1a 1aa')).toBe('invalid_postal_code');
  });

  it('refuses invalid codes', () => {
    expect(cleanValue(field('address'), '7500X', options(), { part: 'postalCode' })).toEqual({ ok: false, code: 'invalid_postal_code', message: '"7500X" is not a valid postal code for FR' });
    expect(postalCode('750011')).toBe('invalid_postal_code');
  });

  it('passes codes through for countries it cannot check', () => {
    expect(postalCode('ab-12', options(), 'AQ')).toBe('AB-12');
  });

  it('passes codes through when off', () => {
    expect(postalCode('7500', without('postalCodes'))).toBe('7500');
    expect(postalCode('sw1a 1aa', without('postalCodes'))).toBe('sw1a 1aa');
  });

  it('reads countries as ISO codes', () => {
    expect(clean('address', 'Allemagne', options(), { part: 'country' })).toBe('DE');
    expect(clean('address', 'Narnia', options(), { part: 'country' })).toBe('invalid_country');
    expect(clean('address', '  12  rue   de la Paix ', options(), { part: 'street' })).toBe('12 rue de la Paix');
  });
});

describe('booleans', () => {
  it('reads yes and no in English and French', () => {
    for (const yes of ['true', 'YES', 'y', '1', 'Oui', 'o', 'VRAI', 'x', '✓']) expect(clean('boolean', yes)).toBe(true);
    for (const no of ['false', 'No', 'n', '0', 'NON', 'Faux']) expect(clean('boolean', no)).toBe(false);
  });

  it('refuses anything else', () => {
    expect(cleanValue(field('boolean'), 'peut-être', options())).toEqual({ ok: false, code: 'invalid_boolean', message: '"peut-être" is not yes or no (expected yes/no, oui/non, true/false or 1/0)' });
  });

  it('accepts only true and false when off', () => {
    expect(clean('boolean', 'TRUE', without('booleans'))).toBe(true);
    expect(clean('boolean', 'false', without('booleans'))).toBe(false);
    expect(clean('boolean', 'oui', without('booleans'))).toBe('invalid_boolean');
  });
});

describe('numbers and money', () => {
  it('reads French and English numbers', () => {
    expect(clean('number', '1 234,56')).toBe(1234.56);
    expect(clean('number', '1\u202f234,56')).toBe(1234.56);
    expect(clean('number', '1.234.567,8')).toBe(1234567.8);
    expect(clean('number', '1,234.56')).toBe(1234.56);
    expect(clean('number', '1234.56')).toBe(1234.56);
    expect(clean('number', '-12')).toBe(-12);
    expect(clean('number', '12 %')).toBe(12);
    expect(clean('number', '1,234,567')).toBe(1234567);
    expect(clean('number', '1,5E+3')).toBe(1500);
  });

  it('reads a single comma before three digits as a decimal comma', () => {
    expect(clean('number', '1,234')).toBe(1.234);
  });

  it('refuses what is not a number', () => {
    expect(cleanValue(field('number'), '12abc', options())).toEqual({ ok: false, code: 'invalid_number', message: '"12abc" is not a number' });
    expect(clean('number', '1.2.3')).toBe('invalid_number');
    expect(clean('number', '1,23,4.5')).toBe('invalid_number');
  });

  it('reads amounts in their currency minor units', () => {
    expect(clean('currency', '1 234,56 €')).toEqual({ amountMinor: 123456, currency: 'EUR' });
    expect(clean('currency', '€1,234.56')).toEqual({ amountMinor: 123456, currency: 'EUR' });
    expect(clean('currency', 'EUR 1234.56')).toEqual({ amountMinor: 123456, currency: 'EUR' });
    expect(clean('currency', '1234.56 USD')).toEqual({ amountMinor: 123456, currency: 'USD' });
    expect(clean('currency', '$12')).toEqual({ amountMinor: 1200, currency: 'USD' });
    expect(clean('currency', '£3.5')).toEqual({ amountMinor: 350, currency: 'GBP' });
    expect(clean('currency', '500 ¥')).toEqual({ amountMinor: 500, currency: 'JPY' });
    expect(clean('currency', 'CHF 10')).toEqual({ amountMinor: 1000, currency: 'CHF' });
    expect(clean('currency', '1 500 euros')).toEqual({ amountMinor: 150000, currency: 'EUR' });
  });

  it('uses the default currency and rounds extra decimals', () => {
    expect(clean('currency', '-12,5', options({ currency: 'USD' }))).toEqual({ amountMinor: -1250, currency: 'USD' });
    expect(clean('currency', '1,0050')).toEqual({ amountMinor: 101, currency: 'EUR' });
  });

  it('reads a single separator before three digits in an amount as thousands', () => {
    expect(clean('currency', '1,500 €')).toEqual({ amountMinor: 150000, currency: 'EUR' });
    expect(clean('currency', '1.500 €')).toEqual({ amountMinor: 150000, currency: 'EUR' });
  });

  it('refuses unknown currencies and bad amounts', () => {
    expect(clean('currency', '12 XYZ')).toBe('invalid_currency');
    expect(clean('currency', '12 € USD')).toBe('invalid_currency');
    expect(clean('currency', '€ 1.2.3')).toBe('invalid_amount');
  });
});

describe('choices', () => {
  const status = field('select', 'status', {
    options: [
      { value: 'granted', labels: { en: 'Granted', fr: 'Accordé' } },
      { value: 'refused', labels: { en: 'Refused', fr: 'Refusé' } },
      { value: 'in_review', labels: { en: 'In review', fr: 'En cours d’examen' } },
    ],
  });

  it('matches a choice by value or label in either language, loosely', () => {
    for (const raw of ['Accordé', 'accorde', 'GRANTED', 'granted', ' ACCORDÉ ']) expect(cleanValue(status, raw, options())).toEqual({ ok: true, value: 'granted' });
    for (const raw of ['in review', 'In-Review', 'in_review', 'EN COURS D’EXAMEN']) expect(cleanValue(status, raw, options())).toEqual({ ok: true, value: 'in_review' });
  });

  it('refuses an unknown choice, listing the allowed ones', () => {
    expect(cleanValue(status, 'Maybe', options())).toEqual({ ok: false, code: 'invalid_option', message: '"Maybe" is not one of: Granted, Refused, In review' });
  });

  it('lists at most ten choices in the message', () => {
    const many = field('select', 'many', { options: Array.from({ length: 12 }, (_, at) => ({ value: `v${at}`, labels: { en: `L${at}` } })) });
    expect(cleanValue(many, 'nope', options())).toEqual({ ok: false, code: 'invalid_option', message: '"nope" is not one of: L0, L1, L2, L3, L4, L5, L6, L7, L8, L9, …' });
  });

  it('splits multiple choices, removing duplicates', () => {
    const multi = { ...status, type: 'multiSelect' };
    expect(cleanValue(multi, 'Accordé; refused | GRANTED\nin review,', options())).toEqual({ ok: true, value: ['granted', 'refused', 'in_review'] });
    expect(cleanValue(multi, 'granted, maybe', options())).toEqual({ ok: false, code: 'invalid_option', message: '"maybe" is not one of: Granted, Refused, In review' });
    expect(cleanValue(multi, ' ; , ', options())).toEqual({ ok: true, value: null });
  });

  it('keeps a choice whose label has a comma whole', () => {
    const later = field('multiSelect', 'answer', { options: [{ value: 'later', labels: { en: 'Yes, later' } }, { value: 'yes', labels: { en: 'Yes' } }] });
    expect(cleanValue(later, 'Yes, later', options())).toEqual({ ok: true, value: ['later'] });
  });
});

it('adds https:// to links without a scheme', () => {
  expect(clean('url', ' www.acme.fr ')).toBe('https://www.acme.fr');
  expect(clean('url', 'http://acme.fr')).toBe('http://acme.fr');
});

it('reads countries in English, French, German and as codes', () => {
  const read = ['France', 'FR', 'fr', 'Belgique', 'Deutschland', 'Allemagne', 'Germany', 'Royaume-Uni', 'UK', 'États-Unis', 'etats unis', 'Narnia', ''].map(countryCode);
  expect(read).toEqual(['FR', 'FR', 'FR', 'BE', 'DE', 'DE', 'DE', 'GB', 'GB', 'US', 'US', null, null]);
});
