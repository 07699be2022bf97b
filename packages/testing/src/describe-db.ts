import { describe, inject } from 'vitest';

// Declared beside its one reader, so that a plugin type-checking only what it imports sees it too.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the global setup: the PostgreSQL project found no server. */
    postgresMissing: boolean;
  }
}

/**
 * `describe` for database tests: skipped when the Postgres project finds no server (the test
 * script then says so, and fails in CI). Decided when the suite is collected, so that importing
 * this package outside vitest is harmless.
 */
export function describeDb(name: string, body: () => void): void {
  (inject('postgresMissing') ? describe.skip : describe)(name, body);
}
