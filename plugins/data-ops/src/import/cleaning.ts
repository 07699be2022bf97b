import type { ObjectDescription } from '@rapport/sdk/server';
import { isExists } from 'date-fns';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { postcodeValidator, postcodeValidatorExistsForCountry } from 'postcode-validator';
import isEmail from 'validator/lib/isEmail.js';

type Field = ObjectDescription['fields'][number];
type Option = NonNullable<Field['options']>[number];

/**
 * The import's value cleaning: one raw cell (from a French or English spreadsheet) becomes the
 * value the API expects for one field, or a coded error. It runs once per cell of files of 100k+
 * rows, so everything costly to build (Intl objects, regexes, option lookups) is built once.
 */

export type CleaningRule = 'trim' | 'nameCase' | 'emailLowerCase' | 'phoneE164' | 'dates' | 'postalCodes' | 'booleans';
export const CLEANING_RULES: readonly CleaningRule[] = ['trim', 'nameCase', 'emailLowerCase', 'phoneE164', 'dates', 'postalCodes', 'booleans'];

export interface CleaningOptions {
  /** A rule absent is on; false turns it off. */
  rules: Partial<Record<CleaningRule, boolean>>;
  /** ISO 3166-1 alpha-2: the country of phones written without +, and of postal codes in rows without a country. */
  defaultCountry: string;
  /** How the file writes dates such as 03/04/2026 ('dmy' = 3 April). */
  dateFormat: 'dmy' | 'mdy' | 'ymd';
  /** IANA zone of datetimes written without an offset; UTC when absent. */
  timeZone?: string;
  /** ISO 4217 code of amounts written without a currency. */
  currency: string;
}

export type Cleaned = { ok: true; value: unknown } | { ok: false; code: string; message: string };

const on = (options: CleaningOptions, rule: CleaningRule) => options.rules[rule] !== false;
const ok = (value: unknown): Cleaned => ({ ok: true, value });
const fail = (code: string, message: string): Cleaned => ({ ok: false, code, message });

/** The cell as quoted in a message: long cells cut, so that a row's errors stay readable. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}…` : text);
}

// `\s` covers the no-break spaces (U+00A0, U+202F) French spreadsheets put in numbers and names.
const WHITESPACE = /\s+/g;
const collapse = (text: string) => text.replace(WHITESPACE, ' ').trim();

/** Lower case, no accents, no spaces, dashes or underscores: how choices and yes/no words are compared. */
const MARKS = /\p{M}/gu;
const LOOSE_SEPARATORS = /[\s_-]+/g;
function looseKey(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(LOOSE_SEPARATORS, '');
}

/**
 * Cleans one cell for one field. An empty cell (blank after trimming) is `null`: whether it may be
 * is the caller's business (required fields). Bad data is an error value, never an exception.
 */
export function cleanValue(field: Field, raw: string, options: CleaningOptions, context?: { part?: string; country?: string }): Cleaned {
  const cell = typeof raw === 'string' ? raw : String(raw ?? '');
  if (cell.trim() === '') return ok(null);
  switch (field.type) {
    case 'text':
    case 'longText':
      return ok(cleanText(field, cell, options));
    case 'relation':
      // Resolved by name elsewhere; what matters here is that the name is read as the file wrote it.
      return ok(on(options, 'trim') ? collapse(cell) : cell.trim());
    case 'email':
      return cleanEmail(cell, options);
    case 'phone':
      return cleanPhone(cell, options, context?.country);
    case 'url':
      return cleanUrl(cell);
    case 'number':
    case 'rating':
      return cleanNumber(cell);
    case 'currency':
      return cleanCurrency(cell, options);
    case 'date':
    case 'datetime':
      return cleanDate(field.type, cell, options);
    case 'boolean':
      return cleanBoolean(cell, options);
    case 'select':
      return cleanSelect(field, cell, options);
    case 'multiSelect':
      return cleanMultiSelect(field, cell, options);
    case 'address':
      return cleanAddressPart(cell, options, context);
    default:
      return ok(on(options, 'trim') ? collapse(cell) : cell);
  }
}

// --- Text and names ---

