import crypto from 'node:crypto';
import fc from 'fast-check';
import { headerText, notJson, oddETag, oddIdempotencyKey, oddSegment, oddString, oddValue, RawJson, deepJson, serialize, setOwn, wrongContentType } from './garbage';
import type { Operation, SchemaResolver } from './openapi';

/* One malformed request for one operation of the document. */

export interface FuzzRequest {
  method: string;
  /** Path and query, exactly as sent. */
  target: string;
  /** Headers to send; `null` removes the default `Authorization`. */
  headers: Record<string, string | null>;
  body?: string | Uint8Array;
  /** What was made wrong, for the failure message. */
  faults: string[];
}

export interface FuzzContext {
  resolver: SchemaResolver;
  /** Values of a path parameter that name something that exists (a record, an object, a field). */
  validPathValues(operation: Operation, name: string): string[];
  /** Field names and dotted paths of an object's records, for filters, sorts and `fields`. */
  fieldPaths(objectName: string): string[];
  /** Values the server takes for some fields of an object (formats the schema does not tell: emails, phones, ids of records). */
  goodValues(objectName: string): Record<string, fc.Arbitrary<unknown>>;
}

/** Bodies are large only where a URL is not involved; request heads stay under Node's 16 KiB limit. */
const MAX_BODY_STRING = 200_000;
const MAX_BODY_DEPTH = 100_000;
const MAX_URL_STRING = 1_500;
const MAX_URL_DEPTH = 1_000;

const FILTER_OPERATORS = ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'startsWith', 'isNull'];
const RESERVED_NAMES = ['id', 'createdAt', 'updatedAt', 'deletedAt', 'ownerId', 'version', 'custom', 'object', 'workspaceId', 'record', '__proto__', 'constructor', 'toString', ''];

export const recordObjectOf = (template: string): string | undefined => /^\/api\/v1\/records\/([^/{]+)/.exec(template)?.[1];

const PLAUSIBLE_VALUES: unknown[] = ['abc', 'a', 1, 0, -1, 2.5, true, false, null, '2020-01-01', '2020-01-01T00:00:00Z', '00000000-0000-0000-0000-000000000000', 'won', 'red', 'EUR', ['a', 'b'], [1, 2], [], {}];

function plausibleFilterValue(maxLong: number, maxDepth: number): fc.Arbitrary<unknown> {
  return fc.oneof({ arbitrary: fc.constantFrom(...PLAUSIBLE_VALUES), weight: 3 }, { arbitrary: fc.uuid(), weight: 1 }, { arbitrary: oddValue(maxLong, maxDepth), weight: 3 }, { arbitrary: fc.array(oddValue(maxLong, 10), { maxLength: 3 }), weight: 1 });
}

/** Filters over the object's fields: some valid, most wrong in one way or another. */
export function filterArbitrary(fields: string[], maxLong: number, maxDepth: number): fc.Arbitrary<unknown> {
  const field = fc.oneof({ arbitrary: fc.constantFrom(...fields, ...RESERVED_NAMES, 'a.b.c', 'name.first'), weight: 6 }, { arbitrary: oddString(Math.min(maxLong, 300)), weight: 1 });
  const op = fc.oneof({ arbitrary: fc.constantFrom(...FILTER_OPERATORS), weight: 6 }, { arbitrary: fc.constantFrom('like', 'EQ', '', '__proto__', 'between', 'eq '), weight: 1 });
  const condition = fc
    .tuple(fc.record({ field, op, value: plausibleFilterValue(maxLong, maxDepth) }, { requiredKeys: ['field', 'op'] }), fc.option(fc.tuple(fc.constantFrom('extra', 'and', 'values', '__proto__'), fc.jsonValue({ maxDepth: 1 })), { freq: 6 }))
    .map(([node, extra]) => {
      const copy: Record<string, unknown> = { ...node };
      if (extra) setOwn(copy, extra[0], extra[1]);
      return copy;
    });
  const { node } = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: condition, weight: 5 },
      { arbitrary: fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }), weight: 1 },
      { arbitrary: fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }), weight: 1 },
      { arbitrary: fc.record({ not: tie('node') }), weight: 1 },
    ),
  }));
  return fc.oneof(
    { arbitrary: node, weight: 6 },
    { arbitrary: oddValue(maxLong, maxDepth), weight: 2 },
    { arbitrary: fc.integer({ min: 7, max: maxDepth }).map((depth) => deepJson(depth, 'not')), weight: 1 },
    { arbitrary: fc.integer({ min: 101, max: 400 }).map((count) => ({ or: Array.from({ length: count }, () => ({ field: 'id', op: 'isNull', value: false })) })), weight: 1 },
  );
}

