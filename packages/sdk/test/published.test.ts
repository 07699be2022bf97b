import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * The SDK as a plugin author gets it from npm: `pnpm pack` (which builds dist/), unpacked into a
 * project of its own with only its npm dependencies beside it — no workspace, no TypeScript loader.
 */
const sdk = path.resolve(import.meta.dirname, '..');
const repo = path.resolve(sdk, '../..');
const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
let project = '';

beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-sdk-published-'));
  execFileSync('pnpm', ['pack', '--pack-destination', project], { cwd: sdk, stdio: 'pipe' });
  const tarball = fs.readdirSync(project).find((file) => file.endsWith('.tgz'))!;
  execFileSync('tar', ['-xzf', path.join(project, tarball), '-C', project]);
  fs.mkdirSync(path.join(project, 'node_modules', '@rapport'), { recursive: true });
  fs.renameSync(path.join(project, 'package'), path.join(project, 'node_modules', '@rapport', 'sdk'));
  const manifest = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@rapport', 'sdk', 'package.json'), 'utf8'));
  // What npm installs beside it: its dependencies (and React, its optional peer, for the web side).
  for (const name of [...Object.keys(manifest.dependencies), 'react', '@types/react']) {
    fs.mkdirSync(path.dirname(path.join(project, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(sdk, 'node_modules', name)), path.join(project, 'node_modules', name));
  }
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'a-plugin', type: 'module', private: true }));
}, 120_000);
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

it('ships built JavaScript and declarations, and depends on nothing unpublished', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', '@rapport', 'sdk', 'package.json'), 'utf8'));
  expect(pkg.exports['./server']).toEqual({ types: './dist/server.d.ts', import: './dist/server.js' });
  expect(Object.keys(pkg.dependencies).filter((name) => name.startsWith('@rapport/'))).toEqual([]);
  expect(fs.existsSync(path.join(project, 'node_modules', '@rapport', 'sdk', 'src'))).toBe(false);
});

it('runs in plain Node: a manifest is checked, a refusal is a problem the server recognises', () => {
  const script = `
    const { defineManifest } = await import('@rapport/sdk/manifest');
    const { defineServer, refuse, relationId } = await import('@rapport/sdk/server');
    const manifest = defineManifest({ id: 'visits', version: '1.0.0', displayName: { en: 'Visits' }, engines: { rapport: '^1.0.0' } });
    const server = defineServer(manifest, () => {});
    const problem = refuse('No', [{ field: 'days', code: 'too_small', message: 'must be 1 or more' }]);
    let refused = '';
    try { defineManifest({ id: 'Bad Id', version: '1.0.0', displayName: { en: 'x' }, engines: { rapport: '^1.0.0' } }); } catch (error) { refused = error.message; }
    console.log(JSON.stringify({ id: server.manifest.id, status: problem.status, field: problem.errors[0].field, relation: relationId({ id: 'x' }), refused: refused.includes('id') }));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(JSON.parse(result.stdout)).toEqual({ id: 'visits', status: 422, field: 'days', relation: 'x', refused: true });
}, 60_000);

it('types a plugin against it, and a wrong manifest or context use does not compile', () => {
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', jsx: 'react-jsx', skipLibCheck: true, noEmit: true, types: [] }, include: ['src'] }),
  );
  const example = path.join(repo, 'plugins', 'example-visits', 'src');
  for (const file of ['manifest.ts', 'server.ts']) fs.copyFileSync(path.join(example, file), path.join(project, 'src', file));
  fs.writeFileSync(
    path.join(project, 'src', 'web.tsx'),
    `import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';
function Panel({ record }: RecordSlotProps) {
  const { t } = useRapport();
  return <p>{t({ en: \`Visits of \${String(record.lastName)}\`, fr: \`Visites de \${String(record.lastName)}\` })}</p>;
}
export default defineWeb({ id: 'example-visits' }, { slots: { 'record.panel/v1': [{ id: 'visits', title: { en: 'Visits' }, objects: ['person'], component: Panel }] } });
`,
  );
  const good = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  expect(good.stdout + good.stderr).toBe('');
  expect(good.status).toBe(0);

  fs.writeFileSync(
    path.join(project, 'src', 'wrong.ts'),
    `import { defineManifest } from '@rapport/sdk/manifest';
import { defineServer } from '@rapport/sdk/server';
const manifest = defineManifest({ id: 42, version: '1.0.0', displayName: { en: 'x' }, engines: { rapport: '^1.0.0' } });
export default defineServer(manifest, (ctx) => { ctx.records('w').lisst('person'); });
`,
  );
  const wrong = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
  expect(wrong.status).not.toBe(0);
  expect(wrong.stdout).toMatch(/wrong\.ts\(3,[0-9]+\): error TS2322/);
  expect(wrong.stdout).toMatch(/wrong\.ts\(4,[0-9]+\): error TS2551: Property 'lisst' does not exist/);
}, 120_000);