/** Person names only: a company's `name` (or `companyName`) keeps the capitals its owner chose, "IBM" or "ACME SAS". */
const PERSON_NAME_FIELD = /^(?!(?:company|organi[sz]ation|account|business|brand|legal|trade|display|user|domain|file|host)Name$)[a-z]\w*Name$/;
/** Lower case inside a name: "Jean de Villepin", "Ludwig van Beethoven". */
const PARTICLES = new Set(['de', 'du', 'des', 'van', 'von', 'der', 'den', 'di', 'da', 'del', 'dos']);
/**
 * Articles are lower case only after a particle ("Juan de la Cruz", "Jean de la Fontaine"): alone
 * they are part of the name and capitalised, as French writes "Marine Le Pen".
 */
const ARTICLES = new Set(['la', 'le', 'les', 'las', 'los']);
const HAS_UPPER = /\p{Lu}/u;
const HAS_LOWER = /\p{Ll}/u;
const SEGMENT_START = /(^|[-'’])(\p{L})/gu;
const ELIDED_PARTICLE = /^(d['’])(.+)$/u;
const WORDS = /(\s+)/;

function cleanText(field: Field, cell: string, options: CleaningOptions): string {
  const text = on(options, 'trim') ? collapse(cell) : cell;
  if (field.type === 'text' && PERSON_NAME_FIELD.test(field.name) && on(options, 'nameCase')) return nameCase(text);
  return text;
}

const capitalise = (word: string) => word.replace(SEGMENT_START, (_, before: string, letter: string) => before + letter.toUpperCase());

/**
 * "JEAN-PIERRE" → "Jean-Pierre", "o'neil" → "O'Neil", "DUPONT jean" → "Dupont Jean". A word already
 * in mixed case ("McDonald", "DuPont") was typed with care, and is kept as it is.
 */
function nameCase(text: string): string {
  const parts = text.split(WORDS);
  let previous = '';
  // split() with a capturing group puts the words at even indexes and the spaces between them at odd ones.
  for (let at = 0; at < parts.length; at += 2) {
    const written = parts[at];
    if (!written) continue;
    const word = written.toLowerCase();
    const after = previous;
    previous = word;
    if (HAS_UPPER.test(written) && HAS_LOWER.test(written)) continue;
    if (after === '') parts[at] = capitalise(word);
    else if (PARTICLES.has(word) || (ARTICLES.has(word) && PARTICLES.has(after))) parts[at] = word;
    else {
      const elided = ELIDED_PARTICLE.exec(word);
      parts[at] = elided ? elided[1] + capitalise(elided[2]) : capitalise(word);
    }
  }
  return parts.join('');
}

// --- Email, phone, URL ---

const MAILTO = /^mailto:([^?]*)/i;
const DISPLAY_NAME = /<([^<>]+)>$/;

function cleanEmail(cell: string, options: CleaningOptions): Cleaned {
  const written = cell.trim();
  let email = written;
  const mailto = MAILTO.exec(email);
  if (mailto) email = mailto[1].trim();
  // Exports from mail clients write "Jean Dupont <jean@acme.fr>".
  const named = DISPLAY_NAME.exec(email);
  if (named) email = named[1].trim();
  if (on(options, 'emailLowerCase')) email = email.toLowerCase();
  return isEmail(email) ? ok(email) : fail('invalid_email', `${quote(written)} is not a valid email address`);
}

function cleanPhone(cell: string, options: CleaningOptions, rowCountry: string | undefined): Cleaned {
  const written = cell.trim();
  if (!on(options, 'phoneE164')) return ok(written);
  const country = (rowCountry && countryCode(rowCountry)) || options.defaultCountry;
  const phone = isSupportedCountry(country) ? parsePhoneNumberFromString(written, { defaultCountry: country }) : parsePhoneNumberFromString(written);
  // E.164 has no room for an extension ("poste 12"): the number dialled is kept, the extension dropped.
  if (phone?.isValid()) return ok(phone.number);
  return fail('invalid_phone', `${quote(written)} is not a valid phone number${written.startsWith('+') ? '' : ` in ${country} (or give it with its + country code)`}`);
}

const HAS_SCHEME = /^[a-z][a-z\d+.-]*:\/\//i;

function cleanUrl(cell: string): Cleaned {
  const url = cell.trim();
  if (HAS_SCHEME.test(url)) return ok(url);
  return ok(url.startsWith('//') ? `https:${url}` : `https://${url}`);
}

// --- Numbers and money ---

const NUMBER_NOISE = /[\s'’]/g;
const SCIENTIFIC = /^(\d+(?:[.,]\d+)?)e([+-]?\d+)$/i;
const DIGITS_AND_SEPARATORS = /^[\d.,]+$/;
const DIGITS = /^\d+$/;
const GROUPED_BY_DOT = /^\d{1,3}(?:\.\d{3})+$/;
const GROUPED_BY_COMMA = /^\d{1,3}(?:,\d{3})+$/;
const TRAILING_PERCENT = /%$/;
const GROUP_SEPARATORS = /[.,]/g;

/**
 * A written number as a plain decimal string ("-1234.56"), or null. Spaces, no-break spaces and
 * apostrophes are thousands separators. When both "," and "." appear the last one is the decimal
 * separator. One kind appearing several times is a thousands separator ("1.234.567"). One single
 * separator is a decimal one, except when exactly three digits follow it after one to three digits
 * ("1,234", "1.500"): that is ambiguous, and `ambiguous` decides. Plain numbers read it as a
 * decimal ("1,234" = 1.234: the French reading, and a single group of thousands is not worth the
 * risk); amounts read it as thousands, since no common currency has three decimals.
 */
function readNumber(text: string, ambiguous: 'decimal' | 'thousands'): string | null {
  let body = text.replace(NUMBER_NOISE, '');
  let negative = false;
  if (body.startsWith('(') && body.endsWith(')')) {
    // Accounting's way of writing a negative amount.
    negative = true;
    body = body.slice(1, -1);
  }
  if (body.startsWith('-') || body.startsWith('−')) {
    negative = !negative;
    body = body.slice(1);
  } else if (body.startsWith('+')) body = body.slice(1);
  const sign = negative ? '-' : '';
  const scientific = SCIENTIFIC.exec(body);
  if (scientific) return `${sign}${scientific[1].replace(',', '.')}e${scientific[2]}`;
  if (!DIGITS_AND_SEPARATORS.test(body)) return null;
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  let decimalAt = -1;
  if (lastDot >= 0 && lastComma >= 0) decimalAt = Math.max(lastDot, lastComma);
  else if (lastDot >= 0 || lastComma >= 0) {
    const at = Math.max(lastDot, lastComma);
    const single = body.indexOf(body[at]) === at;
    const integer = body.slice(0, at);
    const groupOfThree = body.length - at - 1 === 3 && integer.length >= 1 && integer.length <= 3 && !integer.startsWith('0');
    if (single && !(groupOfThree && ambiguous === 'thousands')) decimalAt = at;
  }
  const integer = decimalAt >= 0 ? body.slice(0, decimalAt) : body;
  const fraction = decimalAt >= 0 ? body.slice(decimalAt + 1) : '';
  if (decimalAt >= 0 && !DIGITS.test(fraction)) return null;
  let digits: string;
  if (integer === '') digits = '0';
  else if (DIGITS.test(integer)) digits = integer;
  else if (GROUPED_BY_DOT.test(integer) || GROUPED_BY_COMMA.test(integer)) digits = integer.replace(GROUP_SEPARATORS, '');
  else return null;
  return fraction ? `${sign}${digits}.${fraction}` : `${sign}${digits}`;
}

function cleanNumber(cell: string): Cleaned {
  const written = cell.trim();
  const decimal = readNumber(written.replace(TRAILING_PERCENT, ''), 'decimal');
  const value = decimal === null ? Number.NaN : Number(decimal);
  return Number.isFinite(value) ? ok(value) : fail('invalid_number', `${quote(written)} is not a number`);
}

const CURRENCY_TOKEN = /US\$|[€$£¥]|(?<![A-Za-z])(?:euros?|dollars?|[A-Za-z]{3})(?![A-Za-z])/gi;
const CURRENCY_WORDS = new Map([
  ['€', 'EUR'],
  ['$', 'USD'],
  ['us$', 'USD'],
  ['£', 'GBP'],
  ['¥', 'JPY'],
  ['euro', 'EUR'],
  ['euros', 'EUR'],
  ['dollar', 'USD'],
  ['dollars', 'USD'],
]);
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const minorDigitsCache = new Map<string, number>();

function minorDigits(currency: string): number {
  let digits = minorDigitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    minorDigitsCache.set(currency, digits);
  }
  return digits;
}

/** Exact minor units from a decimal string (no float rounding: 1,0050 € is 101 cents, where 1.005 * 100 rounds to 100), half away from zero. */
function toMinor(decimal: string, digits: number): number {
  if (decimal.includes('e')) return Math.round(Number(decimal) * 10 ** digits);
  const negative = decimal.startsWith('-');
  const [integer, fraction = ''] = (negative ? decimal.slice(1) : decimal).split('.');
  const padded = fraction.padEnd(digits + 1, '0');
  const minor = Number(integer + padded.slice(0, digits)) + (padded[digits] >= '5' ? 1 : 0);
  return negative && minor !== 0 ? -minor : minor;
}

function cleanCurrency(cell: string, options: CleaningOptions): Cleaned {
  const written = cell.trim();
  const codes = new Set<string>();
  let unknown: string | undefined;
  const amountText = written.replace(CURRENCY_TOKEN, (token) => {
    const code = CURRENCY_WORDS.get(token.toLowerCase()) ?? token.toUpperCase();
    if (CURRENCIES.has(code)) codes.add(code);
    else unknown = token;
    return ' ';
  });
  if (unknown !== undefined) return fail('invalid_currency', `${quote(unknown)} in ${quote(written)} is not a currency`);
  if (codes.size > 1) return fail('invalid_currency', `${quote(written)} names more than one currency`);
  const currency = codes.size === 1 ? [...codes][0] : options.currency;
  const decimal = readNumber(amountText.trim(), 'thousands');
  if (decimal === null) return fail('invalid_amount', `${quote(written)} is not an amount`);
  // More decimals than the currency has (a computed 33.3333 €) are rounded to its minor unit.
  const amountMinor = toMinor(decimal, minorDigits(currency));
  if (!Number.isSafeInteger(amountMinor)) return fail('invalid_amount', `${quote(written)} is too large an amount`);
  return ok({ amountMinor, currency });
}

// --- Dates ---

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const WRITTEN_DATE = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?(?: ?([ap])\.?m\.?)?)?$/i;
const EXCEL_SERIAL = /^\d{5}(?:\.\d+)?$/;
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const EXPECTED_DATE = { dmy: 'dd/mm/yyyy', mdy: 'mm/dd/yyyy', ymd: 'yyyy-mm-dd' } as const;

/** A date and time as written, before any time zone is applied; `offsetMinutes` when the text gave one. */
interface Stamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  offsetMinutes?: number;
}

function stamp(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): Stamp | null {
  if (!isExists(year, month - 1, day) || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, millisecond };
}

function readIso(text: string): Stamp | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const result = stamp(+year, +month, +day, hour ? +hour : 0, minute ? +minute : 0, second ? +second : 0, fraction ? +fraction.slice(0, 3).padEnd(3, '0') : 0);
  if (result && offset) {
    if (offset.toUpperCase() === 'Z') result.offsetMinutes = 0;
    else {
      const digits = offset.replace(':', '');
      const minutes = +digits.slice(1, 3) * 60 + (digits.length > 3 ? +digits.slice(3, 5) : 0);
      result.offsetMinutes = digits.startsWith('-') ? -minutes : minutes;
    }
  }
  return result;
}

/** A two-digit year is this century up to 69, the last one from 70: "01/03/85" is 1985. */
function fullYear(written: string): number | null {
  if (written.length === 4) return +written;
  if (written.length > 2) return null;
  const year = +written;
  return year < 70 ? 2000 + year : 1900 + year;
}

function readWritten(text: string, order: CleaningOptions['dateFormat']): Stamp | null {
  const match = WRITTEN_DATE.exec(text);
  if (!match) return null;
  const [, a, , b, c, hourText, minute, second, meridiem] = match;
  // A four-digit first part can only be a year, whatever the file's setting says.
  const effective = a.length === 4 ? 'ymd' : order === 'ymd' && c.length === 4 ? 'dmy' : order;
  const [dayText, monthText, yearText] = effective === 'ymd' ? [c, b, a] : effective === 'mdy' ? [b, a, c] : [a, b, c];
  if (dayText.length > 2 || monthText.length > 2) return null;
  const year = fullYear(yearText);
  if (year === null) return null;
  let hour = hourText ? +hourText : 0;
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return stamp(year, +monthText, +dayText, hour, minute ? +minute : 0, second ? +second : 0);
}

/** Excel's day numbers (45352 = 1 March 2024) count from 30 December 1899; the fraction is the time of day. */
function readExcelSerial(text: string): Stamp | null {
  if (!EXCEL_SERIAL.test(text)) return null;
  const serial = Number(text);
  if (serial < 20000 || serial > 80000) return null;
  const days = Math.floor(serial);
  const seconds = Math.round((serial - days) * 86_400);
  const date = new Date(EXCEL_EPOCH + days * DAY_MS + seconds * 1000);
  return stamp(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}

const QUARTER_HOUR = 900_000;

/** A zone's formatter and the offsets already looked up in it, by quarter hour. */
interface Zone {
  format: Intl.DateTimeFormat;
  offsets: Map<number, number>;
}

const zones = new Map<string, Zone | null>();

function zoneOf(name: string): Zone | null {
  let found = zones.get(name);
  if (found === undefined) {
    try {
      found = { format: new Intl.DateTimeFormat('en-US', { timeZone: name, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }), offsets: new Map() };
    } catch {
      found = null;
    }
    zones.set(name, found);
  }
  return found;
}

/**
 * How far the zone's clock is ahead of UTC at an instant, in ms. Offsets are whole quarter hours and
 * change on whole quarter hours of UTC, so one look-up serves the whole quarter hour: formatting is
 * what costs, and a file's datetimes share few of them.
 */
function zoneOffset(zone: Zone, instant: number): number {
  const quarter = Math.floor(instant / QUARTER_HOUR);
  let offset = zone.offsets.get(quarter);
  if (offset === undefined) {
    const start = quarter * QUARTER_HOUR;
    const fields: Record<string, number> = {};
    for (const part of zone.format.formatToParts(start)) if (part.type !== 'literal') fields[part.type] = +part.value;
    offset = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second) - start;
    if (zone.offsets.size > 100_000) zone.offsets.clear();
    zone.offsets.set(quarter, offset);
  }
  return offset;
}

/**
 * The instant a wall-clock time names in a zone. The offset is looked up at the guess and again at
 * the corrected instant, which settles times near a daylight-saving change.
 */
function zonedInstant(wall: number, zone: Zone): number {
  const first = wall - zoneOffset(zone, wall);
  return wall - zoneOffset(zone, first);
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0');

function cleanDate(type: 'date' | 'datetime', cell: string, options: CleaningOptions): Cleaned {
  const written = collapse(cell);
  const loose = on(options, 'dates');
  const parsed = loose ? (readIso(written) ?? readWritten(written, options.dateFormat) ?? readExcelSerial(written)) : readIso(written);
  if (!parsed) {
    const expected = loose ? EXPECTED_DATE[options.dateFormat] : 'yyyy-mm-dd';
    const message = type === 'date' ? `${quote(written)} is not a date (expected ${expected})` : `${quote(written)} is not a date and time (expected ${expected}${loose ? ' hh:mm' : 'Thh:mm'})`;
    return fail(type === 'date' ? 'invalid_date' : 'invalid_datetime', message);
  }
  // A date field keeps the day as written, even when the cell also has a time.
  if (type === 'date') return ok(`${pad(parsed.year, 4)}-${pad(parsed.month)}-${pad(parsed.day)}`);
  const wall = Date.UTC(parsed.year, parsed.month - 1, parsed.day, parsed.hour, parsed.minute, parsed.second, parsed.millisecond);
  if (parsed.offsetMinutes !== undefined) return ok(new Date(wall - parsed.offsetMinutes * 60_000).toISOString());
  const zoneName = options.timeZone ?? 'UTC';
  if (zoneName === 'UTC') return ok(new Date(wall).toISOString());
  const found = zoneOf(zoneName);
  if (!found) return fail('invalid_time_zone', `${quote(zoneName)} is not a time zone`);
  return ok(new Date(zonedInstant(wall, found)).toISOString());
}

// --- Yes/no ---

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'oui', 'o', 'vrai', 'x', '✓', '✔']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'non', 'faux']);