function sortArbitrary(fields: string[]): fc.Arbitrary<string> {
  const key = fc.tuple(fc.constantFrom('', '-', '+', '--', ' '), fc.oneof({ arbitrary: fc.constantFrom(...fields, ...RESERVED_NAMES), weight: 5 }, { arbitrary: oddString(50), weight: 1 }));
  return fc.oneof(
    { arbitrary: fc.array(key, { minLength: 1, maxLength: 6 }).map((keys) => keys.map(([sign, name]) => `${sign}${name}`).join(',')), weight: 4 },
    { arbitrary: fc.constantFrom(',', ',,,', '-', '-,', ' ', 'id,id,id,id,id', 'createdAt,createdAt', 'a'.repeat(501)), weight: 1 },
    { arbitrary: oddString(MAX_URL_STRING), weight: 1 },
  );
}

/** The server's cursor format (base64url JSON of a sort signature, values and an id), with odd contents. */
function craftedCursor(sort: string | undefined): fc.Arbitrary<string> {
  const keys = (sort ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part && part.replace(/^-/, '') !== 'id');
  const signature = crypto.createHash('sha1').update(keys.join(',')).digest('base64url').slice(0, 8);
  const value = fc.oneof(fc.constantFrom<unknown>(null, 'abc', '', 1, 1e308, -0, true, '2020-13-45', '\u0000', '00000000-0000-0000-0000-000000000000'), oddString(200), oddNumber());
  const id = fc.oneof(fc.uuid(), fc.constantFrom('------------------------------------', 'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa', '00000000-0000-0000-0000-00000000000g', 1, null));
  return fc
    .record({ s: fc.oneof(fc.constant(signature), fc.string({ maxLength: 8 })), v: fc.oneof(fc.array(value, { minLength: keys.length, maxLength: keys.length }), fc.array(value, { maxLength: 5 }), fc.constant<unknown>('x')), id })
    .map((data) => Buffer.from(JSON.stringify(data)).toString('base64url'));
}

function oddNumber(): fc.Arbitrary<number> {
  return fc.constantFrom(0, -1, 1.5, 1e308, 2 ** 53 + 2, 5e-324);
}

function cursorArbitrary(sort: string | undefined): fc.Arbitrary<string> {
  return fc.oneof(craftedCursor(sort), fc.base64String({ maxLength: 80 }), oddString(MAX_URL_STRING), fc.constantFrom('e30', 'bnVsbA', 'W10', 'IiI', '!!!!', '===='));
}

const listOf = (names: string[]) =>
  fc.oneof(
    { arbitrary: fc.array(fc.oneof({ arbitrary: fc.constantFrom(...names, ...RESERVED_NAMES), weight: 4 }, { arbitrary: oddString(40), weight: 1 }), { minLength: 1, maxLength: 6 }).map((items) => items.join(',')), weight: 4 },
    { arbitrary: fc.integer({ min: 100, max: 400 }).map((count) => Array.from({ length: count }, (_, index) => names[index % names.length]).join(',')), weight: 1 },
    { arbitrary: fc.constantFrom(',', ',,', ' , ', 'id,id'), weight: 1 },
  );

