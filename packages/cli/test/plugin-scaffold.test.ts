import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildPluginServer, buildPluginWeb } from '../src/plugin-build';
import { scaffoldPlugin } from '../src/plugin-scaffold';
import { linkPluginDependencies } from './link-plugin';

const repo = path.resolve(import.meta.dirname, '../../..');
const base = path.join(repo, 'packages', 'cli', '.test-plugins', `scaffold-${process.pid}`);
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

it('scaffolds a plugin whose tests pass as generated (on PGlite and PostgreSQL), which type-checks on its own and whose web module builds', { timeout: 240_000 }, async () => {
  const { folder, files } = scaffoldPlugin('field-visits', { dir: path.join(base, 'field-visits') });
  expect(files).toEqual(expect.arrayContaining(['package.json', 'tsconfig.json', 'README.md', 'src/manifest.ts', 'src/server.ts', 'src/web.tsx', 'test/field-visits.db.test.ts']));
  expect(JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')).dependencies['@rapport/sdk']).toBe('workspace:*');
  linkPluginDependencies(folder, { types: true });
  // Its own tsconfig, as `pnpm typecheck` runs it: server, web and test against the SDK's types.
  const tsc = spawnSync(process.execPath, [createRequire(path.join(folder, 'package.json')).resolve('typescript/bin/tsc'), '-p', path.join(folder, 'tsconfig.json')], { cwd: folder, encoding: 'utf8', timeout: 120_000 });
  expect(tsc.status, `${tsc.stdout}\n${tsc.stderr}`).toBe(0);
  const vitest = path.join(path.dirname(createRequire(path.join(folder, 'package.json')).resolve('vitest/package.json')), 'vitest.mjs');
  const run = spawnSync(process.execPath, [vitest, 'run', '--root', folder], { cwd: folder, encoding: 'utf8', env: { ...process.env, RAPPORT_TEST_RUN: `scaffold${process.pid}`, RAPPORT_TEST_DB: '', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 200_000 });
  const output = `${run.stdout}\n${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  expect(run.status, output.slice(-3000)).toBe(0);
  expect(output).toMatch(/Tests\s+8 passed \(8\)/);
  const built = await buildPluginWeb(folder);
  expect(fs.readFileSync(built.entry, 'utf8')).toMatch(/from"@rapport\/sdk\/web"/);
  // Its manifest and server as the built server loads them: JavaScript, every import resolved by Node itself.
  expect((await buildPluginServer(folder)).files.sort()).toEqual(['dist/manifest.js', 'dist/server.js']);
  expect(JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8')).exports['./server']).toEqual({ 'rapport-built': './dist/server.js', default: './src/server.ts' });
});

it('refuses an id the host would refuse, and a folder that is not empty', () => {
  expect(() => scaffoldPlugin('Field Visits', { dir: path.join(base, 'x') })).toThrow(/is not a plugin id/);
  fs.mkdirSync(path.join(base, 'taken'), { recursive: true });
  fs.writeFileSync(path.join(base, 'taken', 'file'), '');
  expect(() => scaffoldPlugin('taken', { dir: path.join(base, 'taken') })).toThrow(/already exists and is not empty/);
});

it('makes a plugin made in plugins/ of a checkout a dependency of its root, where the server finds plugins; elsewhere, nothing else is touched', () => {
  const checkout = path.join(base, 'checkout');
  fs.mkdirSync(path.join(checkout, 'packages', 'sdk'), { recursive: true });
  fs.writeFileSync(path.join(checkout, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - plugins/*\n');
  fs.writeFileSync(path.join(checkout, 'packages', 'sdk', 'package.json'), '{ "name": "@rapport/sdk" }');
  const rootPackage = { name: 'rapport', private: true, dependencies: { '@rapport/plugin-hello': 'workspace:*', zod: '4.0.0' } };
  fs.writeFileSync(path.join(checkout, 'package.json'), JSON.stringify(rootPackage));
  const made = scaffoldPlugin('field-visits', { cwd: checkout });
  expect(made.folder).toBe(path.join(checkout, 'plugins', 'field-visits'));
  expect(made.dependencyOf).toBe(path.join(checkout, 'package.json'));
  const root = JSON.parse(fs.readFileSync(path.join(checkout, 'package.json'), 'utf8'));
  expect(Object.entries(root.dependencies)).toEqual([['@rapport/plugin-hello', 'workspace:*'], ['rapport-plugin-field-visits', 'workspace:*'], ['zod', '4.0.0']]);
  expect(root.name).toBe('rapport');

  const elsewhere = scaffoldPlugin('other-visits', { cwd: checkout, dir: path.join(checkout, 'experiments', 'other-visits') });
  expect(elsewhere.dependencyOf).toBeUndefined();
  expect(Object.keys(JSON.parse(fs.readFileSync(path.join(checkout, 'package.json'), 'utf8')).dependencies)).not.toContain('rapport-plugin-other-visits');
});
