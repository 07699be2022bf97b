import createFetchClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type { components, operations, paths } from './schema';
export type { Middleware } from 'openapi-fetch';

/** An RFC 9457 problem, as the server sends it (`application/problem+json`). */
export type Problem = components['schemas']['Problem'];
/** One refused field of a problem: `{ field, code, message }`. */
export type FieldProblem = NonNullable<Problem['errors']>[number];
export type PageInfo = components['schemas']['PageInfo'];
export type TimelineEntry = components['schemas']['TimelineEntry'];

/** The error `unwrap` and the records helper throw for every answer that is not a success. */
export class ApiProblem extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** The stable problem type, e.g. `https://rapport.dev/problems/validation` (`about:blank` if the answer was no problem). */
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly instance?: string;
  /** One entry per refused field (empty when the problem is not about fields). */
  readonly errors: FieldProblem[];
  /** The body as received (the problem, or the text of an answer that was no problem). */
  readonly body: unknown;

  constructor(status: number, body: unknown, statusText = '') {
    const problem = isProblem(body) ? body : undefined;
    const detail = problem?.detail ?? (typeof body === 'string' && body ? body.slice(0, 500) : undefined);
    const title = problem?.title ?? (statusText || `HTTP ${status}`);
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiProblem';
    this.status = problem?.status ?? status;
    this.type = problem?.type ?? 'about:blank';
    this.title = title;
    this.detail = detail;
    this.instance = problem?.instance;
    this.errors = problem?.errors ?? [];
    this.body = body;
  }

  /** The problem of one field, if the server named it. */
  field(name: string): FieldProblem | undefined {
    return this.errors.find((error) => error.field === name);
  }

  /** The problem type's last segment: `validation`, `not-found`, `precondition-failed`… */
  get slug(): string {
    return this.type.slice(this.type.lastIndexOf('/') + 1);
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && typeof (body as Problem).type === 'string' && typeof (body as Problem).status === 'number';
}

interface AnyResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The `data` of a success; `undefined` for answers without a body (204). */
export type Unwrapped<R extends AnyResult> = [Exclude<R['data'], undefined>] extends [never] ? undefined : Exclude<R['data'], undefined>;

/**
 * The data of an answer, or an `ApiProblem` thrown for an error answer:
 * `const company = await unwrap(client.POST('/api/v1/records/company', { body: { name: 'Acme' } }))`.
 */
export async function unwrap<R extends AnyResult>(result: R | Promise<R>): Promise<Unwrapped<R>> {
  const { data, error, response } = await result;
  if (!response.ok) throw new ApiProblem(response.status, error, response.statusText);
  return data as Unwrapped<R>;
}

/** A record of any object: the system fields, then whatever fields the object has. */
export type ApiRecord = { id: string; createdAt: string; updatedAt: string } & Record<string, unknown>;
/** What a create or a patch of any object takes. */
export type RecordInput = Record<string, unknown>;

export interface Page<T> {
  data: T[];
  pageInfo: PageInfo;
}

/** A filter: `{ and: [{ field: 'employees', op: 'gte', value: 10 }] }` (see docs/api.md). */
export type Filter = Record<string, unknown>;

export interface ListQuery {
  /** An object (sent as JSON) or its JSON text. */
  filter?: Filter | string;
  /** Comma-separated fields, "-" for descending: `-createdAt`. */
  sort?: string;
  limit?: number;
  cursor?: string;
  fields?: string[];
  expand?: string[];
  /** `'only'` lists the trash. */
  deleted?: 'only';
}

export interface BatchAnswer<T> {
  data: T[];
  actions: ('created' | 'updated')[];
}

/** The operations of `/api/v1/records/{object}` for any object, custom ones included. */
export interface RecordsClient<T extends Record<string, unknown> = ApiRecord> {
  list(query?: ListQuery): Promise<Page<T>>;
  /** List with the filter in the body (for filters too long for a URL). */
  query(body: Omit<ListQuery, 'filter' | 'deleted'> & { filter?: Filter }): Promise<Page<T>>;
  get(id: string, options?: { fields?: string[]; expand?: string[] }): Promise<T>;
  create(record: RecordInput, options?: { idempotencyKey?: string }): Promise<T>;
  /** With `ifMatch` (an ETag, or a version number), refused with 412 when the record changed since. */
  update(id: string, patch: RecordInput, options?: { ifMatch?: string | number }): Promise<T>;
  delete(id: string, options?: { ifMatch?: string | number }): Promise<void>;
  restore(id: string): Promise<T>;
  batch(body: { operation: 'create' | 'update' | 'upsert'; records: RecordInput[]; matchOn?: string }, options?: { idempotencyKey?: string }): Promise<BatchAnswer<T>>;
  timeline(id: string, query?: { limit?: number; cursor?: string }): Promise<Page<TimelineEntry>>;
}

