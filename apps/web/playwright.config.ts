import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { NPM_PLUGIN, prepareNpmHost } from './e2e/npm-host';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/**
 * A port free now, picked by the system: one taken from a range by the runner's pid met MariaDB's
 * 3306 on the CI machine, and the server could not start.
 */
function freePort(): string {
  const script = "const server = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(server.address().port)); server.close(); });";
  return spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout.trim();
}

// Chosen once by the runner; its workers load this file again and inherit them through the environment.
process.env.RAPPORT_E2E_PORT ??= freePort();
// A fresh PGlite data folder per run: the first start seeds the demo data, as on a newcomer's machine.
process.env.RAPPORT_E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-'));
// The server runs in a folder where the example third-party plugin is installed from its tarball.
const BUILT_IN = ['hello', 'data-ops', 'pipeline', 'activities', 'leads'];
process.env.RAPPORT_E2E_HOST ??= prepareNpmHost(root, BUILT_IN);
const port = Number(process.env.RAPPORT_E2E_PORT);
const dataDir = process.env.RAPPORT_E2E_DATA_DIR;
const ADMIN = { email: 'admin@rapport.local', password: 'Tuile-Verte-9481-e2e' };

/**
 * The shell in Debian's Chromium (no browser download) against a real server on PGlite, built as
 * `pnpm start` builds it. `pnpm test` builds first (tooling/scripts/test.mjs).
 */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] },
    locale: 'en-GB',
    trace: 'retain-on-failure',
  },
  webServer: {
    command: `node --conditions=rapport-built ${JSON.stringify(path.join(root, 'apps/server/dist/main.js'))}`,
    cwd: process.env.RAPPORT_E2E_HOST,
    url: `http://127.0.0.1:${port}/api/v1/ready`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      RAPPORT_DATA_DIR: dataDir,
      RAPPORT_ADMIN_EMAIL: ADMIN.email,
      RAPPORT_ADMIN_PASSWORD: ADMIN.password,
      RAPPORT_PLUGINS: [...BUILT_IN.map((name) => `@rapport/plugin-${name}`), NPM_PLUGIN].join(','),
      RAPPORT_LOG_LEVEL: 'warn',
    },
  },
});