const oddLimit = fc.oneof(fc.constantFrom('0', '-1', '501', '1000', '9999', '10000', '1e2', '1.5', ' 5', '5 ', '+5', '0x10', '٣', '５', '00001', '000000000000000001', 'NaN', 'Infinity', '', 'true', '[1]'), oddString(40));

/** A query value for a known parameter of the operation, odd or wrong. */
function oddQueryValue(name: string, operation: Operation, context: FuzzContext, sort: string | undefined): fc.Arbitrary<string> {
  const object = recordObjectOf(operation.template);
  const fields = object ? context.fieldPaths(object) : ['name'];
  switch (name) {
    case 'filter':
      return filterArbitrary(fields, MAX_URL_STRING, MAX_URL_DEPTH).map(serialize);
    case 'sort':
      return sortArbitrary(fields);
    case 'limit':
      return oddLimit;
    case 'cursor':
      return cursorArbitrary(sort);
    case 'fields':
    case 'expand':
      return listOf(fields);
    case 'deleted':
      return fc.oneof(fc.constantFrom('only', 'ONLY', 'all', 'include', 'exclude', 'true', ''), oddString(50));
    case 'q':
      return fc.oneof(oddString(MAX_URL_STRING), fc.constantFrom('a'.repeat(200), 'a'.repeat(201), '%', '_', '\\', '*', '"', "'", '&', 'é'.repeat(200)));
    case 'objects':
      return fc.oneof(listOf(['company', 'person', 'fuzzThing', 'nothing', 'query']), oddString(MAX_URL_STRING));
    default:
      return oddString(MAX_URL_STRING);
  }
}

/** A value the operation should take, for the parts left valid. */
function validQueryValue(name: string, operation: Operation, context: FuzzContext): fc.Arbitrary<string> {
  const object = recordObjectOf(operation.template);
  switch (name) {
    case 'limit':
      return fc.integer({ min: 1, max: 100 }).map(String);
    case 'sort':
      return fc.constantFrom('-createdAt', 'createdAt', 'updatedAt,-createdAt');
    case 'fields':
      return fc.constant(object ? context.fieldPaths(object).filter((path) => !path.includes('.')).slice(0, 3).join(',') : 'id');
    case 'deleted':
      return fc.constant('only');
    case 'q':
      return fc.constantFrom('a', 'fuzz', 'Éloïse', 'example.com');
    case 'objects':
      return fc.constantFrom('company', 'person,company');
    case 'filter':
      return fc.constant(JSON.stringify({ field: 'id', op: 'isNull', value: false }));
    case 'object':
      return fc.constantFrom('company', 'person', 'fuzzThing');
    default:
      return fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 5 });
  }
}

/** Percent-encodes what can be, leaving lone surrogates (which encodeURIComponent refuses) as `%ED%A0%80`. */
function encodeComponent(text: string): string {
  return [...text]
    .map((char) => {
      try {
        return encodeURIComponent(char);
      } catch {
        return '%ED%A0%80';
      }
    })
    .join('');
}

const RAW_QUERY_JUNK = ['%', '%zz=1', '=1', '&&&', 'a', 'a=%', 'a=%E0%A4%A', '%00=1', 'a=%00', 'a=1&a=2', '&', '=', '?', '#x', 'a[]=1', 'a[b]=1', '__proto__=1', 'constructor=1', 'hasOwnProperty=1'];

