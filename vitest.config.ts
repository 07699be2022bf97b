import { defineConfig } from 'vitest/config';

const runId = process.env.RAPPORT_TEST_RUN ?? `${Date.now().toString(36)}${process.pid}`;
process.env.RAPPORT_TEST_RUN = runId;

const databaseTests = ['{apps,packages,plugins,tooling}/*/{src,test}/**/*.db.test.ts'];

/*
 * Unit tests run once; database tests (`*.db.test.ts`) run twice: on PGlite, and on the
 * Postgres server when one answers.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{apps,packages,plugins,tooling}/*/{src,test}/**/*.test.ts'],
          exclude: [...databaseTests, '**/node_modules/**'],
        },
      },
      ...(['pglite', 'postgres'] as const).map((driver) => ({
        test: {
          name: driver,
          include: databaseTests,
          exclude: ['**/node_modules/**'],
          env: { RAPPORT_TEST_DB: driver, RAPPORT_TEST_RUN: runId },
          globalSetup: ['packages/testing/src/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      })),
    ],
  },
});
