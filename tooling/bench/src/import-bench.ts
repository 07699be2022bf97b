import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fakerFR } from '@faker-js/faker';
import postgres from 'postgres';
import { databaseUrl } from './databases';
import { readRssMb } from './cold-start';
import { cpuTimeMs, parentPid, treeCpuTimeMs } from './process-cpu';
import { ServerProcess } from './ipc';
import { benchServerEnv } from './server-env';
import { type Row, table, verdict } from './report';

/*
 * `pnpm bench --import [--n 100000]`: a generated French contacts CSV (BOM, semicolons, accents,
 * dd/mm/yyyy dates, phones written five ways, 5 % typed twice, 1 % bad emails) imported through the
 * data-ops plugin of a real server on PostgreSQL, with cleaning and duplicates on; in the same run,
 * COPY of the same people into the same indexed table, as the bare baseline; the server's memory.
 */

const here = import.meta.dirname;
const log = (message: string) => process.stdout.write(`${message}\n`);
const PHONE_SHAPES = [(d: string) => `0${d[0]} ${d.slice(1, 3)} ${d.slice(3, 5)} ${d.slice(5, 7)} ${d.slice(7, 9)}`, (d: string) => `0${d[0]}.${d.slice(1, 3)}.${d.slice(3, 5)}.${d.slice(5, 7)}.${d.slice(7, 9)}`, (d: string) => `+33 ${d[0]} ${d.slice(1, 3)} ${d.slice(3, 5)} ${d.slice(5, 7)} ${d.slice(7, 9)}`, (d: string) => `0033${d}`, (d: string) => `+33 (0)${d}`];

interface Person {
  firstName: string;
  lastName: string;
  email: string;
  digits: string;
  company: string;
  postalCode: string;
  city: string;
  consent: string;
  optIn: Date | null;
}

