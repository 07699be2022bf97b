import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from './args';
import { measureColdStart, readRssMb, spawnBuilt, type ColdStartReport } from './cold-start';
import { SCORE_MAX, searchPrefixes } from './data';
import { PgliteTemplates, PostgresTemplates, type Target, type TemplateStore } from './databases';
import { request, sleep } from './http';
import { type CapturedQuery, ServerProcess } from './ipc';
import { type LoadResult, measure } from './load';
import { type ProfileSummary, summarizeProfile } from './profile';
import { type Row, table, verdict } from './report';
import { seedContacts } from './seed';
import { runImportBench } from './import-bench';
import { benchServerEnv } from './server-env';
import { runWebBench } from './web';

/*
 * `pnpm bench`: seeds N contacts through the batch API of a real server (once per N, kept as a
 * template), then measures that server over loopback with autocannon, the same list SQL behind a
 * bare Hono route, the built server's cold start and its idle memory; prints a table against the
 * targets and writes the figures to tooling/bench/results/.
 */

const here = import.meta.dirname;
const benchRoot = path.resolve(here, '..');
const repoRoot = path.resolve(benchRoot, '../..');
const log = (message: string) => process.stdout.write(`${message}\n`);

type ScenarioName = 'list' | 'get' | 'search' | 'filter' | 'repList' | 'duplicates';

interface Scenario {
  name: ScenarioName;
  describe: string;
  path: () => string;
  /** Target p95 with one client at a time, in ms (at 1M contacts on PostgreSQL). */
  p95Target: number;
  /** Another caller than the admin's key (the sales rep, under record-level rules). */
  token?: string;
}

interface Explained {
  query: string;
  params: unknown[];
  executionMs: number | null;
  plan: string;
}

/** A small deterministic generator, so that runs pick the same ids and values. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The example plugin, offered (not enabled): the bench times enabling it at run time. data-ops is
// enabled on the measured server for its duplicate candidates.
const serverEnv = (target: Target) => benchServerEnv({ ...target.env, RAPPORT_PLUGINS: '@rapport/plugin-hello,@rapport/plugin-data-ops' });

/** From the enable request to the plugin's first 200 (and from disable to its first 404), polling every 5 ms. */
async function timePluginSwitch(url: string, auth: Record<string, string>): Promise<{ enableMs: number; disableMs: number }> {
  const until = async (status: number) => {
    for (;;) {
      if ((await request(`${url}/api/v1/plugins/hello/greeting`, { headers: auth })).status === status) return;
      await sleep(5);
    }
  };
  const switchTo = async (action: 'enable' | 'disable', status: number) => {
    const started = performance.now();
    const answer = await request(`${url}/api/v1/plugins/hello/${action}`, { method: 'POST', headers: auth });
    if (answer.status !== 200) throw new Error(`${action} hello answered ${answer.status}: ${answer.body.slice(0, 300)}`);
    await until(status);
    return Math.round(performance.now() - started);
  };
  const enableMs = await switchTo('enable', 200);
  const disableMs = await switchTo('disable', 404);
  return { enableMs, disableMs };
}

/**
 * The data quality of the whole person object (GET …/quality/person: one profile, two full scans),
 * 5 times in a row, against the floor of any whole-object figure: a bare count(*) over the same rows.
 */
async function timeQuality(server: ServerProcess, auth: Record<string, string>): Promise<{ medianMs: number; maxMs: number; bareMs: number }> {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const timed = async (work: () => Promise<void>) => {
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      await work();
      times.push(performance.now() - started);
    }
    return times;
  };
  const quality = await timed(async () => {
    const answer = await request(`${server.url}/api/v1/plugins/data-ops/quality/person`, { headers: auth, timeoutMs: 120_000 });
    if (answer.status !== 200) throw new Error(`the quality of person answered ${answer.status}: ${answer.body.slice(0, 300)}`);
  });
  const bare = await timed(async () => void (await server.query('select count(*) from person where deleted_at is null')));
  return { medianMs: Math.round(median(quality)), maxMs: Math.round(Math.max(...quality)), bareMs: Math.round(median(bare) * 10) / 10 };
}