function cleanBoolean(cell: string, options: CleaningOptions): Cleaned {
  const written = cell.trim();
  const word = looseKey(written);
  const strict = !on(options, 'booleans');
  // Spreadsheets write their own booleans TRUE and FALSE: case never matters.
  if (word === 'true' || (!strict && TRUE_WORDS.has(word))) return ok(true);
  if (word === 'false' || (!strict && FALSE_WORDS.has(word))) return ok(false);
  return fail('invalid_boolean', `${quote(written)} is not yes or no (expected ${strict ? 'true or false' : 'yes/no, oui/non, true/false or 1/0'})`);
}

// --- Choices ---

const choiceIndexes = new WeakMap<Field, Map<string, string>>();

/** Each option by its value, English label and French label, compared loosely; built once per field. */
function choiceIndex(field: Field): Map<string, string> {
  let index = choiceIndexes.get(field);
  if (!index) {
    index = new Map();
    const options = field.options ?? [];
    // Values first, then English labels, then French: a clash goes to the more exact spelling.
    for (const spelling of [(option: Option) => option.value, (option: Option) => option.labels.en, (option: Option) => option.labels.fr]) {
      for (const option of options) {
        const text = spelling(option);
        const key = text ? looseKey(text) : '';
        if (key && !index.has(key)) index.set(key, option.value);
      }
    }
    choiceIndexes.set(field, index);
  }
  return index;
}

