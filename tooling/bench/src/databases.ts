import fs from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';

/*
 * Seeded templates, kept between runs so that the seed (an hour or so at 1M contacts) is paid once:
 * a Postgres database `rapport_bench_tpl_<n>` cloned with CREATE DATABASE … TEMPLATE, or a PGlite
 * data folder copied. A template only gets its final name once its seed has finished.
 */

export interface Target {
  driver: 'postgres' | 'pglite';
  /** The environment that points a Rapport server at this database. */
  env: Record<string, string>;
  /** What the bare baseline opens: a URL, or the PGlite files folder. */
  bareLocation: string;
  describe: string;
}

export interface TemplateStore {
  /** The template's seed report, or null when there is none yet. */
  existing(): Promise<Record<string, unknown> | null>;
  /** A fresh, empty database to seed into. */
  startSeeding(): Promise<Target>;
  /** Gives the seeded database its final name, with its report. */
  finishSeeding(report: Record<string, unknown>): Promise<void>;
  /** A copy of the template for one run. */
  createRun(): Promise<Target>;
  dropRun(): Promise<void>;
  drop(): Promise<void>;
}

const quoteIdent = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unexpected database name ${name}`);
  return `"${name}"`;
};

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export class PostgresTemplates implements TemplateStore {
  private readonly template: string;
  private readonly seeding: string;
  private readonly run: string;

  constructor(
    private readonly adminUrl: string,
    n: number,
  ) {
    this.template = `rapport_bench_tpl_${n}`;
    this.seeding = `rapport_bench_seeding_${n}`;
    this.run = `rapport_bench_run_${n}_${process.pid}`;
  }

  private async admin<T>(work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
    const sql = postgres(this.adminUrl, { max: 1, onnotice: () => {} });
    try {
      return await work(sql);
    } finally {
      await sql.end({ timeout: 5 });
    }
  }

  private target(name: string): Target {
    const url = databaseUrl(this.adminUrl, name);
    return { driver: 'postgres', env: { DATABASE_URL: url }, bareLocation: url, describe: `postgres database ${name}` };
  }

  existing() {
    return this.admin(async (sql) => {
      const rows = await sql<{ comment: string | null }[]>`select shobj_description(oid, 'pg_database') as comment from pg_database where datname = ${this.template}`;
      if (rows.length === 0) return null;
      try {
        return JSON.parse(rows[0]!.comment ?? '{}') as Record<string, unknown>;
      } catch {
        return {};
      }
    });
  }

  async startSeeding(): Promise<Target> {
    await this.admin(async (sql) => {
      await sql.unsafe(`drop database if exists ${quoteIdent(this.seeding)} with (force)`);
      await sql.unsafe(`create database ${quoteIdent(this.seeding)}`);
    });
    return this.target(this.seeding);
  }

  async finishSeeding(report: Record<string, unknown>): Promise<void> {
    await this.admin(async (sql) => {
      await sql.unsafe(`drop database if exists ${quoteIdent(this.template)} with (force)`);
      await sql.unsafe(`alter database ${quoteIdent(this.seeding)} rename to ${quoteIdent(this.template)}`);
      await sql.unsafe(`comment on database ${quoteIdent(this.template)} is '${JSON.stringify(report).replaceAll("'", "''")}'`);
    });
  }

  async createRun(): Promise<Target> {
    await this.admin(async (sql) => {
      // Leftovers of runs that were killed (their process is gone).
      const runs = await sql<{ datname: string }[]>`select datname from pg_database where datname like 'rapport_bench_run_%'`;
      for (const { datname } of runs) {
        const pid = Number(/_(\d+)$/.exec(datname)?.[1]);
        if (pid && !isAlive(pid)) await sql.unsafe(`drop database if exists ${quoteIdent(datname)} with (force)`);
      }
      await sql.unsafe(`create database ${quoteIdent(this.run)} template ${quoteIdent(this.template)}`);
    });
    return this.target(this.run);
  }

  dropRun() {
    return this.admin(async (sql) => {
      await sql.unsafe(`drop database if exists ${quoteIdent(this.run)} with (force)`);
    });
  }

  drop() {
    return this.admin(async (sql) => {
      await sql.unsafe(`drop database if exists ${quoteIdent(this.template)} with (force)`);
    });
  }
}

const META = 'bench-meta.json';
const TRANSIENT = new Set(['rapport.lock', 'admin.sock']);

export class PgliteTemplates implements TemplateStore {
  private readonly template: string;
  private readonly seeding: string;
  private readonly run: string;

  constructor(root: string, n: number) {
    this.template = path.join(root, `pglite-tpl-${n}`);
    this.seeding = path.join(root, `pglite-seeding-${n}`);
    this.run = path.join(root, `pglite-run-${n}-${process.pid}`);
  }

  private target(dir: string): Target {
    // The server keeps its PGlite files in <data folder>/pgdata (pgliteDataPath).
    return { driver: 'pglite', env: { RAPPORT_DATA_DIR: dir }, bareLocation: path.join(dir, 'pgdata'), describe: `PGlite folder ${dir}` };
  }

  async existing() {
    try {
      return JSON.parse(fs.readFileSync(path.join(this.template, META), 'utf8')) as Record<string, unknown>;
    } catch {
      return null;
    }
  }

  async startSeeding(): Promise<Target> {
    fs.rmSync(this.seeding, { recursive: true, force: true });
    fs.mkdirSync(this.seeding, { recursive: true });
    return this.target(this.seeding);
  }

  async finishSeeding(report: Record<string, unknown>): Promise<void> {
    fs.writeFileSync(path.join(this.seeding, META), `${JSON.stringify(report, null, 2)}\n`);
    fs.rmSync(this.template, { recursive: true, force: true });
    fs.renameSync(this.seeding, this.template);
  }

  async createRun(): Promise<Target> {
    const root = path.dirname(this.run);
    for (const entry of fs.existsSync(root) ? fs.readdirSync(root) : []) {
      const match = /^pglite-run-\d+-(\d+)$/.exec(entry);
      if (match && !isAlive(Number(match[1]))) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
    }
    fs.rmSync(this.run, { recursive: true, force: true });
    fs.cpSync(this.template, this.run, { recursive: true, filter: (source) => !TRANSIENT.has(path.basename(source)) });
    return this.target(this.run);
  }

  async dropRun() {
    fs.rmSync(this.run, { recursive: true, force: true });
  }

  async drop() {
    fs.rmSync(this.template, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
