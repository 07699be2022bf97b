import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError } from '../src/data-dir-lock';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-lock-'));
  dirs.push(dir);
  return dir;
}

it('refuses a data folder another live process holds', async () => {
  const dir = tempDir();
  const holder = spawn(process.execPath, ['-e', `require('fs').writeFileSync(${JSON.stringify(path.join(dir, 'rapport.lock'))}, String(process.pid)); setTimeout(() => {}, 30000)`], { stdio: 'ignore' });
  try {
    while (!fs.existsSync(path.join(dir, 'rapport.lock')) || fs.readFileSync(path.join(dir, 'rapport.lock'), 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(new RegExp(`in use by process ${holder.pid}`));
  } finally {
    holder.kill('SIGKILL');
  }
});

it('takes over the lock of a process that died (kill -9)', async () => {
  const dir = tempDir();
  const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => dead.once('exit', resolve));
  fs.writeFileSync(path.join(dir, 'rapport.lock'), String(dead.pid));
  const release = acquireDataDirLock(dir);
  expect(fs.readFileSync(path.join(dir, 'rapport.lock'), 'utf8')).toBe(String(process.pid));
  release();
  expect(fs.existsSync(path.join(dir, 'rapport.lock'))).toBe(false);
});

it('lets one of two takers in the same process win, not both', () => {
  const dir = tempDir();
  const release = acquireDataDirLock(dir);
  // Our own pid is alive: a second acquisition by a different owner would be refused; the same
  // process re-acquiring is a programming error we surface as "in use" too.
  fs.writeFileSync(path.join(dir, 'rapport.lock'), String(process.ppid));
  expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
  release();
});