function allowedLabels(field: Field): string {
  const labels = (field.options ?? []).map((option) => option.labels.en || option.value);
  return labels.length > 10 ? `${labels.slice(0, 10).join(', ')}, …` : labels.join(', ');
}

function cleanSelect(field: Field, cell: string, options: CleaningOptions): Cleaned {
  const written = on(options, 'trim') ? collapse(cell) : cell.trim();
  const value = choiceIndex(field).get(looseKey(written));
  return value === undefined ? fail('invalid_option', `${quote(written)} is not one of: ${allowedLabels(field)}`) : ok(value);
}

const LIST_SEPARATORS = /[,;|\r\n]+/;

function cleanMultiSelect(field: Field, cell: string, options: CleaningOptions): Cleaned {
  const index = choiceIndex(field);
  const whole = index.get(looseKey(cell));
  // An option whose label has a comma ("Yes, later") is one choice, not two.
  if (whole !== undefined) return ok([whole]);
  const values: string[] = [];
  const unknown: string[] = [];
  for (const item of cell.split(LIST_SEPARATORS)) {
    const written = on(options, 'trim') ? collapse(item) : item.trim();
    if (!written) continue;
    const value = index.get(looseKey(written));
    if (value === undefined) unknown.push(written);
    else if (!values.includes(value)) values.push(value);
  }
  if (unknown.length) return fail('invalid_option', `${unknown.map(quote).join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not one of: ${allowedLabels(field)}`);
  return ok(values.length ? values : null);
}

