import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, test } from 'vitest';
import { databaseUrl, postgresAdminUrl, postgresReachable } from '@rapport/testing';
import { run } from '../src/index';

/*
 * The real CLI, as a child process (`node --import tsx packages/cli/src/bin.ts …`), on a temporary
 * data folder: alone, beside a running server (through its admin socket), and on PostgreSQL.
 * The scenarios run concurrently, as each spends most of its time starting Node and PGlite; checks
 * that need no process of their own call `run()` in this process, with the same environment.
 */

const root = fileURLToPath(new URL('../../..', import.meta.url));
const temporary = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-cli-'));
const children = new Set<ChildProcess>();

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(temporary, { recursive: true, force: true });
});

/** The environment of the tests' process, less any Rapport setting that would leak into the CLI. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'DATABASE_URL' || key === 'PORT' || key === 'HOST' || (key.startsWith('RAPPORT_') && key !== 'RAPPORT_TEST_RUN')) continue;
    env[key] = value;
  }
  return { ...env, RAPPORT_DEMO_DATA: 'false', RAPPORT_LOG_LEVEL: 'warn', ...extra };
}

function spawnNode(script: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI in this process: `run()` with captured output, the exit code it would exit with. */
async function rapportHere(args: string[], env: Record<string, string>): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: baseEnv(env) });
  return { code, stdout, stderr };
}

