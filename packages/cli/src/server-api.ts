import { CliError, problemMessage, UsageError } from './errors';
import type { Io } from './io';

export interface ServerApiOptions {
  url?: string;
  apiKey?: string;
}

/**
 * The running server, for commands that act through its API as an API key's user (`rapport import`,
 * plugins' commands): RAPPORT_URL (else http://localhost:$PORT) and RAPPORT_API_KEY, or the options.
 * A refusal becomes the one line of its problem.
 */
export function serverApi(io: Io, options: ServerApiOptions = {}) {
  const base = (options.url ?? io.env.RAPPORT_URL ?? `http://localhost:${io.env.PORT ?? 3000}`).replace(/\/$/, '');
  const key = options.apiKey ?? io.env.RAPPORT_API_KEY;
  if (!key) throw new UsageError('an API key is needed: set RAPPORT_API_KEY (rapport api-key create) or pass --api-key');
  return {
    base,
    /** The raw answer (a file to save), with the key. */
    fetch: (pathname: string) => fetch(`${base}${pathname}`, { headers: { authorization: `Bearer ${key}` } }),
    async call<T>(pathname: string, init: RequestInit = {}, notFound?: (problem: { detail?: string }) => string | undefined): Promise<T> {
      let response: Response;
      try {
        response = await fetch(`${base}${pathname}`, { ...init, headers: { authorization: `Bearer ${key}`, ...(init.headers as Record<string, string>) } });
      } catch (error) {
        throw new CliError(`cannot reach the server at ${base} (${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}): start it, or set RAPPORT_URL`);
      }
      if (!response.ok) {
        const problem = (await response.json().catch(() => ({ title: `HTTP ${response.status}` }))) as { detail?: string };
        throw new CliError((response.status === 404 && notFound?.(problem)) || problemMessage(problem));
      }
      return (response.status === 204 ? undefined : await response.json()) as T;
    },
  };
}
