import { ApiProblem, createClient, type Middleware } from '@rapport/client';

export { ApiProblem, unwrap } from '@rapport/client';
export type { ApiRecord, components } from '@rapport/client';

/** The CSRF token the server put in a readable cookie at sign-in; every non-GET request sends it back. */
export function csrfToken(): string | undefined {
  return document.cookie.match(/(?:^|;\s*)rapport_csrf=([^;]+)/)?.[1];
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = csrfToken();
      if (token) request.headers.set('x-csrf-token', decodeURIComponent(token));
    }
    return request;
  },
};

/** Told when the server says the session is gone (401), so the shell goes back to sign-in. */
let onUnauthorized: () => void = () => undefined;
export const setUnauthorizedHandler = (handler: () => void) => {
  onUnauthorized = handler;
};
const sessionWatch: Middleware = {
  onResponse({ response, request }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith('/api/v1/auth/')) onUnauthorized();
    return response;
  },
};

export const api = createClient({ baseUrl: window.location.origin });
api.use(csrf, sessionWatch);

/** Same-origin fetch with the CSRF header (what plugins get through the SDK). */
export function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  const token = csrfToken();
  if (method !== 'GET' && method !== 'HEAD' && token) headers.set('x-csrf-token', decodeURIComponent(token));
  return fetch(path, { ...init, headers, credentials: 'same-origin' });
}

/** A network failure (no answer at all), as opposed to a problem the server answered. */
export const isNetworkError = (error: unknown) => error instanceof TypeError && !(error instanceof ApiProblem);

/** The message of one field's problem, for the form that shows it under that field. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  const errors: Record<string, string> = {};
  for (const problem of error.errors) {
    const field = problem.field.split('.')[0] ?? problem.field;
    errors[field] ??= problem.message;
  }
  return errors;
}
