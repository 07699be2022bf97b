/** One reason a request was refused, attached to the field it concerns. */
export interface FieldProblem {
  field: string;
  code: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  slug: string;
  title: string;
  detail?: string;
  errors?: FieldProblem[];
  headers?: Record<string, string>;
  extensions?: Record<string, unknown>;
}

export const PROBLEM_BASE = 'https://rapport.dev/problems/';
const PROBLEM_BRAND = Symbol.for('rapport.problem');

/**
 * An RFC 9457 problem. Everything the core refuses is thrown as one of these, so that every
 * path (REST, CLI, plugins, jobs) reports the same stable `type` and per-field details.
 */
export class ProblemError extends Error {
  /**
   * Problems are recognised by a registry-wide symbol, not by class identity: the shipped server is a
   * bundle with its own copy of this class, while plugins load theirs (through @rapport/sdk) from
   * their package — `instanceof` alone made every plugin refusal a 500 in production.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PROBLEM_BRAND] === true;
  }

  readonly [PROBLEM_BRAND] = true;
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldProblem[];
  readonly headers?: Record<string, string>;
  readonly extensions?: Record<string, unknown>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.status = init.status;
    this.type = PROBLEM_BASE + init.slug;
    this.title = init.title;
    this.detail = init.detail;
    this.errors = init.errors;
    this.headers = init.headers;
    this.extensions = init.extensions;
  }

  toJSON(instance?: string) {
    return {
      type: this.type,
      title: this.title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...(instance ? { instance } : {}),
      ...(this.errors ? { errors: this.errors } : {}),
      ...this.extensions,
    };
  }
}

export const problems = {
  validation: (errors: FieldProblem[], detail?: string) =>
    new ProblemError({
      status: 422,
      slug: 'validation',
      title: 'The request is not valid',
      detail: detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    }),
  badRequest: (detail: string, errors?: FieldProblem[]) =>
    new ProblemError({ status: 400, slug: 'bad-request', title: 'Bad request', detail, errors }),
  unauthenticated: (detail = 'Sign in, or send an API key as "Authorization: Bearer <key>"') =>
    new ProblemError({ status: 401, slug: 'unauthenticated', title: 'Authentication required', detail }),
  forbidden: (detail: string) => new ProblemError({ status: 403, slug: 'forbidden', title: 'Forbidden', detail }),
  notFound: (detail: string) => new ProblemError({ status: 404, slug: 'not-found', title: 'Not found', detail }),
  conflict: (detail: string, errors?: FieldProblem[]) =>
    new ProblemError({ status: 409, slug: 'conflict', title: 'Conflict', detail, errors }),
  uniqueViolation: (field: string, detail: string) =>
    new ProblemError({
      status: 409,
      slug: 'unique-violation',
      title: 'A value must be unique',
      detail,
      errors: [{ field, code: 'unique', message: detail }],
    }),
  preconditionFailed: (detail: string) =>
    new ProblemError({ status: 412, slug: 'precondition-failed', title: 'The record has changed', detail }),
  preconditionRequired: (detail: string) =>
    new ProblemError({ status: 428, slug: 'precondition-required', title: 'Precondition required', detail }),
  idempotencyMismatch: () =>
    new ProblemError({
      status: 422,
      slug: 'idempotency-key-reused',
      title: 'Idempotency-Key reused with another request',
      detail: 'This Idempotency-Key was already used with a different request; use a new key for a new request',
    }),
  payloadTooLarge: (limit: number) =>
    new ProblemError({
      status: 413,
      slug: 'payload-too-large',
      title: 'Request body too large',
      detail: `The body is over ${limit} bytes`,
    }),
  dependency: (detail: string) =>
    new ProblemError({ status: 409, slug: 'dependency', title: 'Something depends on this', detail }),
};
