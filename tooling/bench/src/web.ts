import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { spawnBuilt } from './cold-start';
import { table, verdict, type Row } from './report';

/*
 * `pnpm bench --web`: the shell's budgets in Debian's Chromium against the built server on PGlite
 * with N companies (default 10,000): initial JS (gzip) of the sign-in and list pages, LCP of the
 * list, the slowest interaction (Event Timing, as INP counts it), and how many rows a deep scroll
 * leaves in the DOM. The baseline, measured in the same run and browser: a bare HTML table of 100
 * rows set directly in the page.
 */

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const ADMIN = { email: 'admin@rapport.local', password: 'Bench-Tuile-8841' };
const log = (message: string) => process.stdout.write(`${message}\n`);

async function seedCompanies(url: string, cookie: string, csrf: string, n: number) {
  for (let start = 0; start < n; start += 1000) {
    const records = Array.from({ length: Math.min(1000, n - start) }, (_, index) => ({ name: `Bench company ${String(start + index).padStart(5, '0')}`, employees: (start + index) % 5000, domain: `bench${start + index}.example.com` }));
    const response = await fetch(`${url}/api/v1/records/company/batch`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify({ operation: 'create', records }) });
    if (!response.ok) throw new Error(`seeding answered ${response.status}: ${await response.text()}`);
  }
}

/** JS bytes a page load fetched, gzip-compressed as the server sends them. */
function trackScripts(page: Page) {
  const sizes = new Map<string, number>();
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script' || !response.ok()) return;
    const body = await response.body().catch(() => null);
    if (body) sizes.set(response.url(), zlib.gzipSync(body, { level: 9 }).length);
  });
  return () => [...sizes.values()].reduce((sum, size) => sum + size, 0) / 1024;
}

// Browser code, as text: this program is type-checked against Node's globals, not the DOM's.
const LCP = `new Promise((resolve) => {
  new PerformanceObserver((list) => {
    const entries = list.getEntries();
    resolve(entries[entries.length - 1].startTime);
  }).observe({ type: 'largest-contentful-paint', buffered: true });
  setTimeout(() => resolve(Number.NaN), 5000);
})`;
const WATCH_EVENTS = `window.__events = [];
new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__events.push(entry.duration); })
  .observe({ type: 'event', buffered: true, durationThreshold: 16 });`;

export async function runWebBench(options: { n: number; skipBuild: boolean }) {
  if (!options.skipBuild) {
    log('Build: node tooling/scripts/build.mjs');
    const built = spawnSync(process.execPath, ['tooling/scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, RAPPORT_BUILD_QUIET: '1' } });
    if (built.status !== 0) throw new Error('the build failed');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-bench-web-'));
  const server = await spawnBuilt({ entry: path.join(repoRoot, 'apps/server/dist/main.js'), cwd: repoRoot, env: { RAPPORT_DATA_DIR: dataDir, RAPPORT_ADMIN_EMAIL: ADMIN.email, RAPPORT_ADMIN_PASSWORD: ADMIN.password } });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    await server.waitFor('/api/v1/ready');
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
    const cookie = login.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    log(`Seed: ${options.n.toLocaleString('en')} companies through the batch API`);
    await seedCompanies(server.url, cookie, csrfToken, options.n);

    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
    const signInPage = await context.newPage();
    const signInJs = trackScripts(signInPage);
    await signInPage.goto(`${server.url}/sign-in`, { waitUntil: 'networkidle' });
    const signInKb = signInJs();
    await signInPage.getByLabel('Email').fill(ADMIN.email);
    await signInPage.getByLabel('Password').fill(ADMIN.password);
    await signInPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await signInPage.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await signInPage.close();

    // A cold load of the list (new page, same session), as after a bookmark.
    const page = await context.newPage();
    const listJs = trackScripts(page);
    await page.goto(`${server.url}/objects/company`, { waitUntil: 'networkidle' });
    await page.getByRole('row').nth(5).waitFor();
    const lcp = (await page.evaluate(LCP)) as number;
    const listKb = listJs();

    await page.evaluate(WATCH_EVENTS);
    await page.getByRole('button', { name: 'Employees' }).click();
    await page.getByRole('button', { name: 'Employees' }).click();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('row').nth(3).getByRole('checkbox').click();
    await page.waitForTimeout(500);
    const inp = (await page.evaluate('Math.max(0, ...window.__events)')) as number;

    // Scroll deep: pages load as the end comes near, the DOM keeps only the visible rows.
    const grid = page.getByRole('grid');
    const scrollStarted = performance.now();
    for (let step = 0; step < 600 && Number(await grid.getAttribute('aria-rowcount')) < options.n; step++) {
      await page.evaluate("document.querySelector('[role=grid]').scrollTo({ top: 1e9 })");
      await page.waitForTimeout(50);
    }
    const scrollSeconds = (performance.now() - scrollStarted) / 1000;
    const loaded = Number(await grid.getAttribute('aria-rowcount'));
    const domRows = await page.getByRole('row').count();

    const bare = await context.newPage();
    await bare.setContent(`<table>${Array.from({ length: 100 }, (_, index) => `<tr><td>Company ${index}</td><td>${index}</td></tr>`).join('')}</table>`);
    const bareLcp = (await bare.evaluate(LCP)) as number;

    const rows: Row[] = [
      { metric: 'initial JS, sign-in page (gzip)', value: Math.round(signInKb * 10) / 10, unit: 'KB', target: { op: '<=', value: 200 } },
      { metric: 'initial JS, list page (gzip)', value: Math.round(listKb * 10) / 10, unit: 'KB', target: { op: '<=', value: 200 } },
      { metric: `LCP, list page (${options.n.toLocaleString('en')} companies)`, value: Math.round(lcp), unit: 'ms', target: { op: '<=', value: 2500 } },
      { metric: 'bare baseline LCP (static 100-row table)', value: Math.round(bareLcp), unit: 'ms' },
      { metric: 'LCP ratio list / bare', value: lcp / bareLcp, unit: '×' },
      { metric: 'slowest interaction (sort, filter, columns, select)', value: Math.round(inp), unit: 'ms', target: { op: '<=', value: 200 }, note: '0: every interaction under 16 ms' },
      { metric: 'rows loaded by scrolling to the end', value: loaded, unit: '', note: `in ${scrollSeconds.toFixed(1)} s, 100 a page` },
      { metric: 'rows in the DOM then', value: domRows, unit: '', target: { op: '<=', value: 80 } },
    ];
    log(table(rows));
    const failed = rows.filter((row) => verdict(row) === 'FAIL');
    return failed.length === 0;
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
