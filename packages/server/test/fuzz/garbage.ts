import fc from 'fast-check';

/* Malformed pieces: odd JSON values, non-JSON bodies, content types, path segments, header values. */

/** JSON text spliced as is into a serialized value: nesting too deep to build as an object, duplicate keys, `__proto__`. */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `<raw JSON, ${this.text.length} chars>`;
  }
}

/** JSON.stringify that writes RawJson pieces verbatim and keeps own `__proto__` keys. */
export function serialize(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : serialize(item))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const parts: string[] = [];
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) parts.push(`${JSON.stringify(key)}:${serialize(item)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Sets an own property, even `__proto__`, without touching the prototype. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const ODD_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  'e\u0301',
  '🦄🦄🦄',
  '👩‍👩‍👧‍👦',
  '\\',
  '"',
  "'; drop table company; --",
  '%',
  '%00',
  '%zz',
  '_%_',
  '${x}',
  '{{x}}',
  '__proto__',
  'constructor',
  'toString',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-0',
  '0x10',
  '2020-02-30',
  '2021-02-29',
  '0000-01-01',
  '9999-12-31',
  '10000-01-01',
  '-2020-01-01',
  '2020-01-01T25:00:00Z',
  '2020-01-01T00:00:00+99:00',
  '294277-01-01T00:00:00Z',
  '2020-01-01T00:00:00.0000000000001Z',
  'infinity',
  '-infinity',
  'epoch',
  'allballs',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{00000000-0000-0000-0000-000000000000}',
  '00000000000000000000000000000000',
  'a@b',
  'A@B.CO',
  'mailto:a@b.co',
  'javascript:alert(1)',
  'http://',
  'http://[::1',
  'ftp://example.com',
  '+33',
  '+999999999999999999',
  'EUR',
  'XXX',
  'eur',
  'FR',
  'won',
  'WON',
  'company',
  'person',
  'id',
  'a'.repeat(101),
  'a'.repeat(201),
  'a'.repeat(1001),
  // Within 1,000 characters but not within an index row's bytes, before or after search folding.
  '漢'.repeat(999),
  'ﷺ'.repeat(300),
];

/** Strings a parser or a database may choke on; `maxLong` bounds the long ones (URLs must stay small). */
export function oddString(maxLong: number): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ODD_STRINGS), weight: 6 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 30 }), weight: 2 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
    {
      arbitrary: fc.tuple(fc.integer({ min: 2, max: maxLong }), fc.constantFrom('x', 'é', '🦄', '\u0000', ' ', '%')).map(([length, unit]) => unit.repeat(Math.max(1, Math.floor(length / unit.length)))),
      weight: 1,
    },
  );
}

const ODD_NUMBERS = [0, -0, -1, 1, 1.5, -1.5, 0.1, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 53) - 2, 2 ** 63, 2 ** 64, 1e21, 1e-7, 123456789.123456789];

export const oddNumber: fc.Arbitrary<number> = fc.oneof(fc.constantFrom(...ODD_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer());

/** JSON text nested `depth` levels: arrays, objects, or filter-like `not` chains. */
export function deepJson(depth: number, shape: 'array' | 'object' | 'not'): RawJson {
  switch (shape) {
    case 'array':
      return new RawJson(`${'['.repeat(depth)}1${']'.repeat(depth)}`);
    case 'object':
      return new RawJson(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`);
    case 'not':
      return new RawJson(`${'{"not":'.repeat(depth)}{"field":"id","op":"isNull","value":true}${'}'.repeat(depth)}`);
  }
}

const RAW_ODDITIES = [
  '{"a":1,"a":2}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '123456789012345678901234567890',
  '-0',
  '1E400',
  '-1e-400',
  '0.0000000000000000000000000000001',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udc00\\ud800"',
  '"\\u202e"',
];

