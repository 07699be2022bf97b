import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { type Database, type DriverName, migrate, type MigrationSource, openPglite, openPostgres } from '@rapport/db';
import { coreMigrations } from '@rapport/core';

/*
 * Databases for tests, on both drivers, each a clone of a template migrated once per run:
 * a copied PGlite folder, or a Postgres database created from a template database.
 */

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function testDriver(): DriverName {
  return process.env.RAPPORT_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export function postgresAdminUrl(): string {
  return process.env.RAPPORT_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
}

function runId(): string {
  return process.env.RAPPORT_TEST_RUN ?? 'local';
}

function runDir(): string {
  return path.join(os.tmpdir(), `rapport-test-${runId()}`);
}

function templateName(): string {
  return `rapport_${runId()}_template`;
}

export function databaseUrl(name: string): string {
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function migrationSources(): MigrationSource[] {
  return [coreMigrations()];
}

/** Whether a Postgres server answers at the test URL. */
export async function postgresReachable(): Promise<boolean> {
  const sql = postgres(postgresAdminUrl(), { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Called once per run (vitest globalSetup): migrates the template the test databases are cloned from. */
export async function prepareTemplate(driver: DriverName): Promise<void> {
  if (driver === 'pglite') {
    const dir = path.join(runDir(), 'template');
    fs.rmSync(dir, { recursive: true, force: true });
    const database = await openPglite({ pgDataDir: dir });
    await migrate(database, migrationSources());
    await database.close();
    return;
  }
  const admin = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${templateName()}" with (force)`);
    await admin.unsafe(`create database "${templateName()}"`);
  } finally {
    await admin.end();
  }
  const database = await openPostgres({ url: databaseUrl(templateName()), max: 1 });
  await migrate(database, migrationSources());
  await database.close();
}

/** Called once per run, at the end: drops every database and folder the run made. */
export async function removeRunDatabases(driver: DriverName): Promise<void> {
  if (driver === 'pglite') {
    fs.rmSync(runDir(), { recursive: true, force: true });
    return;
  }
  const admin = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
  try {
    const names = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`rapport_${runId()}_%`}`;
    for (const { datname } of names) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
  } finally {
    await admin.end();
  }
}

let counter = 0;

export interface TestDatabase {
  database: Database;
  driver: DriverName;
  /** A URL (Postgres) or folder (PGlite) another process can open, after `database.close()` for PGlite. */
  location: string;
  close(): Promise<void>;
}

/** A fresh, migrated database of its own for one test file or test. */
export async function createTestDatabase(driver: DriverName = testDriver()): Promise<TestDatabase> {
  const name = `rapport_${runId()}_${process.pid}_${++counter}_${Date.now().toString(36)}`;
  if (driver === 'pglite') {
    const dir = path.join(runDir(), name);
    fs.cpSync(path.join(runDir(), 'template'), dir, { recursive: true });
    const database = await openPglite({ pgDataDir: dir });
    return {
      database,
      driver,
      location: dir,
      async close() {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const admin = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${templateName()}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const database = await openPostgres({ url, max: 5 });
  return {
    database,
    driver,
    location: url,
    async close() {
      await database.close();
      const dropper = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
      try {
        await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
