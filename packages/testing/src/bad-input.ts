/*
 * Garbage to every route of a plugin, found in the OpenAPI document (where every route a plugin
 * registers is listed while it is enabled): what a serious API must answer with a 4xx problem, never
 * a 5xx. The core's fuzz covers the core's operations; this reaches a plugin's own routes, a
 * third party's included.
 */

/** Values every path parameter gets: the ways a client or an attacker gets an id or a name wrong. */
const PARAMS = ['x', '00000000-0000-0000-0000-000000000000', '%00', "'", 'a'.repeat(300), '__proto__'];
const QUERIES = ['', '?limit=-1&status=zz', '?limit=1e9&cursor=%00', '?days=-5&from=zz&to=2026-13-45', '?filter=%7B&sort=%00&fields=a,%00', '?object=nothing&fileName=..%2F..%2Fx', '?lang=zz&format=zz&q=%25%27%22'];
const BODIES: (string | undefined)[] = [
  undefined,
  'null',
  '[]',
  '"x"',
  '{}',
  '{"a":1}',
  'not json',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}',
  `{"name":"${'é'.repeat(5000)}","id":"${'漢'.repeat(1000)}"}`,
  '{"id":"00000000-0000-0000-0000-000000000000","ids":[],"values":[],"enabled":"yes"}',
  '{"limit":-1e309,"amount":1e400,"date":"2026-02-30","at":"yesterday"}',
  '{"filter":{"field":"nope","op":"eq","value":1},"fields":["nope"],"object":"nothing"}',
];

/** Path parameters bound to more values than this are tried in this many combinations, not all. */
const MAX_COMBINATIONS = 64;

export interface BadInputOptions {
  /**
   * Values tried for a path parameter beside the wrong ones, by its name (`object`, `id`…): a real
   * id, so that a route gets past its lookup to its parsing.
   */
  params?: Record<string, string[]>;
  /** Bodies tried beside the generic ones: the shapes the plugin's own routes take, made wrong. */
  bodies?: string[];
  /** Query strings tried beside the generic ones (`?a=1&b=2`). */
  queries?: string[];
  /** Routes left out (`DELETE /items/{id}`, as the OpenAPI document writes them after the plugin's prefix). */
  skip?: string[];
}

export interface BadInputReport {
  routes: number;
  sent: number;
  /** The answers that were a 5xx, or a 4xx that is not `application/problem+json`: empty when all is well. */
  wrong: string[];
}

type Requester = { request(path: string, init?: RequestInit): Promise<Response> };
type Operation = { summary?: string };

/**
 * Sends garbage in the path, query and body to every route the plugin has, as the caller of
 * `host.request` (an admin: the most code runs), one request at a time. Each query and each body is
 * sent once per route and parameter combination, which reaches every parser without trying every
 * product. Expect `wrong` to be empty.
 */
export async function sendBadInput(host: Requester, pluginId: string, options: BadInputOptions = {}): Promise<BadInputReport> {
  const document = (await (await host.request('/api/v1/openapi.json')).json()) as { paths: Record<string, Record<string, Operation>> };
  const prefix = `/api/v1/plugins/${pluginId}`;
  const hostRoutes = /^\/(enable|disable|upgrade|uninstall|purge|settings|secrets|health|commands)(\/|$)/;
  const routes = Object.entries(document.paths)
    .filter(([path]) => path.startsWith(`${prefix}/`) && !hostRoutes.test(path.slice(prefix.length)))
    .flatMap(([path, operations]) => Object.keys(operations).map((method) => ({ method: method.toUpperCase(), path: path.slice(prefix.length) })))
    .filter((route) => !(options.skip ?? []).includes(`${route.method} ${route.path}`));
  const queries = [...QUERIES, ...(options.queries ?? [])];
  const bodies = [...BODIES, ...(options.bodies ?? [])];
  const wrong: string[] = [];
  let sent = 0;
  for (const route of routes) {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
    const withBody = route.method !== 'GET' && route.method !== 'DELETE';
    for (const values of combinations(names.map((name) => [...(options.params?.[name] ?? []), ...PARAMS]))) {
      const url = names.reduce((path, name, index) => path.replace(`{${name}}`, encodeURIComponent(values[index]!)), `${prefix}${route.path}`);
      const cases = withBody ? bodies.map((body, index) => ({ query: queries[index % queries.length]!, body })) : queries.map((query) => ({ query, body: undefined }));
      for (const { query, body } of cases) {
        sent++;
        const response = await host.request(`${url}${query}`, { method: route.method, ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }) });
        const type = response.headers.get('content-type') ?? '';
        if (response.status >= 500 || (response.status >= 400 && !type.includes('application/problem+json'))) {
          wrong.push(`${response.status} ${route.method} ${url.slice(0, 120)}${query} ${String(body).slice(0, 60)}: ${(await response.text()).slice(0, 200)}`);
        } else await response.arrayBuffer();
      }
    }
  }
  return { routes: routes.length, sent, wrong };
}

/** Every combination of the values when they are few; else each value of each list at least once, the given ones first. */
function combinations(lists: string[][]): string[][] {
  if (lists.length === 0) return [[]];
  const total = lists.reduce((product, list) => product * list.length, 1);
  if (total <= MAX_COMBINATIONS) return lists.reduce<string[][]>((done, list) => done.flatMap((prefix) => list.map((value) => [...prefix, value])), [[]]);
  const longest = Math.max(...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, index) => lists.map((list) => list[index % list.length]!));
}