// --- Addresses and countries ---

const FOUR_DIGITS = /^\d{4}$/;

function cleanAddressPart(cell: string, options: CleaningOptions, context: { part?: string; country?: string } | undefined): Cleaned {
  switch (context?.part) {
    case 'postalCode':
      return cleanPostalCode(cell, options, context.country);
    case 'country': {
      // The API stores ISO codes: reading "France" as FR is the type conversion, not a cleaning option.
      const written = collapse(cell);
      const code = countryCode(written);
      return code ? ok(code) : fail('invalid_country', `${quote(written)} is not a country (expected a name such as France or a code such as FR)`);
    }
    case undefined:
      return fail('unsupported_field', 'an address is imported from one column per part (street, postal code, city, country)');
    default:
      return ok(on(options, 'trim') ? collapse(cell) : cell);
  }
}

function cleanPostalCode(cell: string, options: CleaningOptions, rowCountry: string | undefined): Cleaned {
  const written = collapse(cell);
  if (!on(options, 'postalCodes')) return ok(on(options, 'trim') ? written : cell);
  const country = (rowCountry && countryCode(rowCountry)) || options.defaultCountry;
  if (!postcodeValidatorExistsForCountry(country)) return ok(written.toUpperCase());
  let code = written.toUpperCase();
  if (country === 'FR') code = code.replace(' ', '');
  // Excel reads 07500 as a number and drops its zero: put it back when that makes a valid code (FR, DE, US…).
  if (FOUR_DIGITS.test(code) && !postcodeValidator(code, country) && postcodeValidator(`0${code}`, country)) code = `0${code}`;
  return postcodeValidator(code, country) ? ok(code) : fail('invalid_postal_code', `${quote(written)} is not a valid postal code for ${country}`);
}

