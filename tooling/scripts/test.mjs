// `pnpm test`: type-checks the workspace, runs every vitest project (unit, PGlite, Postgres) and the
// browser suites, then prints the totals as one line: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
const notes = [];

function run(title, command, commandArgs, env = {}) {
  console.log(`\n== ${title}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

if (!args.includes('--no-typecheck')) {
  // The server side, then the browser side (DOM and JSX): two programs, two sets of libraries.
  if (run('typecheck', 'pnpm', ['exec', 'tsc', '-p', 'tsconfig.json']) && run('typecheck (web)', 'pnpm', ['exec', 'tsc', '-p', 'apps/web/tsconfig.json'])) passed++;
  else {
    failed++;
    notes.push('typecheck failed');
  }
}

const summaryFile = path.join(os.tmpdir(), `rapport-test-summary-${process.pid}.json`);
const vitestOk = run('vitest', 'pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=./tooling/scripts/summary-reporter.ts', ...args.filter((arg) => arg !== '--no-typecheck')], { RAPPORT_TEST_SUMMARY: summaryFile });
if (fs.existsSync(summaryFile)) {
  const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));
  fs.rmSync(summaryFile);
  for (const [name, counts] of Object.entries(summary.projects)) {
    passed += counts.passed;
    failed += counts.failed;
    console.log(`   ${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  }
  if (summary.unhandledErrors > 0) {
    failed += summary.unhandledErrors;
    notes.push(`${summary.unhandledErrors} unhandled error(s)`);
  }
  const postgres = summary.projects.postgres;
  if (!postgres || postgres.passed === 0) {
    const message = 'the Postgres suite ran no test (is PostgreSQL reachable at 127.0.0.1:5432?)';
    if (process.env.CI) {
      failed++;
      notes.push(`${message}: a skipped database is a failure in CI`);
    } else notes.push(message);
  }
} else {
  failed++;
  notes.push('vitest did not report (it crashed before the end)');
}
if (!vitestOk && failed === 0) {
  failed++;
  notes.push('vitest exited with an error');
}

const browser = path.join(root, 'apps/web/playwright.config.ts');
if (fs.existsSync(browser) && !args.length) {
  const report = path.join(os.tmpdir(), `rapport-playwright-${process.pid}.json`);
  // The browser suites run what `pnpm start` runs: the built server and shell.
  if (!run('build', 'node', ['tooling/scripts/build.mjs'])) {
    failed++;
    notes.push('the build failed: the browser suites did not run');
  } else run('playwright', 'pnpm', ['--filter', '@rapport/web', 'exec', 'playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  if (fs.existsSync(report)) {
    const stats = JSON.parse(fs.readFileSync(report, 'utf8')).stats ?? {};
    passed += stats.expected ?? 0;
    failed += (stats.unexpected ?? 0) + (stats.flaky ?? 0);
    fs.rmSync(report);
  } else {
    failed++;
    notes.push('playwright did not report');
  }
}

for (const note of notes) console.log(`note: ${note}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