function rapport(args: string[], env: Record<string, string>): Promise<Result> {
  const child = spawnNode('packages/cli/src/bin.ts', args, env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

/** A failure as the CLI promises it: one line on stderr, nothing on stdout. */
function expectOneLineFailure(result: Result, exitCode: number, pattern: RegExp) {
  expect(result.code, result.stderr).toBe(exitCode);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^rapport: [^\n]+\n$/);
  expect(result.stderr).toMatch(pattern);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `rapport start` (what apps/server runs), on a free port. */
async function startServer(env: Record<string, string>): Promise<{ url: string; stop(): Promise<number | null> }> {
  const port = await freePort();
  const child = spawnNode('packages/cli/src/bin.ts', ['start'], { ...env, PORT: String(port), HOST: '127.0.0.1', RAPPORT_LOG_LEVEL: 'info' });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Rapport listening on')) resolve();
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`the server exited (${code}): ${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

const recordsStatus = async (url: string, token: string) =>
  (await fetch(`${url}/api/v1/records/company?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status;

describe('rapport', () => {
  test.concurrent('usage: help, version, and one line with exit code 2 for a bad command line', { timeout: 60_000 }, async () => {
    const env = { RAPPORT_DATA_DIR: path.join(temporary, 'unused') };
    const [version, unknown, help, subHelp, none, missing, badRole, group, doctor] = await Promise.all([
      rapport(['--version'], env),
      rapport(['frobnicate'], env),
      rapportHere(['--help'], env),
      rapportHere(['users', 'create', '--help'], env),
      rapportHere([], env),
      rapportHere(['api-key', 'create'], env),
      rapportHere(['users', 'create', '--email', 'a@example.com', '--name', 'A', '--role'], env),
      rapportHere(['api-key'], env),
      rapportHere(['doctor'], env),
    ]);
    expect(help.code).toBe(0);
    for (const command of ['start', 'migrate', 'seed', 'api-key', 'users', 'doctor']) expect(help.stdout).toContain(command);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
    expect(subHelp.code).toBe(0);
    expect(subHelp.stdout).toContain('--password');
    expectOneLineFailure(none, 2, /missing command/);
    expectOneLineFailure(unknown, 2, /unknown command 'frobnicate'/);
    expectOneLineFailure(missing, 2, /--name/);
    expectOneLineFailure(badRole, 2, /--role <role>' argument missing/);
    expectOneLineFailure(group, 2, /missing command after api-key/);
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/^✗ database: none yet in /m);
    expect(fs.existsSync(env.RAPPORT_DATA_DIR)).toBe(false); // neither refused commands nor doctor made a data folder
  });

  test.concurrent('on PGlite: alone, then beside a running server through its admin socket', { timeout: 240_000 }, async () => {
    const env = { RAPPORT_DATA_DIR: path.join(temporary, 'pglite') };

    // No server: the CLI opens the data folder itself.
    const dryRun = await rapport(['migrate', '--dry-run'], env);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    const pending = dryRun.stdout.trim().split('\n');
    expect(pending.length).toBeGreaterThan(0);
    for (const line of pending) expect(line).toMatch(/^would apply core\/\w+$/);

    const migrated = await rapport(['migrate'], env);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stdout.trim().split('\n')).toEqual(pending.map((line) => line.replace('would apply', 'applied')));

    const key = await rapport(['api-key', 'create', '--name', 'before the server'], env);
    expect(key.code, key.stderr).toBe(0);
    expect(key.stdout).toMatch(/^rk_[\w-]+\n$/);
    expect(key.stderr).toContain('first run: created the workspace and the admin admin@rapport.local');
    const earlyToken = key.stdout.trim();

    const user = await rapport(['users', 'create', '--email', 'ada@example.com', '--name', 'Ada'], env);
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toMatch(/^email +ada@example\.com$/m);
    expect(user.stdout).toMatch(/^role +sales_rep$/m);
    expect(user.stdout).toMatch(/^password +\S{12,}/m);

    const healthy = await rapport(['doctor'], env);
    expect(healthy.code, healthy.stdout + healthy.stderr).toBe(0);
    expect(healthy.stdout).toMatch(/^✓ server: not running/m);
    expect(healthy.stdout).toMatch(/^✓ migrations: /m);
    expect(healthy.stdout).not.toContain('✗');

    // A server now owns the folder (`rapport start`): the CLI goes through its admin socket.
    const server = await startServer(env);
    expect(await recordsStatus(server.url, earlyToken)).toBe(200);

    const [viaSocket, doctor, taken, invalid, seeded, migrateBeside] = await Promise.all([
      rapport(['api-key', 'create', '--name', 'beside the server', '--role', 'sales_rep'], env),
      rapport(['doctor'], env),
      rapportHere(['users', 'create', '--email', 'ada@example.com', '--name', 'Ada again'], env),
      rapportHere(['users', 'create', '--email', 'not-an-email', '--name', 'X'], env),
      rapportHere(['seed', '--demo'], env),
      rapportHere(['migrate', '--dry-run'], env),
    ]);
    expect(viaSocket.code, viaSocket.stderr).toBe(0);
    expect(viaSocket.stdout).toMatch(/^rk_[\w-]+\n$/);
    expect(viaSocket.stderr).not.toContain('first run');
    expect(await recordsStatus(server.url, viaSocket.stdout.trim())).toBe(200);
    expect(await recordsStatus(server.url, 'rk_not-a-key')).toBe(401);

    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/^✓ server: running as process \d+; checked through its admin socket$/m);
    expect(doctor.stdout).toMatch(/^✓ workspace: /m);

    expectOneLineFailure(taken, 1, /already exists \(email: is taken\)/);
    expectOneLineFailure(invalid, 1, /email: /);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout).toBe('seeded 24 companies and 80 people\n');
    expect(migrateBeside).toMatchObject({ code: 0, stdout: 'nothing to migrate\n' });

    expect(await server.stop()).toBe(0);
    expect(fs.readdirSync(env.RAPPORT_DATA_DIR).sort()).toEqual(['pgdata', 'secret.key']); // no socket nor lock left behind; the server key stays
  });

  test.concurrent('on PGlite: a folder held by a process that does not answer is a one-line error', { timeout: 60_000 }, async () => {
    const dataDir = path.join(temporary, 'held');
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'rapport.lock'), String(process.pid)); // this process is alive and has no admin socket
    const result = await rapport(['api-key', 'create', '--name', 'x'], { RAPPORT_DATA_DIR: dataDir });
    expectOneLineFailure(result, 1, new RegExp(`in use by process ${process.pid}, which does not answer`));
  });

  test.concurrent('on PostgreSQL (DATABASE_URL): the CLI opens the database itself', { timeout: 240_000 }, async (context) => {
    if (!(await postgresReachable())) {
      context.skip('PostgreSQL does not answer at the test URL');
      return;
    }
    const name = `rapport_cli_${randomBytes(6).toString('hex')}`;
    const admin = postgres(postgresAdminUrl(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    try {
      const env = { DATABASE_URL: databaseUrl(name), RAPPORT_DATA_DIR: path.join(temporary, 'unused-postgres') };
      const dryRun = await rapport(['migrate', '--dry-run'], env);
      expect(dryRun.code, dryRun.stderr).toBe(0);
      expect(dryRun.stdout).toMatch(/^would apply core\//);

      const key = await rapport(['api-key', 'create', '--name', 'pg'], env);
      expect(key.code, key.stderr).toBe(0);
      expect(key.stdout).toMatch(/^rk_[\w-]+\n$/);
      expect(key.stderr).toContain('applied'); // migrations first, on a fresh database

      const [user, doctor, again] = await Promise.all([
        rapportHere(['users', 'create', '--email', 'grace@example.com', '--name', 'Grace', '--password', 'a long enough password', '--role', 'admin'], env),
        rapport(['doctor'], env),
        rapportHere(['migrate'], env),
      ]);
      expect(user.code, user.stderr).toBe(0);
      expect(user.stdout).toMatch(/^role +admin$/m);
      expect(user.stdout).not.toMatch(/^password/m);
      expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
      expect(doctor.stdout).toMatch(/^✓ database: postgres at /m);
      expect(doctor.stdout).not.toContain('server:');
      expect(again).toMatchObject({ code: 0, stdout: 'nothing to migrate\n' });

      const database = postgres(databaseUrl(name), { max: 1, onnotice: () => {} });
      try {
        const rows = await database`select name from api_key where prefix = ${key.stdout.trim().slice(0, 10)}`;
        expect(rows.map((row) => row.name)).toEqual(['pg']);
      } finally {
        await database.end();
      }

      const unreachable = await rapportHere(['doctor'], { ...env, DATABASE_URL: databaseUrl(`${name}_missing`) });
      expect(unreachable.code).toBe(1);
      expect(unreachable.stdout).toMatch(/^✗ database: cannot open the PostgreSQL database .*does not exist/m);
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});

describe('rapport plugins', () => {
  test.concurrent('lists, enables and disables plugins named in RAPPORT_PLUGINS, with one-line refusals', { timeout: 60_000 }, async () => {
    const env = { RAPPORT_DATA_DIR: path.join(temporary, 'plugins'), RAPPORT_PLUGINS: '@rapport/plugin-hello' };
    const listed = await rapportHere(['plugins', 'list'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^hello +0\.1\.0 +available$/m);
    const enabled = await rapportHere(['plugins', 'enable', 'hello'], env);
    expect(enabled.stdout).toBe('hello 0.1.0: enabled (the server runs it at its next start)\n');
    expect((await rapportHere(['plugins', 'list'], env)).stdout).toMatch(/^hello +0\.1\.0 +enabled$/m);
    expectOneLineFailure(await rapportHere(['plugins', 'enable', 'nope'], env), 1, /There is no plugin "nope"/);
    expectOneLineFailure(await rapportHere(['plugins', 'list'], { ...env, RAPPORT_PLUGINS: 'rapport-plugin-not-installed' }), 1, /pnpm add rapport-plugin-not-installed/);
    expect((await rapportHere(['plugins', 'disable', 'hello'], env)).stdout).toBe('hello 0.1.0: disabled\n');
    expectOneLineFailure(await rapportHere(['plugins', 'purge', 'hello', '--confirm', 'hello'], env), 1, /uninstall hello first/);
    expect((await rapportHere(['plugins', 'uninstall', 'hello'], env)).stdout).toBe('hello 0.1.0: uninstalled\n');
    expectOneLineFailure(await rapportHere(['plugins', 'purge', 'hello', '--confirm', 'nope'], env), 1, /--confirm must repeat the plugin id "hello"/);
    expect((await rapportHere(['plugins', 'purge', 'hello', '--confirm', 'hello'], env)).stdout).toBe('hello: purged\n');
    expect((await rapportHere(['plugins', 'list'], env)).stdout).toMatch(/^hello +0\.1\.0 +available$/m);
  });
});

describe('rapport distro', () => {
  test.concurrent('applies the consultancy distribution to a fresh data folder; the second time changes nothing', { timeout: 90_000 }, async () => {
    const env = { RAPPORT_DATA_DIR: path.join(temporary, 'distro') };
    const file = path.join(root, 'apps/server/distributions/consultancy.distro.json');
    const first = await rapportHere(['distro', 'apply', file], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^objects created  engagement$/m);
    expect(first.stdout).toMatch(/^demo records     4$/m);
    const second = await rapportHere(['distro', 'apply', file], env);
    expect(second.stdout).toBe(
      ['objects created  —', 'fields added     —', 'fields changed   —', 'roles changed    —', 'plugins enabled  —', 'demo records     0', 'workspace        unchanged', ''].join('\n'),
    );
    const exported = JSON.parse((await rapportHere(['distro', 'export', '--name', 'copy'], env)).stdout);
    expect(exported).toMatchObject({ name: 'copy', workspace: { locale: 'fr', currency: 'EUR' } });
    expectOneLineFailure(await rapportHere(['distro', 'apply', path.join(temporary, 'missing.json')], env), 1, /no file/);
  });
});