export interface ClientOptions {
  /** Where the server is, e.g. `http://localhost:3000` (the paths carry `/api/v1`). */
  baseUrl: string;
  /** An API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** A fetch of your own (tests, proxies, retries); the global one otherwise. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

export type RapportClient = Client<paths> & {
  /** The records of any object by its API name, e.g. a custom object: `client.records('engagement')`. */
  records<T extends Record<string, unknown> = ApiRecord>(object: string): RecordsClient<T>;
};

/** What the records helper needs of openapi-fetch, whose typed methods only know the objects declared in code. */
interface UntypedRequest {
  request(
    method: string,
    url: string,
    init?: { params?: { path?: Record<string, string>; query?: Record<string, unknown>; header?: Record<string, string | undefined> }; body?: unknown },
  ): Promise<AnyResult>;
}

const joined = (values: string[] | undefined) => (values?.length ? values.join(',') : undefined);
const etag = (value: string | number | undefined) => (value === undefined ? undefined : typeof value === 'number' ? `"${value}"` : value);

function recordsClient<T extends Record<string, unknown>>(client: UntypedRequest, object: string): RecordsClient<T> {
  const base = '/api/v1/records/{object}';
  const call = async <R>(method: string, suffix: string, init: Parameters<UntypedRequest['request']>[2] & { id?: string } = {}) => {
    const { id, params, ...rest } = init;
    const path = { object, ...(id !== undefined ? { id } : {}) };
    return (await unwrap(client.request(method, base + suffix, { ...rest, params: { ...params, path } }))) as R;
  };
  return {
    list: (query = {}) =>
      call('get', '', {
        params: {
          query: {
            filter: typeof query.filter === 'object' ? JSON.stringify(query.filter) : query.filter,
            sort: query.sort,
            limit: query.limit,
            cursor: query.cursor,
            fields: joined(query.fields),
            expand: joined(query.expand),
            deleted: query.deleted,
          },
        },
      }),
    query: (body) => call('post', '/query', { body }),
    get: (id, options = {}) => call('get', '/{id}', { id, params: { query: { fields: joined(options.fields), expand: joined(options.expand) } } }),
    create: (record, options = {}) => call('post', '', { body: record, params: { header: { 'Idempotency-Key': options.idempotencyKey } } }),
    update: (id, patch, options = {}) => call('patch', '/{id}', { id, body: patch, params: { header: { 'If-Match': etag(options.ifMatch) } } }),
    delete: (id, options = {}) => call('delete', '/{id}', { id, params: { header: { 'If-Match': etag(options.ifMatch) } } }),
    restore: (id) => call('post', '/{id}/restore', { id }),
    batch: (body, options = {}) => call('post', '/batch', { body, params: { header: { 'Idempotency-Key': options.idempotencyKey } } }),
    timeline: (id, query = {}) => call('get', '/{id}/timeline', { id, params: { query } }),
  };
}

/**
 * A typed client of the Rapport API: `client.GET('/api/v1/records/company', { params: { query: { limit: 10 } } })`
 * answers `{ data, error, response }` typed from the OpenAPI document; wrap a call in `unwrap()` to get the
 * data or an `ApiProblem` thrown. Custom objects (known only at run time) go through `client.records(name)`.
 */
export function createClient(options: ClientOptions): RapportClient {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  const client = createFetchClient<paths>({ baseUrl: options.baseUrl, headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  return Object.assign(client, {
    records: <T extends Record<string, unknown> = ApiRecord>(object: string) => recordsClient<T>(client as unknown as UntypedRequest, object),
  });
}

/** A middleware that throws `ApiProblem` for every error answer, for callers who prefer exceptions everywhere. */
export const throwOnProblem: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: the text stays the body */
    }
    throw new ApiProblem(response.status, body, response.statusText);
  },
};
