import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { ProblemError, problems, zodIssuesToProblems } from '@rapport/core';
import type { AppEnv } from './context';

export function problemResponse(c: Context, problem: ProblemError, extraHeaders: Record<string, string> = {}): Response {
  const headers = new Headers({ 'content-type': 'application/problem+json', ...(problem.headers ?? {}), ...extraHeaders });
  return new Response(JSON.stringify(problem.toJSON(new URL(c.req.url).pathname)), { status: problem.status, headers });
}

/** Postgres errors that can only come from what the client sent, should a check upstream miss one. */
function fromDatabaseError(error: unknown): ProblemError | null {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  if (typeof code !== 'string') return null;
  if (code === '23505') return problems.conflict('A value that must be unique is already used');
  if (code === '23503') return problems.validation([{ field: '(body)', code: 'relation_not_found', message: 'refers to a record that does not exist' }]);
  if (code === '40001' || code === '40P01') return problems.conflict('The request collided with another one: retry it');
  if (code.startsWith('22')) return problems.badRequest('A value in the request is out of range or malformed');
  return null;
}

export function onError(error: Error, c: Context<AppEnv>): Response {
  if (error instanceof ProblemError) return problemResponse(c, error);
  if (error instanceof HTTPException) {
    const status = error.status;
    return problemResponse(c, new ProblemError({ status, slug: status === 400 ? 'bad-request' : 'http-error', title: error.message || 'Request refused' }));
  }
  const mapped = fromDatabaseError(error);
  if (mapped) return problemResponse(c, mapped);
  c.get('log')?.error({ err: error, path: c.req.path }, 'unhandled error');
  return problemResponse(c, new ProblemError({ status: 500, slug: 'internal', title: 'Internal server error', detail: 'Something went wrong on our side; it has been logged' }));
}

export function notFound(c: Context<AppEnv>): Response {
  return problemResponse(c, problems.notFound(`No route for ${c.req.method} ${new URL(c.req.url).pathname}`));
}

/** Hook of @hono/zod-openapi validators: a refused parameter or body becomes a problem naming the field. */
export function validationHook(result: { success: boolean; error?: ZodError; target: string }, c: Context<AppEnv>): Response | undefined {
  if (result.success) return undefined;
  const prefix = result.target === 'json' ? undefined : result.target;
  const errors = zodIssuesToProblems(result.error!.issues, prefix);
  const problem = result.target === 'json' ? problems.validation(errors) : problems.badRequest(errors.map((error) => `${error.field}: ${error.message}`).join('; '), errors);
  return problemResponse(c, problem);
}