function queryArbitrary(operation: Operation, context: FuzzContext, faulty: boolean): fc.Arbitrary<{ query: string; notes: string[] }> {
  const known = operation.parameters.filter((parameter) => parameter.in === 'query');
  const required = known.filter((parameter) => parameter.required);
  const validPairs = fc
    .tuple(
      ...known.map((parameter) =>
        parameter.required ? validQueryValue(parameter.name, operation, context).map((value) => [parameter.name, value] as const) : fc.option(validQueryValue(parameter.name, operation, context).map((value) => [parameter.name, value] as const), { freq: 3 }),
      ),
    )
    .map((pairs) => pairs.filter((pair): pair is readonly [string, string] => pair !== null).map(([name, value]) => `${encodeComponent(name)}=${encodeComponent(value)}`));
  if (!faulty) return validPairs.map((pairs) => ({ query: pairs.join('&'), notes: [] }));

  type Piece = { text: string; note: string };
  const pieces: fc.Arbitrary<Piece>[] = [
    fc.tuple(fc.oneof(fc.constantFrom('bogus', 'Limit', 'FILTER', 'filter[field]', 'sort[]', '__proto__', 'constructor', 'toString', 'q ', 'page', 'offset'), oddString(40)), oddString(200)).map(([name, value]) => ({ text: `${encodeComponent(name)}=${encodeComponent(value)}`, note: `unknown parameter ${JSON.stringify(name)}` })),
    fc.constantFrom(...RAW_QUERY_JUNK).map((text) => ({ text, note: 'raw query junk' })),
  ];
  if (known.length > 0) {
    const name = fc.constantFrom(...known.map((parameter) => parameter.name));
    pieces.push(
      fc.tuple(name, fc.option(sortArbitrary(recordObjectOf(operation.template) ? context.fieldPaths(recordObjectOf(operation.template)!) : ['name']), { freq: 2 })).chain(([parameter, sort]) =>
        oddQueryValue(parameter, operation, context, sort ?? undefined).map((value) => ({
          text: `${sort !== null && parameter === 'cursor' ? `sort=${encodeComponent(sort)}&` : ''}${encodeComponent(parameter)}=${encodeComponent(value)}`,
          note: `odd ${parameter}`,
        })),
      ),
      fc.tuple(name, fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '%C0%80', '+', '%2B')).map(([parameter, raw]) => ({ text: `${parameter}=${raw}`, note: `raw ${parameter}` })),
      fc.tuple(name, validQueryValue('x', operation, context)).map(([parameter, value]) => ({ text: `${parameter}=${encodeComponent(value)}&${parameter}=${encodeComponent(value)}`, note: `repeated ${parameter}` })),
      name.map((parameter) => ({ text: `${parameter}`, note: `${parameter} without "="` })),
    );
  }
  return fc.tuple(validPairs, fc.array(fc.oneof(...pieces), { minLength: 1, maxLength: 3 }), fc.boolean()).map(([pairs, extra, dropRequired]) => {
    let kept = pairs;
    const notes = extra.map((piece) => piece.note);
    if (dropRequired && required.length > 0) {
      kept = pairs.filter((pair) => !required.some((parameter) => pair.startsWith(`${encodeComponent(parameter.name)}=`)));
      notes.push('required query parameter left out');
    }
    return { query: [...kept, ...extra.map((piece) => piece.text)].join('&'), notes };
  });
}

