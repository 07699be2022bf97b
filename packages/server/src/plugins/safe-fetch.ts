import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch as undiciFetch } from 'undici';

/** What `ctx.fetch` refused, and why: the plugin's bug or its configuration, never the caller's. */
export class FetchRefused extends Error {
  override name = 'FetchRefused';
}

export interface SafeFetchOptions {
  /** The manifest's `fetch.hosts`: exact names, or `*.example.com` for subdomains (`*`, any public host, is for webhooks only). */
  hosts: readonly string[];
  /** Hosts that may resolve inside the server's network (RAPPORT_PLUGIN_FETCH_PRIVATE_HOSTS): an internal service the admin trusts. */
  privateHosts: readonly string[];
  timeoutMs?: number;
  maxRedirects?: number;
}

export function hostMatches(host: string, patterns: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return patterns.some((pattern) => pattern === '*' || (pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) && name.length > pattern.length - 1 : name === pattern));
}

/** Only addresses on the public internet: not loopback, private, link-local (cloud metadata), multicast… */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * The fetch a plugin gets: to the hosts its manifest names, never to an address inside the server's
 * network (checked on the address actually connected to, so a DNS answer that changes between check
 * and connection cannot slip through), redirects followed by hand and checked again, and a time limit.
 */
export function createSafeFetch(pluginId: string, options: SafeFetchOptions): typeof fetch {
  const refuse = (reason: string) => new FetchRefused(`ctx.fetch of plugin ${pluginId} refused: ${reason}`);
  // Every connection resolves its name here: private answers are refused unless the admin allowed that host.
  const lookup = (hostname: string, lookupOptions: dns.LookupOptions, callback: LookupCallback) => {
    dns.lookup(hostname, { ...lookupOptions, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as dns.LookupAddress[];
      const inside = list.find((entry) => !isPublicAddress(entry.address));
      if (inside && !hostMatches(hostname, options.privateHosts)) return callback(refuse(`${hostname} resolves to ${inside.address}, inside the server's network`), []);
      if (lookupOptions.all) return callback(null, list);
      return callback(null, list[0]!.address, list[0]!.family);
    });
  };
  const agent = new Agent({ connect: { lookup: lookup as never }, headersTimeout: options.timeoutMs ?? 10_000, bodyTimeout: options.timeoutMs ?? 10_000 });

  const check = (url: URL) => {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse(`${url.protocol} URLs are not allowed`);
    if (url.username || url.password) throw refuse('credentials in URLs are not allowed (send a header)');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!hostMatches(host, options.hosts)) throw refuse(`${host} is not among the hosts its manifest declares (fetch.hosts)`);
    // Addresses written out are not looked up: check them here.
    if (net.isIP(host) && !isPublicAddress(host) && !hostMatches(host, options.privateHosts)) throw refuse(`${host} is inside the server's network`);
  };

  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    if (input instanceof Request) throw refuse('pass a URL and options, not a Request');
    let url = new URL(String(input));
    let request = { ...init };
    const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs ?? 10_000), ...(init.signal ? [init.signal] : [])]);
    for (let hop = 0; ; hop++) {
      check(url);
      const response = await undiciFetch(url, { ...(request as object), redirect: 'manual', signal, dispatcher: agent } as never).catch((error: Error) => {
        // A refusal at connection time comes wrapped in undici's "fetch failed": say what it was.
        throw error.cause instanceof FetchRefused ? error.cause : error;
      });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location || init.redirect === 'manual') return response as unknown as Response;
      if (init.redirect === 'error') throw refuse(`${url.host} answered a redirect`);
      if (hop >= (options.maxRedirects ?? 5)) throw refuse('too many redirects');
      await response.body?.cancel();
      const next = new URL(location, url);
      // Credentials meant for one host are not handed to another.
      if (next.host !== url.host && request.headers) {
        const headers = new Headers(request.headers);
        headers.delete('authorization');
        headers.delete('cookie');
        request = { ...request, headers };
      }
      url = next;
      // As browsers do: a 303, or a 301/302 after a POST, becomes a GET without a body.
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && request.method && request.method.toUpperCase() === 'POST')) request = { ...request, method: 'GET', body: undefined };
    }
  }) as typeof fetch;
}