/** Any JSON value a schema would not expect (deep, huge, odd), as a JS value or raw text. */
export function oddValue(maxLong: number, maxDepth: number): fc.Arbitrary<unknown> {
  const scalar = fc.oneof(oddString(maxLong), oddNumber, fc.boolean(), fc.constant(null));
  return fc.oneof(
    { arbitrary: scalar, weight: 8 },
    { arbitrary: fc.constantFrom<unknown>([], {}, [null], [[]], [{}], { '': null }), weight: 2 },
    { arbitrary: fc.array(scalar, { maxLength: 4 }), weight: 2 },
    { arbitrary: fc.dictionary(oddString(50), scalar, { maxKeys: 4 }), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
    { arbitrary: fc.constantFrom(...RAW_ODDITIES).map((text) => new RawJson(text)), weight: 2 },
    {
      arbitrary: fc.tuple(fc.integer({ min: Math.min(20, maxDepth), max: maxDepth }), fc.constantFrom('array' as const, 'object' as const, 'not' as const)).map(([depth, shape]) => deepJson(depth, shape)),
      weight: 1,
    },
    { arbitrary: fc.integer({ min: 1000, max: Math.max(1000, Math.floor(maxLong / 2)) }).map((length) => new RawJson(`[${Array(length).fill('1').join(',')}]`)), weight: 1 },
  );
}

/** Bodies that are not JSON, though they may claim to be. */
export const notJson: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '}',
    '{"a":',
    '{"a":1,}',
    '[1,]',
    "{'a':1}",
    '{a:1}',
    '{"a":1}{"b":2}',
    '{"a":1} trailing',
    '\ufeff{}',
    'NaN',
    'undefined',
    'nul',
    'tru',
    '"unterminated',
    '"\\x00"',
    '"\\ud8"',
    'name=x&employees=3',
    '<?xml version="1.0"?><a/>',
    '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--\r\n',
    '[[[[[[[[[[',
    '\u0000',
  ),
  fc.integer({ min: 1000, max: 200_000 }).map((depth) => '['.repeat(depth)),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.uint8Array({ minLength: 1, maxLength: 64 }),
  fc.constantFrom(new Uint8Array([0xff, 0xfe, 0x7b, 0x7d]), new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]), new Uint8Array([0x22, 0xed, 0xa0, 0x80, 0x22])),
);

/** Content types other than `application/json`; `null` sends none. */
export const wrongContentType: fc.Arbitrary<string | null> = fc.constantFrom(
  null,
  '',
  'text/plain',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonp',
  'application/json5',
  'application/jsonx',
  'json',
  'application/',
  ';',
  '*/*',
  'application/*',
  // Claimed JSON with odd parameters or suffixes (these may be taken as JSON):
  'application/json; charset=utf-16',
  'application/json;charset=ISO-8859-1',
  'APPLICATION/JSON',
  'application/json-seq',
  'application/merge-patch+json',
  'application/problem+json',
  'application/vnd.api+json',
  'application/json, text/plain',
);

const PATH_ODDITIES = [
  '%2F',
  'a%2Fb',
  '..%2F..%2Fhealth',
  '%2e%2e',
  '%2e',
  '%',
  '%zz',
  '%E0%A4%A',
  '%C0%AF',
  '%C0%80',
  '%FF%FE',
  '%ED%A0%80',
  '%00',
  'a%00b',
  '%20',
  '%09',
  '+',
  '~',
  "'",
  '%27%20or%201%3D1',
  ';',
  'a;b=c',
  ',',
  '*',
  '$',
  '@',
  '%7Bid%7D',
  ':id',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'query',
  'batch',
  'restore',
  'timeline',
  'COMPANY',
  'Company',
  '%63ompany',
  'company%20',
  'fuzzThing%00',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '%7B00000000-0000-0000-0000-000000000000%7D',
  '00000000000000000000000000000000',
  '00000000-0000-0000-0000-0000000000000',
  'g0000000-0000-0000-0000-000000000000',
  '------------------------------------',
  '0',
  '-1',
  '1e3',
];

/** A path segment as sent (already percent-encoded, or deliberately not). */
export const oddSegment: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PATH_ODDITIES), weight: 6 },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }).map(encodeURIComponent), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 30 }).map(encodeURIComponent), weight: 1 },
  // Long, but under Node's 16 KiB limit on the request head (past it Node answers 431 itself, before the app).
  { arbitrary: fc.integer({ min: 100, max: 6000 }).map((length) => 'a'.repeat(length)), weight: 1 },
  { arbitrary: fc.integer({ min: 10, max: 600 }).map((length) => '%F0%9F%A6%84'.repeat(length)), weight: 1 },
);

/** Header values fetch can send (no CR, LF or NUL; Latin-1 only). */
export function headerText(maxLength: number): fc.Arbitrary<string> {
  const char = fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((code) => String.fromCharCode(code));
  return fc.string({ unit: char, minLength: 1, maxLength }).map((text) => text.trim()).filter((text) => text.length > 0);
}

export const oddETag: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('*', '"abc"', 'W/"1"', 'w/"1"', '"1"', '"0"', '"-1"', '"1.5"', '"999999999"', '"9999999999"', '"99999999999999999999999"', 'W/', '""', '"', '"1", "2"', '1', 'garbage', '"\u00e9"', `"${'9'.repeat(400)}"`),
  headerText(40),
  fc.integer({ min: 100, max: 8000 }).map((length) => `"${'1'.repeat(length)}"`),
);

export const oddIdempotencyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('a'.repeat(256), 'a'.repeat(1000), 'a'.repeat(8000), 'key with spaces', 'caf\u00e9', 'tab\there', '"quoted"', 'x'),
  headerText(300),
  fc.integer({ min: 256, max: 8000 }).map((length) => 'k'.repeat(length)),
);