function pathArbitrary(operation: Operation, context: FuzzContext, faulty: boolean): fc.Arbitrary<{ path: string; notes: string[] }> {
  const names = [...operation.template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
  const segment = (name: string): fc.Arbitrary<{ value: string; note?: string }> => {
    const pool = context.validPathValues(operation, name);
    // The first value (a live record made for this operation) is the likeliest.
    const valid = fc.oneof({ arbitrary: fc.constant(pool[0]!), weight: 3 }, { arbitrary: fc.constantFrom(...pool), weight: 2 }).map((value) => ({ value: encodeURIComponent(value) }));
    if (!faulty) return valid;
    const odd = fc.oneof(
      { arbitrary: oddSegment, weight: 5 },
      { arbitrary: fc.tuple(fc.constantFrom(...pool), fc.constantFrom('%00', '/', '/x', '%2F', '.', ' ', '%20', '..', '/..', ';', '?')).map(([value, suffix]) => `${value}${suffix}`), weight: 2 },
      { arbitrary: fc.constantFrom(...pool).map((value) => value.toUpperCase()), weight: 1 },
      { arbitrary: fc.constant(''), weight: 1 },
    );
    return fc.oneof({ arbitrary: valid, weight: 1 }, { arbitrary: odd.map((value) => ({ value, note: `odd {${name}}` })), weight: 2 });
  };
  return fc.tuple(...names.map(segment)).map((values) => {
    let path = operation.template;
    names.forEach((name, index) => {
      path = path.replace(`{${name}}`, values[index]!.value);
    });
    return { path, notes: values.flatMap((value) => (value.note ? [value.note] : [])) };
  });
}

function headersArbitrary(operation: Operation, faulty: boolean): fc.Arbitrary<{ headers: Record<string, string | null>; notes: string[] }> {
  const own = operation.parameters.filter((parameter) => parameter.in === 'header').map((parameter) => parameter.name.toLowerCase());
  if (!faulty) {
    // Valid headers: sometimes the ones the operation documents, with values that fit.
    const ifMatch = own.includes('if-match') ? fc.option(fc.constantFrom('"1"', 'W/"1"', '"2"'), { freq: 3 }) : fc.constant(null);
    const key = own.includes('idempotency-key') ? fc.option(fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 8, maxLength: 16 }), { freq: 3 }) : fc.constant(null);
    return fc.tuple(ifMatch, key).map(([etag, idempotencyKey]) => {
      const headers: Record<string, string | null> = {};
      if (etag) headers['if-match'] = etag;
      if (idempotencyKey) headers['idempotency-key'] = `fuzz-${idempotencyKey}`;
      return { headers, notes: [] };
    });
  }
  type Piece = { arbitrary: fc.Arbitrary<[string, string | null]>; weight: number };
  const piece = (name: string, value: fc.Arbitrary<string>, weight = 3): Piece => ({ arbitrary: value.map((text): [string, string | null] => [name, text]), weight });
  const pieces: Piece[] = [
    piece('if-match', oddETag),
    piece('if-none-match', oddETag),
    piece('idempotency-key', oddIdempotencyKey),
    piece('x-request-id', headerText(300)),
    piece('accept', fc.oneof(headerText(100), fc.constantFrom('application/xml', 'text/html', '*/*;q=0', 'application/problem+json'))),
    piece('accept-language', headerText(100), 1),
    piece('x-csrf-token', headerText(60), 1),
    piece('x-http-method-override', fc.constantFrom('DELETE', 'PUT', 'GET', 'x'), 1),
    piece('x-forwarded-for', headerText(200), 1),
    piece('range', fc.constantFrom('bytes=0-1', 'bytes=-1', 'garbage'), 1),
    piece('content-encoding', fc.constantFrom('gzip', 'br', 'x-unknown'), 1),
    // Credentials that do not work short-circuit everything else (401): rare.
    piece('authorization', fc.constantFrom('Bearer', 'Bearer ', 'Bearer rk_nope', 'Basic YTpi', 'Bearer a b', 'Bearer ' + 'a'.repeat(6000), 'Token x'), 1),
    piece('cookie', fc.oneof(fc.constantFrom('rapport_session=garbage', 'rapport_session=', 'rapport_session=%00; rapport_csrf=x', 'a=b'), headerText(200)), 1),
  ];
  if (own.includes('idempotency-key')) pieces.push(piece('idempotency-key', oddIdempotencyKey, 9));
  if (own.includes('if-match')) pieces.push(piece('if-match', oddETag, 9));
  return fc.array(fc.oneof(...pieces), { minLength: 1, maxLength: 3 }).map((entries) => {
    const headers: Record<string, string | null> = {};
    for (const [name, value] of entries) headers[name] = value;
    // A session cookie only counts without an API key: send it alone.
    if (headers.cookie !== undefined && headers.authorization === undefined) headers.authorization = null;
    return { headers, notes: entries.map(([name]) => `odd ${name}`) };
  });
}