/** Regions CLDR names that are not countries one lives in. */
const NOT_COUNTRIES = new Set(['AC', 'CP', 'CQ', 'DG', 'EA', 'EU', 'EZ', 'IC', 'QO', 'TA', 'UN', 'XA', 'XB', 'ZZ']);
/** Names spreadsheets use that no language's standard name is. */
const COUNTRY_ALIASES: [string, string][] = [
  ['USA', 'US'],
  ['United States of America', 'US'],
  ['America', 'US'],
  ['Amérique', 'US'],
  ['England', 'GB'],
  ['Angleterre', 'GB'],
  ['Great Britain', 'GB'],
  ['Grande-Bretagne', 'GB'],
  ['Scotland', 'GB'],
  ['Écosse', 'GB'],
  ['Wales', 'GB'],
  ['Pays de Galles', 'GB'],
  ['Holland', 'NL'],
  ['Hollande', 'NL'],
];
/** Languages whose country names are read, English and French first (they win a clash). */
const NAME_LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];
const TWO_LETTERS = /^[A-Za-z]{2}$/;
const PARENTHESIS = /\s*\(([^)]*)\)/;
const NOT_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu;
const countryKey = (text: string) => text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(NOT_ALPHANUMERIC, '');
let countryIndex: { codes: Map<string, string>; names: Map<string, string> } | undefined;

