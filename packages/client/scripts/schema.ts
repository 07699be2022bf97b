import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import pino from 'pino';
import { bootstrap, coreMigrations, createCore } from '@rapport/core';
import { migrate, openPglite } from '@rapport/db';
import { JobRunner } from '@rapport/jobs';
import { createApp, PluginHost } from '@rapport/server';

/*
 * How the client is made from the server: the OpenAPI document the app serves anonymously (the
 * objects declared in code: company and person), turned into TypeScript by openapi-typescript.
 * Used by scripts/generate.ts and by the test that checks the committed files are up to date.
 */

export const GENERATE_COMMAND = 'pnpm --filter @rapport/client generate';

/** The document an anonymous caller gets, from an app over a throw-away PGlite database. */
export async function anonymousDocument(): Promise<OpenAPI3> {
  // A temporary folder rather than `openPglite()` in memory: @rapport/db passes its options as
  // `new PGlite(undefined, options)` then, which PGlite ignores, so the extensions (citext…) are missing.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-client-'));
  const database = await openPglite({ pgDataDir: dir });
  try {
    await migrate(database, [coreMigrations()]);
    const core = createCore({ database });
    await bootstrap(core, { adminEmail: 'admin@example.com', adminPassword: 'generate the client' });
    // A plugin host and a job runner that never start: their routes are part of the API all the same.
    const log = pino({ level: 'silent' });
    const jobs = new JobRunner(database, log);
    const { app } = createApp({ core, log, bodyLimitBytes: 10 * 1024 * 1024, plugins: new PluginHost(core, log, jobs), jobs });
    const response = await app.fetch(new Request('http://x/api/v1/openapi.json'));
    if (!response.ok) throw new Error(`GET /api/v1/openapi.json answered ${response.status}: ${await response.text()}`);
    const document = (await response.json()) as OpenAPI3;
    await core.stop();
    return document;
  } finally {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** openapi.json as committed: stable key order as served, two-space indent, final newline. */
export function renderDocument(document: OpenAPI3): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** src/schema.d.ts as committed. */
export async function renderSchema(document: OpenAPI3): Promise<string> {
  // A deep copy: openapi-typescript annotates the object it is given.
  const ast = await openapiTS(structuredClone(document), { silent: true, emptyObjectsUnknown: true });
  const header = `${COMMENT_HEADER.trim()}\n// Made from the server's OpenAPI document by \`${GENERATE_COMMAND}\`; the client test fails when it is stale.\n\n`;
  return header + astToString(ast);
}