type Tree = unknown;

/** Paths to every node of a JSON tree (RawJson pieces are leaves), the root first. */
function nodePaths(value: Tree, limit = 200): (string | number)[][] {
  const out: (string | number)[][] = [];
  const visit = (node: Tree, path: (string | number)[]) => {
    if (out.length >= limit) return;
    out.push(path);
    if (node instanceof RawJson || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, index]));
    else for (const key of Object.keys(node)) visit((node as Record<string, unknown>)[key], [...path, key]);
  };
  visit(value, []);
  return out;
}

function clone(value: Tree): Tree {
  if (value instanceof RawJson || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(clone);
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) setOwn(copy, key, clone((value as Record<string, unknown>)[key]));
  return copy;
}

function at(root: Tree, path: (string | number)[]): Tree {
  return path.reduce<any>((node, key) => node?.[key], root);
}

type Mutation = { kind: 'wrongType'; pick: number; value: unknown } | { kind: 'extra'; pick: number; key: string; value: unknown } | { kind: 'drop'; pick: number } | { kind: 'whole'; value: unknown };

function applyMutation(root: Tree, mutation: Mutation): { root: Tree; note: string } {
  if (mutation.kind === 'whole') return { root: clone(mutation.value), note: 'body replaced by an odd JSON value' };
  const paths = nodePaths(root);
  if (mutation.kind === 'wrongType') {
    const path = paths[mutation.pick % paths.length]!;
    if (path.length === 0) return { root: clone(mutation.value), note: 'body replaced by an odd JSON value' };
    const parent = at(root, path.slice(0, -1)) as Record<string | number, unknown>;
    parent[path.at(-1)!] = clone(mutation.value);
    return { root, note: `odd value at ${path.join('.')}` };
  }
  const objects = paths.filter((path) => {
    const node = at(root, path);
    return node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof RawJson);
  });
  if (objects.length === 0) return { root, note: 'no object to change' };
  const path = objects[mutation.pick % objects.length]!;
  const target = at(root, path) as Record<string, unknown>;
  if (mutation.kind === 'extra') {
    setOwn(target, mutation.key, clone(mutation.value));
    return { root, note: `extra property ${JSON.stringify(mutation.key.slice(0, 40))} at ${path.join('.') || '(body)'}` };
  }
  const keys = Object.keys(target);
  if (keys.length === 0) return { root, note: 'no property to drop' };
  const key = keys[mutation.pick % keys.length]!;
  delete target[key];
  return { root, note: `dropped ${[...path, key].join('.')}` };
}

function mutationArbitrary(knownKeys: string[], maxLong: number, maxDepth: number): fc.Arbitrary<Mutation> {
  const value = oddValue(maxLong, maxDepth);
  const key = fc.oneof({ arbitrary: fc.constantFrom(...RESERVED_NAMES, ...knownKeys.map((name) => name.toUpperCase()), 'nope', 'a'.repeat(5000)), weight: 3 }, { arbitrary: oddString(100), weight: 2 });
  return fc.oneof(
    { arbitrary: fc.record({ kind: fc.constant('wrongType' as const), pick: fc.nat(), value }), weight: 5 },
    { arbitrary: fc.record({ kind: fc.constant('extra' as const), pick: fc.nat(), key, value: fc.oneof(value, fc.jsonValue({ maxDepth: 1 })) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('whole' as const), value }), weight: 1 },
  );
}