async function capture(server: ServerProcess, token: string, requestPath: string): Promise<CapturedQuery[]> {
  await server.request({ type: 'capture-start' });
  const answer = await request(`${server.url}${requestPath}`, { headers: { authorization: `Bearer ${token}` } });
  const { queries } = await server.request<{ type: 'captured'; id: number; queries: CapturedQuery[] }>({ type: 'capture-stop' });
  if (answer.status !== 200) throw new Error(`GET ${requestPath} answered ${answer.status}: ${answer.body.slice(0, 1000)}`);
  return queries;
}

/** EXPLAIN ANALYZE of every statement a request ran but the API-key lookup. */
async function explain(server: ServerProcess, queries: CapturedQuery[]): Promise<Explained[]> {
  const out: Explained[] = [];
  for (const captured of queries) {
    if (!/^\s*(select|with)\b/i.test(captured.query) || /"api_key"/.test(captured.query)) continue;
    const rows = await server.query<Record<string, string>>(`explain (analyze, buffers) ${captured.query}`, captured.params);
    const plan = rows.map((row) => Object.values(row)[0]).join('\n');
    const time = /Execution Time: ([\d.]+) ms/.exec(plan);
    out.push({ query: captured.query, params: captured.params, executionMs: time ? Number(time[1]) : null, plan });
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.import) {
    const profileDir = args.profile ? path.join(benchRoot, 'results', `import-profile-${process.pid}`) : undefined;
    const passed = await runImportBench({ n: args.n, pgUrl: args.pgUrl, profileDir });
    const profile = profileDir ? summarizeProfile(profileDir) : null;
    if (profile) {
      log(`Profile of the server during the import, self time (${profile.file}):`);
      for (const entry of profile.byOrigin) log(`  ${String(entry.share).padStart(5)} %  ${entry.origin}`);
      log('  top functions:');
      for (const entry of profile.byFunction) log(`  ${String(entry.share).padStart(5)} %  ${entry.name}`);
    }
    process.exitCode = passed ? 0 : 1;
    return;
  }
  if (args.web) {
    const passed = await runWebBench({ n: process.argv.some((arg) => arg.startsWith('--n')) ? args.n : 10_000, skipBuild: args.skipBuild });
    process.exitCode = passed ? 0 : 1;
    return;
  }
  const started = new Date();
  const load = () => os.loadavg().map((value) => Math.round(value * 100) / 100);
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore: load() };
  log(`Rapport benchmark: ${args.driver}, ${args.n.toLocaleString('en')} contacts, ${args.duration} s runs (+${args.warmup} s warm-up), ${machine.cpus} cores, load ${machine.loadBefore.join(' ')}`);
  if (machine.loadBefore[0]! > 0.5 * machine.cpus) log(`  warning: the machine is busy (load ${machine.loadBefore[0]}): the figures will be noisy`);

  const store: TemplateStore = args.driver === 'postgres' ? new PostgresTemplates(args.pgUrl, args.n) : new PgliteTemplates(path.join(benchRoot, 'data'), args.n);

  // 1. The seeded template, made once per N.
  let seedReport = args.reseed ? null : await store.existing();
  if (seedReport) {
    log(`Seed: reusing the template (${args.n.toLocaleString('en')} people, seeded ${String(seedReport.seededAt ?? 'earlier')})`);
  } else {
    log(`Seed: ${args.n.toLocaleString('en')} people through POST /api/v1/records/person/batch (1000 a request, ${args.seedConcurrency} in flight)`);
    const target = await store.startSeeding();
    const server = await ServerProcess.start(path.join(here, 'server-child.ts'), serverEnv(target));
    try {
      const report = await seedContacts(server, server.ready.token!, args.n, args.seedConcurrency);
      seedReport = { ...report, seededAt: new Date().toISOString(), driver: args.driver };
    } finally {
      await server.close();
    }
    await store.finishSeeding(seedReport);
    log(`  seeded in ${seedReport.seconds} s (${seedReport.peoplePerSecond} people a second), events delivered in ${seedReport.drainSeconds} s more, vacuum ${seedReport.vacuumSeconds} s`);
  }
  if (args.seedOnly) return;

  // 2. The real server on a copy of the template.
  const target = await store.createRun();
  const results: Record<string, LoadResult> = {};
  const explained: Record<string, Explained[]> = {};
  let listQuery: CapturedQuery | undefined;
  let authQuery: CapturedQuery | undefined;
  let profile: ProfileSummary | null = null;
  let realRss: number | null = null;
  let pluginSwitch: { enableMs: number; disableMs: number } | null = null;
  let quality: { medianMs: number; maxMs: number; bareMs: number } | null = null;
  let cold: ColdStartReport | null = null;
  let token = '';
  try {
    log(`Real server: startServer(loadConfig(env)) on ${target.describe}`);
    const server = await ServerProcess.start(path.join(here, 'server-child.ts'), serverEnv(target));
    token = server.ready.token!;
    const auth = { authorization: `Bearer ${token}` };
    try {
      const ids = (await server.query<{ id: string }>(`select id::text as id from person where deleted_at is null order by random() limit 5000`)).map((row) => row.id);
      const prefixes = searchPrefixes(200);
      const pick = random(42);
      const reps = await server.request<{ type: 'rep'; id: number; token: string; owned: number }>({ type: 'setup-reps', reps: 20 });
      log(`  the people are spread over 20 sales reps; the measured rep owns ${reps.owned.toLocaleString('en')}`);
      const enabled = await request(`${server.url}/api/v1/plugins/data-ops/enable`, { method: 'POST', headers: auth });
      if (enabled.status !== 200) throw new Error(`enabling data-ops answered ${enabled.status}: ${enabled.body}`);
      const scenarios: Scenario[] = [
        { name: 'list', describe: 'GET /api/v1/records/person?limit=50', path: () => '/api/v1/records/person?limit=50', p95Target: 5 },
        { name: 'get', describe: 'GET /api/v1/records/person/{random id}', path: () => `/api/v1/records/person/${ids[Math.floor(pick() * ids.length)]}`, p95Target: 3 },
        { name: 'search', describe: 'GET /api/v1/search?q={last-name prefix}', path: () => `/api/v1/search?q=${encodeURIComponent(prefixes[Math.floor(pick() * prefixes.length)]!)}`, p95Target: 50 },
        {
          name: 'filter',
          describe: 'GET /api/v1/records/person?limit=50&filter={score eq random}',
          path: () => `/api/v1/records/person?limit=50&filter=${encodeURIComponent(JSON.stringify({ field: 'score', op: 'eq', value: Math.floor(pick() * SCORE_MAX) }))}`,
          p95Target: 10,
        },
        { name: 'repList', describe: 'GET /api/v1/records/person?limit=50 as a sales rep (own records)', path: () => '/api/v1/records/person?limit=50', p95Target: 8, token: reps.token },
        { name: 'duplicates', describe: 'GET /api/v1/plugins/data-ops/duplicates/person/{random id}', path: () => `/api/v1/plugins/data-ops/duplicates/person/${ids[Math.floor(pick() * ids.length)]}`, p95Target: 60 },
      ];

      // What each operation runs once warm (metadata cached), and how the database executes it.
      for (const scenario of scenarios) {
        await request(`${server.url}${scenario.path()}`, { headers: { authorization: `Bearer ${scenario.token ?? token}` } });
        const queries = await capture(server, scenario.token ?? token, scenario.path());
        explained[scenario.name] = await explain(server, queries);
        if (scenario.name === 'list') {
          listQuery = queries.find((query) => /from "person"/.test(query.query) && /\blimit\b/i.test(query.query));
          if (!listQuery) throw new Error(`could not find the list query among ${queries.map((query) => query.query).join('\n')}`);
          authQuery = queries.find((query) => /from "api_key"/.test(query.query));
        }
        const main = explained[scenario.name]!.reduce<Explained | undefined>((worst, query) => (!worst || (query.executionMs ?? 0) > (worst.executionMs ?? 0) ? query : worst), undefined);
        log(`  ${scenario.name}: ${queries.length} statements a request; slowest in the database ${main?.executionMs ?? '?'} ms`);
      }

      for (const scenario of scenarios) {
        for (const connections of [1, args.connections]) {
          const result = await measure({ url: server.url, path: scenario.path, headers: scenario.token ? { authorization: `Bearer ${scenario.token}` } : auth, connections, durationS: args.duration, warmupS: args.warmup, pid: server.ready.pid });
          results[`${scenario.name}@${connections}`] = result;
          log(
            `  ${scenario.name.padEnd(6)} ${String(connections).padStart(2)} conn: ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)}  p95 ${result.p95.toFixed(2)}  p99 ${result.p99.toFixed(2)} ms  server CPU ${result.serverCpuMsPerRequest} ms/req${result.non2xx + result.errors ? `  (${result.non2xx} non-2xx, ${result.errors} errors)` : ''}`,
          );
        }
      }
      realRss = readRssMb(server.ready.pid).rss;
      quality = await timeQuality(server, auth);
      log(`  data quality of person: median ${quality.medianMs} ms (max ${quality.maxMs}); a bare count(*) over person: ${quality.bareMs} ms`);
      pluginSwitch = await timePluginSwitch(server.url, auth);
      log(`  enabling the hello plugin: ${pluginSwitch.enableMs} ms to its first 200; disabling: ${pluginSwitch.disableMs} ms to its first 404 (no restart)`);
      await sleep(1000); // lets the requests autocannon abandoned at the end finish before the database closes
    } finally {
      await server.close();
    }

    // 3. The bare baseline: the same list SQL behind a minimal Hono route.
    log(`Bare baseline: Hono + ${args.driver === 'postgres' ? 'postgres.js' : 'PGlite'} running the captured list SQL`);
    const bare = await ServerProcess.start(path.join(here, 'bare-child.ts'), {
      ...process.env,
      BARE_DRIVER: args.driver,
      BARE_DATABASE: target.bareLocation,
      BARE_QUERY: JSON.stringify(listQuery),
      ...(authQuery ? { BARE_AUTH_QUERY: JSON.stringify(authQuery) } : {}),
    });
    try {
      const check = await request(`${bare.url}/list`);
      const rows = (JSON.parse(check.body) as { data: unknown[] }).data.length;
      if (check.status !== 200 || rows === 0) throw new Error(`the bare list answered ${check.status} with ${rows} rows`);
      for (const connections of [1, args.connections]) {
        const result = await measure({ url: bare.url, path: '/list', connections, durationS: args.duration, warmupS: args.warmup, pid: bare.ready.pid });
        results[`bare@${connections}`] = result;
        await sleep(connections === args.connections ? 1000 : 0);
        log(`  bare   ${String(connections).padStart(2)} conn: ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)}  p95 ${result.p95.toFixed(2)}  p99 ${result.p99.toFixed(2)} ms  server CPU ${result.serverCpuMsPerRequest} ms/req`);
      }
      // The floor of this machine: HTTP through Hono and back, no database.
      const ping = await measure({ url: bare.url, path: '/ping', connections: 1, durationS: Math.min(5, args.duration), warmupS: 1, pid: bare.ready.pid });
      results['ping@1'] = ping;
      log(`  ping (no database)  1 conn: ${ping.rps.toFixed(0).padStart(6)} req/s  p50 ${ping.p50.toFixed(2)}  p95 ${ping.p95.toFixed(2)}  p99 ${ping.p99.toFixed(2)} ms`);
      if (authQuery) {
        // The same, behind the API-key lookup the real server makes first: tells that round trip's share.
        for (const connections of [1, args.connections]) {
          const result = await measure({ url: bare.url, path: '/list-auth', connections, durationS: args.duration, warmupS: args.warmup, pid: bare.ready.pid });
          results[`bare+auth@${connections}`] = result;
          log(`  bare+auth ${String(connections).padStart(2)} conn: ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)}  p95 ${result.p95.toFixed(2)}  p99 ${result.p99.toFixed(2)} ms  server CPU ${result.serverCpuMsPerRequest} ms/req`);
        }
        await sleep(1000);
      }
    } finally {
      await bare.close();
    }

    if ((!args.skipCold || args.profile) && !args.skipBuild) {
      const build = spawnSync(process.execPath, [path.join(repoRoot, 'tooling/scripts/build.mjs')], { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, RAPPORT_BUILD_QUIET: '1' } });
      if (build.status !== 0) throw new Error('node tooling/scripts/build.mjs failed');
    }
    const entry = path.join(repoRoot, 'apps/server/dist/main.js');
    // The node flags `pnpm start` runs the server with (read from its script, so both stay the same).
    const startScript = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const startFlags = /\bnode ((?:--\S+ )*)apps\/server\/dist\/main\.js/.exec(startScript)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];

    // Where the built server spends its CPU under the list load (a separate run: profiling slows it).
    if (args.profile) {
      const dir = path.join(benchRoot, 'results', `profile-${process.pid}`);
      fs.rmSync(dir, { recursive: true, force: true });
      const profiled = await spawnBuilt({ entry, cwd: repoRoot, env: target.env, nodeArgs: [...startFlags, '--cpu-prof', `--cpu-prof-dir=${dir}`] });
      try {
        await profiled.waitFor('/api/v1/health');
        await measure({ url: profiled.url, path: '/api/v1/records/person?limit=50', headers: { authorization: `Bearer ${token}` }, connections: args.connections, durationS: args.duration, warmupS: args.warmup });
        await sleep(1000);
      } finally {
        await profiled.stop();
      }
      profile = summarizeProfile(dir);
      if (profile) {
        log(`Profile of the built server under the list load (${args.connections} connections), self time (${profile.file}):`);
        for (const entry of profile.byOrigin) log(`  ${String(entry.share).padStart(5)} %  ${entry.origin}`);
        log('  top functions:');
        for (const entry of profile.byFunction) log(`  ${String(entry.share).padStart(5)} %  ${entry.name}`);
      }
    }

    // 4. Cold start of the built server, and its idle memory.
    if (!args.skipCold) {
      log(`Cold start: node ${[...startFlags, 'apps/server/dist/main.js'].join(' ')} on ${target.describe}, ${args.coldRuns} times`);
      const pick = random(7);
      cold = await measureColdStart({
        entry,
        nodeArgs: startFlags,
        cwd: repoRoot,
        env: target.env,
        token,
        runs: args.coldRuns,
        // Idle means no request for a while: 45 s, so that the server's idle collection (5 s after the
        // last request) and, when it follows, V8's memory reducer have given back what the load grew.
        idleMs: 45_000,
        warmUp: async (url) => {
          // A few seconds of each operation, as after a morning's use; then it idles.
          const [{ id }] = JSON.parse((await request(`${url}/api/v1/records/person?limit=1`, { headers: { authorization: `Bearer ${token}` } })).body).data as { id: string }[];
          for (const warmPath of ['/api/v1/records/person?limit=50', `/api/v1/records/person/${id}`, '/api/v1/search?q=mar', `/api/v1/records/person?limit=50&filter=${encodeURIComponent(JSON.stringify({ field: 'score', op: 'eq', value: Math.floor(pick() * SCORE_MAX) }))}`]) {
            await measure({ url, path: warmPath, headers: { authorization: `Bearer ${token}` }, connections: args.connections, durationS: 3, warmupS: 0 });
          }
        },
      });
      log(`  first 200: health ${cold.runs.map((run) => run.healthMs).join(', ')} ms; list ${cold.runs.map((run) => run.listMs).join(', ')} ms; RSS 5 s after the warm-up ${cold.rssAfterLoadMb} MB, idle (45 s) ${cold.idleRssMb} MB (peak ${cold.peakRssMb} MB)`);
    }
  } finally {
    await store.dropRun();
  }

  // 5. The table and the JSON file.
  const c = args.connections;
  const ratio = (connections: number) => (results[`list@${connections}`] && results[`bare@${connections}`] ? results[`list@${connections}`]!.rps / results[`bare@${connections}`]!.rps : null);
  const rows: Row[] = [];
  for (const [name, target] of [['list', 5], ['get', 3], ['search', 50], ['filter', 10]] as const) {
    const one = results[`${name}@1`]!;
    const many = results[`${name}@${c}`]!;
    rows.push({ metric: `${name} p50, 1 client`, value: one.p50, unit: 'ms' });
    rows.push({ metric: `${name} p95, 1 client`, value: one.p95, unit: 'ms', target: { op: '<=', value: target } });
    rows.push({ metric: `${name} p99, 1 client`, value: one.p99, unit: 'ms' });
    rows.push({ metric: `${name} req/s, 1 client`, value: one.rps, unit: 'req/s' });
    rows.push({ metric: `${name} req/s, ${c} conn`, value: many.rps, unit: 'req/s', note: `p50 ${many.p50.toFixed(1)} / p95 ${many.p95.toFixed(1)} / p99 ${many.p99.toFixed(1)} ms` });
    rows.push({ metric: `${name} server CPU per request`, value: many.serverCpuMsPerRequest, unit: 'ms', note: `at ${c} conn; at 1 client ${one.serverCpuMsPerRequest} ms` });
  }
  if (results['repList@1']) {
    const rep = results['repList@1']!;
    rows.push({ metric: 'rep list p95, 1 client (own records)', value: rep.p95, unit: 'ms', target: { op: '<=', value: 8 }, note: `p50 ${rep.p50.toFixed(2)} ms; ${rep.rps.toFixed(0)} req/s` });
    rows.push({ metric: 'rep list p95 / admin list p95', value: rep.p95 / results['list@1']!.p95, unit: '×', target: { op: '<=', value: 1.5 } });
  }
  if (results['duplicates@1']) {
    const duplicates = results['duplicates@1']!;
    rows.push({ metric: 'duplicate candidates p95, 1 client', value: duplicates.p95, unit: 'ms', target: { op: '<=', value: 60 }, note: `p50 ${duplicates.p50.toFixed(2)} ms; ${duplicates.rps.toFixed(0)} req/s; at ${c} conn p95 ${results[`duplicates@${c}`]?.p95.toFixed(1)} ms` });
  }
  rows.push({ metric: 'bare list req/s, 1 client', value: results['bare@1']!.rps, unit: 'req/s', note: `p50 ${results['bare@1']!.p50.toFixed(2)} / p95 ${results['bare@1']!.p95.toFixed(2)} ms` });
  rows.push({ metric: `bare list req/s, ${c} conn`, value: results[`bare@${c}`]!.rps, unit: 'req/s', note: `p50 ${results[`bare@${c}`]!.p50.toFixed(1)} / p95 ${results[`bare@${c}`]!.p95.toFixed(1)} ms` });
  if (results['bare+auth@1']) {
    rows.push({ metric: 'bare list + key lookup req/s, 1 client', value: results['bare+auth@1']!.rps, unit: 'req/s', note: `p50 ${results['bare+auth@1']!.p50.toFixed(2)} / p95 ${results['bare+auth@1']!.p95.toFixed(2)} ms` });
    rows.push({ metric: `bare list + key lookup req/s, ${c} conn`, value: results[`bare+auth@${c}`]!.rps, unit: 'req/s', note: `p50 ${results[`bare+auth@${c}`]!.p50.toFixed(1)} / p95 ${results[`bare+auth@${c}`]!.p95.toFixed(1)} ms` });
  }
  if (results['ping@1']) rows.push({ metric: 'HTTP floor (Hono, no database), 1 client', value: results['ping@1']!.p50, unit: 'ms', note: `p50; p95 ${results['ping@1']!.p95.toFixed(2)} ms, ${results['ping@1']!.rps.toFixed(0)} req/s` });
  rows.push({ metric: 'bare list server CPU per request', value: results[`bare@${c}`]!.serverCpuMsPerRequest, unit: 'ms', note: `at ${c} conn` });
  rows.push({ metric: 'list real/bare req/s, 1 client', value: ratio(1), unit: '×' });
  rows.push({ metric: `list real/bare req/s, ${c} conn`, value: ratio(c), unit: '×', target: { op: '>=', value: 0.6 } });
  if (cold) {
    rows.push({ metric: 'cold start to first 200 /health', value: cold.healthMs, unit: 'ms', target: { op: '<=', value: 1500 }, note: `median of ${cold.runs.length}` });
    rows.push({ metric: 'cold start to first 200 list', value: cold.listMs, unit: 'ms', target: { op: '<=', value: 1500 }, note: `median of ${cold.runs.length}` });
    rows.push({ metric: 'idle RSS after warm-up (45 s)', value: cold.idleRssMb, unit: 'MB', target: { op: '<=', value: 180 }, note: `5 s after the warm-up ${cold.rssAfterLoadMb} MB; peak ${cold.peakRssMb} MB` });
  }
  if (quality) {
    rows.push({ metric: 'data quality of all people (live), 1 client', value: quality.medianMs, unit: 'ms', note: `median of 5, max ${quality.maxMs} ms; a bare count(*) over them ${quality.bareMs} ms (${(quality.medianMs / Math.max(quality.bareMs, 0.1)).toFixed(1)}×)` });
  }
  if (pluginSwitch) {
    rows.push({ metric: 'enable a plugin → its route answers', value: pluginSwitch.enableMs, unit: 'ms', target: { op: '<=', value: 1000 }, note: `disable → 404 in ${pluginSwitch.disableMs} ms; no restart` });
  }
  rows.push({ metric: 'RSS of the measured server (tsx)', value: realRss, unit: 'MB', note: 'after the load runs' });
  rows.push({ metric: 'seed (batch API)', value: Number(seedReport.peoplePerSecond), unit: 'people/s', note: `${seedReport.seconds} s, + ${seedReport.drainSeconds} s event delivery` });
  const invalid = Object.entries(results).filter(([, result]) => result.non2xx + result.errors > 0);

  log('');
  log(table(rows));
  const official = args.driver === 'postgres' && args.n === 1_000_000;
  if (!official) log(`\nThe targets are set for 1,000,000 contacts on PostgreSQL; this run has ${args.n.toLocaleString('en')} on ${args.driver}: its verdicts are indicative.`);
  if (invalid.length > 0) log(`\nWARNING: runs with failed requests (not valid): ${invalid.map(([name, result]) => `${name} (${result.non2xx} non-2xx, ${result.errors} errors)`).join(', ')}`);
  const loadAfter = load();
  log(`Load average before ${machine.loadBefore.join(' ')}, after ${loadAfter.join(' ')}.`);

  const file = path.join(benchRoot, 'results', `${started.toISOString().replace(/[:.]/g, '-')}-${args.driver}-${args.n}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${JSON.stringify(
      {
        startedAt: started.toISOString(),
        args: { ...args, pgUrl: args.driver === 'postgres' ? args.pgUrl : undefined },
        machine: { ...machine, loadAfter },
        officialScale: official,
        seed: seedReport,
        results,
        table: rows.map((row) => ({ ...row, verdict: verdict(row) })),
        coldStart: cold,
        pluginSwitch,
        quality,
        listQuery,
        authQuery,
        explained,
        profile,
        invalidRuns: invalid.map(([name]) => name),
      },
      null,
      2,
    )}\n`,
  );
  log(`Results: ${path.relative(repoRoot, file)}`);
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