/** Built on first use (7 languages × 676 codes, a few ms), then each look-up is one Map read. */
function countries(): { codes: Map<string, string>; names: Map<string, string> } {
  if (countryIndex) return countryIndex;
  const codes = new Map<string, string>();
  const names = new Map<string, string>();
  const add = (name: string, code: string) => {
    const key = countryKey(name);
    if (key && !names.has(key)) names.set(key, code);
  };
  const displays = NAME_LANGUAGES.flatMap((language) => [new Intl.DisplayNames([language], { type: 'region', fallback: 'none' }), new Intl.DisplayNames([language], { type: 'region', style: 'short', fallback: 'none' })]);
  for (let first = 65; first <= 90; first++) {
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      if (NOT_COUNTRIES.has(code) || !displays[0].of(code)) continue;
      // Withdrawn codes (UK, BU, ZR) are read as today's (GB, MM, CD), and give no names of their own.
      const canonical = Intl.getCanonicalLocales(`und-${code}`)[0].slice(4);
      codes.set(code, canonical);
      if (canonical !== code) continue;
      for (const display of displays) {
        const name = display.of(code);
        if (!name) continue;
        add(name, code);
        // "Myanmar (Burma)", "Congo (RDC)": the name with and without what the parenthesis says.
        const inner = PARENTHESIS.exec(name);
        if (inner) {
          add(name.replace(PARENTHESIS, ''), code);
          add(inner[1], code);
        }
      }
    }
  }
  for (const [name, code] of COUNTRY_ALIASES) add(name, code);
  countryIndex = { codes, names };
  return countryIndex;
}

/** A country written as an ISO code or its name in English, French or a neighbour's language, as ISO2; null when unknown. */
export function countryCode(text: string): string | null {
  const written = typeof text === 'string' ? text.trim() : '';
  if (!written) return null;
  const index = countries();
  if (TWO_LETTERS.test(written)) return index.codes.get(written.toUpperCase()) ?? null;
  return index.names.get(countryKey(written)) ?? null;
}