/** The valid body of an operation: from its schema, with a sensible filter for `/query`. */
function validBody(operation: Operation, context: FuzzContext): fc.Arbitrary<unknown> {
  const object = recordObjectOf(operation.template);
  if (object && operation.template.endsWith('/query')) {
    const fields = context.fieldPaths(object);
    return fc.record(
      {
        filter: filterArbitrary(fields, MAX_BODY_STRING, MAX_BODY_DEPTH),
        sort: sortArbitrary(fields),
        limit: fc.integer({ min: 1, max: 500 }),
        cursor: cursorArbitrary(undefined),
        fields: fc.array(fc.constantFrom(...fields), { maxLength: 4 }),
        expand: fc.array(fc.constantFrom(...fields), { maxLength: 2 }),
      },
      { requiredKeys: [] },
    );
  }
  if (operation.body && operation.template.startsWith('/api/v1/views')) {
    // Saved views: real objects and their fields, so that odd filters and sorts reach the list's checks.
    const view = (name: string) => {
      const fields = context.fieldPaths(name);
      const names = fields.filter((path) => !path.includes('.'));
      return fc.record(
        {
          name: fc.constantFrom('A view', 'Board'),
          columns: fc.oneof(fc.subarray(names, { maxLength: 6 }), fc.array(fc.constantFrom(...fields, ...RESERVED_NAMES), { maxLength: 4 })),
          filter: fc.oneof(fc.constant(null), fc.constant({ field: 'id', op: 'isNull', value: false }), filterArbitrary(fields, MAX_BODY_STRING, MAX_BODY_DEPTH)),
          sort: fc.oneof(fc.constant(null), fc.constantFrom('-createdAt', 'updatedAt,-createdAt'), sortArbitrary(fields)),
          groupBy: fc.constantFrom(null, 'stage', ...names),
          visibility: fc.constantFrom('private', 'workspace', 'team'),
        },
        { requiredKeys: [] },
      );
    };
    if (operation.method === 'POST') return fc.constantFrom('company', 'person', 'fuzzThing').chain((name) => view(name).map((body) => ({ object: name, name: 'A view', ...body })));
    return view('fuzzThing');
  }
  if (object && operation.body) {
    // Record bodies: valid values where the fixtures know them, so that one odd value gets as far as the database.
    const input = context.resolver.resolve(operation.body, []).schema;
    const recordSchema = context.resolver.resolve({ $ref: `#/components/schemas/${object.charAt(0).toUpperCase()}${object.slice(1)}Input` }, []).schema;
    const record = (required: string[]) => {
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries<Record<string, unknown>>(recordSchema.properties ?? {})) model[name] = context.resolver.valid(property);
      Object.assign(model, context.goodValues(object));
      return fc.record(model, { requiredKeys: required.filter((name) => name in model) });
    };
    if (operation.template.endsWith('/batch')) {
      return fc.record(
        {
          operation: fc.constantFrom('create', 'update', 'upsert'),
          records: fc.array(record([]), { minLength: 1, maxLength: 3 }),
          matchOn: fc.constantFrom(...context.fieldPaths(object).filter((path) => !path.includes('.'))),
        },
        { requiredKeys: ['operation', 'records'] },
      );
    }
    return record(operation.method === 'POST' ? ((input.required as string[] | undefined) ?? []) : []);
  }
  return operation.body ? context.resolver.valid(operation.body) : fc.constant({});
}

interface BodyPart {
  body?: string | Uint8Array;
  contentType?: string | null;
  notes: string[];
}