function people(n: number): Person[] {
  fakerFR.seed(20261124);
  const companies = Array.from({ length: Math.max(10, Math.floor(n / 50)) }, () => fakerFR.company.name());
  return Array.from({ length: n }, (_, index) => {
    const firstName = fakerFR.person.firstName();
    const lastName = fakerFR.person.lastName();
    const company = companies[index % companies.length]!;
    const consent = fakerFR.helpers.arrayElement(['Accordé', 'Refusé', 'Inconnu', 'Retiré']);
    return {
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${index}@exemple.fr`.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/[^a-zA-Z0-9.@-]/g, '').toLowerCase(),
      digits: `6${String(10_000_000 + index).padStart(8, '0')}`,
      company,
      postalCode: fakerFR.location.zipCode('#####'),
      city: fakerFR.location.city(),
      consent,
      optIn: consent === 'Accordé' ? fakerFR.date.past({ years: 3 }) : null,
    };
  });
}

/** The file people send: messy on purpose, in the same order as `rows` (5 % typed twice, 1 % bad emails). */
function writeCsv(file: string, rows: Person[]): number {
  const out = fs.openSync(file, 'w');
  const write = (line: string) => fs.writeSync(out, `${line}\r\n`);
  fs.writeSync(out, '\uFEFF');
  write('Nom;Prénom;Email;Téléphone;Société;Codepostal;Ville;Statutconsentement;Dateoptin');
  let lines = 0;
  rows.forEach((person, index) => {
    const date = person.optIn ? `${String(person.optIn.getDate()).padStart(2, '0')}/${String(person.optIn.getMonth() + 1).padStart(2, '0')}/${person.optIn.getFullYear()}` : '';
    const email = index % 100 === 99 ? person.email.replace('@', '@@') : person.email;
    const line = [index % 7 === 0 ? person.lastName.toUpperCase() : person.lastName, person.firstName, email, PHONE_SHAPES[index % 5]!(person.digits), person.company, person.postalCode, person.city, person.consent, date].join(';');
    write(line);
    lines += 1;
    if (index % 20 === 19) {
      write(line.replace(person.email, person.email.toUpperCase()));
      lines += 1;
    }
  });
  fs.closeSync(out);
  return lines;
}

export async function runImportBench(options: { n: number; pgUrl: string; profileDir?: string }): Promise<boolean> {
  const { n, pgUrl, profileDir } = options;
  const name = `rapport_bench_import_${process.pid}`;
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = databaseUrl(pgUrl, name);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-import-bench-'));
  const file = path.join(folder, 'contacts-fr.csv');
  let server: ServerProcess | undefined;
  try {
    log(`generating ${n.toLocaleString('en')} French contacts…`);
    const rows = people(n);
    const lines = writeCsv(file, rows);
    log(`${lines.toLocaleString('en')} lines, ${(fs.statSync(file).size / 1e6).toFixed(1)} MB`);
    server = await ServerProcess.start(path.join(here, 'server-child.ts'), benchServerEnv({ DATABASE_URL: url, RAPPORT_DATA_DIR: folder, RAPPORT_PLUGINS: '@rapport/plugin-data-ops' }), { execArgv: ['--expose-gc', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])] });
    const auth = { authorization: `Bearer ${server.ready.token}` };
    const enabled = await fetch(`${server.url}/api/v1/plugins/data-ops/enable`, { method: 'POST', headers: auth });
    if (!enabled.ok) throw new Error(`enabling data-ops answered ${enabled.status}: ${await enabled.text()}`);
    const idleRss = readRssMb(server.ready.pid).rss;
    const heap = async () => (await server!.request<{ type: 'heap'; id: number; heapMb: number }>({ type: 'heap' })).heapMb;
    const idleHeap = await heap();
    let midHeap: number | null = null;
    // CPU of both sides during the import: the server's, and PostgreSQL's (all its processes, on this machine).
    const target = postgres(url, { max: 1, onnotice: () => {} });
    const [{ pid: backend }] = await target<{ pid: number }[]>`select pg_backend_pid() as pid`;
    const postmaster = parentPid(backend!);
    const cpuBefore = { server: cpuTimeMs(server.ready.pid), database: postmaster ? treeCpuTimeMs(postmaster) : null };
    const began = performance.now();
    const upload = await fetch(`${server.url}/api/v1/plugins/data-ops/imports?object=person&fileName=contacts-fr.csv`, { method: 'POST', headers: auth, body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream, duplex: 'half' } as RequestInit);
    if (upload.status !== 201) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
    const { id } = (await upload.json()) as { id: string };
    const uploaded = performance.now();
    const start = await fetch(`${server.url}/api/v1/plugins/data-ops/imports/${id}/start`, { method: 'POST', headers: auth });
    if (start.status !== 202) throw new Error(`start answered ${start.status}: ${await start.text()}`);
    let view: { status: string; progress: { processed: number; created: number; skipped: number; rejected: number; updated: number } };
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      view = (await (await fetch(`${server.url}/api/v1/plugins/data-ops/imports/${id}`, { headers: auth })).json()) as typeof view;
      // Half way through: what the run holds then, rows of the file not counted in any cache.
      if (midHeap === null && view.progress.processed >= lines / 2) midHeap = await heap();
    } while (view.status === 'running');
    const finished = performance.now();
    const cpuUs = (before: number | null, after: number | null) => (before === null || after === null ? null : ((after - before) * 1000) / lines);
    const serverCpu = cpuUs(cpuBefore.server, cpuTimeMs(server.ready.pid));
    const databaseCpu = postmaster ? cpuUs(cpuBefore.database, treeCpuTimeMs(postmaster)) : null;
    // The kernel's high-water mark: the most the server held at any time, sampled or not.
    const peakRss = readRssMb(server.ready.pid).hwm;
    const endHeap = await heap();
    if (view.status !== 'done') throw new Error(`the import ended ${view.status}`);
    const total = (finished - began) / 1000;
    const importRate = lines / total;
    log(`import: ${JSON.stringify(view.progress)} in ${total.toFixed(1)} s (upload ${((uploaded - began) / 1000).toFixed(1)} s)`);

    // The bare baseline: the same people, already clean, COPYed into the same table and indexes.
    const [{ workspace_id: workspaceId }] = await target<{ workspace_id: string }[]>`select workspace_id from person limit 1`;
    const copyBegan = performance.now();
    const writable = await target`copy person (workspace_id, id, first_name, last_name, email, phone, address, consent_status, opt_in_at) from stdin`.writable();
    const consent: Record<string, string> = { Accordé: 'granted', Refusé: 'denied', Inconnu: 'unknown', Retiré: 'withdrawn' };
    await new Promise<void>((resolve, reject) => {
      writable.on('error', reject);
      writable.on('finish', resolve);
      let index = 0;
      const pump = () => {
        while (index < rows.length) {
          const person = rows[index]!;
          const address = JSON.stringify({ postalCode: person.postalCode, city: person.city, country: 'FR' }).replaceAll('\\', '\\\\');
          const line = [workspaceId, crypto.randomUUID(), person.firstName, person.lastName, `copy.${person.email}`, `+33${person.digits}`, address, consent[person.consent], person.optIn ? person.optIn.toISOString() : '\\N'].join('\t');
          index += 1;
          if (!writable.write(`${line}\n`)) return void writable.once('drain', pump);
        }
        writable.end();
      };
      pump();
    });
    const copyRate = rows.length / ((performance.now() - copyBegan) / 1000);
    await target.end({ timeout: 5 });

    const report: Row[] = [
      { metric: `import of ${lines.toLocaleString('en')} lines (clean, dedup, write)`, value: Math.round(importRate), unit: 'rows/s', target: { op: '>=', value: 12_000 }, note: `${view.progress.created} created, ${view.progress.skipped} duplicates skipped, ${view.progress.rejected} rejected` },
      { metric: 'COPY into the same table (bare baseline)', value: Math.round(copyRate), unit: 'rows/s' },
      { metric: 'import ÷ COPY', value: importRate / copyRate, unit: '×', target: { op: '>=', value: 0.5 } },
      ...(serverCpu === null ? [] : [{ metric: 'CPU a line: the server', value: serverCpu, unit: 'µs', note: 'user + system time over the import, upload included' }]),
      ...(databaseCpu === null ? [] : [{ metric: 'CPU a line: PostgreSQL', value: databaseCpu, unit: 'µs', note: `all its processes; 12,000 lines/s on ${os.cpus().length} cores leaves ${Math.round((os.cpus().length * 1e6) / 12_000)} µs for both` }]),
      { metric: 'server memory, idle', value: idleRss, unit: 'MB' },
      { metric: 'server memory, peak during the import', value: peakRss, unit: 'MB', note: `file ${(fs.statSync(file).size / 1e6).toFixed(1)} MB; the collector takes its time: see the live heap` },
      { metric: 'live JS heap after a full GC: idle / half way / done', value: midHeap ?? endHeap, unit: 'MB', note: `idle ${idleHeap} MB, half way ${midHeap ?? '?'} MB, done ${endHeap} MB: flat if these stay apart by the same at any file size` },
    ];
    log('');
    log(table(report));
    const resultDir = path.resolve(here, '../results');
    fs.mkdirSync(resultDir, { recursive: true });
    fs.writeFileSync(path.join(resultDir, `import-${n}.json`), JSON.stringify({ at: new Date().toISOString(), n, lines, report }, null, 2));
    return report.every((row) => verdict(row) !== 'FAIL');
  } finally {
    await server?.close();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end({ timeout: 5 });
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
