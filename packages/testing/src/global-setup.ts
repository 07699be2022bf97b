import type { TestProject } from 'vitest/node';
import type { DriverName } from '@rapport/db';
import { postgresReachable, prepareTemplate, removeRunDatabases } from './test-database';

/**
 * vitest globalSetup of the database projects: one migrated template per run and driver. On a
 * machine without Postgres the Postgres project is skipped, and the test script reports it (in CI
 * that is a failure, not a pass).
 */
export default async function setup(project: TestProject) {
  // Runs in the main process, where the project's `env` is not applied: the project's name says the driver.
  const driver: DriverName = project.name === 'postgres' ? 'postgres' : 'pglite';
  if (driver === 'postgres' && !(await postgresReachable())) {
    project.provide('postgresMissing', true);
    return;
  }
  project.provide('postgresMissing', false);
  await prepareTemplate(driver);
  return async () => {
    await removeRunDatabases(driver);
  };
}