function bodyArbitrary(operation: Operation, context: FuzzContext, faults: string[]): fc.Arbitrary<BodyPart> {
  if (operation.method === 'GET' || operation.method === 'HEAD') return fc.constant({ notes: [] });
  const known = operation.body ? context.resolver.propertyNames(operation.body) : [];
  const valid = validBody(operation, context);
  const jsonBody = (value: unknown) => serialize(value);
  if (faults.includes('notJson')) {
    return fc.tuple(notJson, fc.oneof({ arbitrary: fc.constant<string | null>('application/json'), weight: 4 }, { arbitrary: wrongContentType, weight: 1 })).map(([body, contentType]) => ({ body, contentType, notes: ['body is not JSON'] }));
  }
  if (faults.includes('contentType')) {
    const body = fc.oneof(valid.map(jsonBody), fc.constantFrom('name=x', ''), notJson);
    return fc.tuple(body, wrongContentType).map(([text, contentType]) => ({ body: text, contentType, notes: [`content type ${JSON.stringify(contentType)}`] }));
  }
  if (faults.includes('body')) {
    return fc.tuple(valid, fc.array(mutationArbitrary(known, MAX_BODY_STRING, MAX_BODY_DEPTH), { minLength: 1, maxLength: 3 })).map(([value, mutations]) => {
      let root = clone(value);
      const notes: string[] = [];
      for (const mutation of mutations) {
        const result = applyMutation(root, mutation);
        root = result.root;
        notes.push(result.note);
      }
      return { body: jsonBody(root), contentType: 'application/json', notes };
    });
  }
  if (faults.includes('noBody')) return fc.constant({ notes: ['no body'] });
  if (!operation.body) return fc.constant({ notes: [] });
  return valid.map((value) => ({ body: jsonBody(value), contentType: 'application/json', notes: [] }));
}

/** The kinds of fault that apply to an operation. */
export function faultKinds(operation: Operation): string[] {
  const kinds = ['query', 'headers'];
  if (/\{\w+\}/.test(operation.template)) kinds.push('path', 'path');
  if (operation.method !== 'GET' && operation.method !== 'HEAD') {
    kinds.push('notJson', 'contentType');
    if (operation.body) kinds.push('body', 'body', 'body', 'noBody');
  }
  return kinds;
}

export function requestArbitrary(operation: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const kinds = faultKinds(operation);
  return fc
    .oneof({ arbitrary: fc.constant(1), weight: 4 }, { arbitrary: fc.constant(2), weight: 2 }, { arbitrary: fc.constant(3), weight: 1 })
    .chain((count) => fc.uniqueArray(fc.nat({ max: kinds.length - 1 }), { minLength: 1, maxLength: count }))
    .map((indexes) => [...new Set(indexes.map((index) => kinds[index]!))])
    .chain((faults) =>
      fc.record({
        faults: fc.constant(faults),
        path: pathArbitrary(operation, context, faults.includes('path')),
        query: queryArbitrary(operation, context, faults.includes('query')),
        headers: headersArbitrary(operation, faults.includes('headers')),
        body: bodyArbitrary(operation, context, faults),
      }),
    )
    .map(({ path, query, headers, body }) => {
      const all = { ...headers.headers };
      if (body.contentType !== undefined && body.contentType !== null) all['content-type'] = body.contentType;
      return {
        method: operation.method,
        target: query.query ? `${path.path}?${query.query}` : path.path,
        headers: all,
        body: body.body,
        faults: [...path.notes, ...query.notes, ...headers.notes, ...body.notes],
      };
    });
}

/**
 * Node's HTTP parser answers 431 by itself, with no body, to a request head over 16 KiB (before
 * any application code runs): such requests are skipped.
 */
export function headFits(request: FuzzRequest): boolean {
  const size = request.target.length + Object.entries(request.headers).reduce((total, [name, value]) => total + name.length + (value?.length ?? 0) + 4, 0);
  return size < 14 * 1024;
}

/** The request as a failure message shows it: long bodies and values cut. */
export function describeRequest(request: FuzzRequest): string {
  const cut = (text: string, max = 600) => (text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text);
  const body =
    request.body === undefined
      ? '(none)'
      : typeof request.body === 'string'
        ? JSON.stringify(cut(request.body))
        : `bytes ${Buffer.from(request.body).toString('hex').slice(0, 200)} (${request.body.length} bytes)`;
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `  ${name}: ${value === null ? '(removed)' : cut(value, 200)}`)
    .join('\n');
  return [`${request.method} ${cut(request.target, 800)}`, headers || '  (no extra headers)', `  body: ${body}`, `  faults: ${request.faults.join('; ') || '(none)'}`].join('\n');
}
