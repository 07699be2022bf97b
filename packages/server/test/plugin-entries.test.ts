import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/*
 * A plugin package exporting its sources by default and its built JavaScript under the `rapport-built`
 * condition (as this repository's plugins do), loaded in a child process with and without that
 * condition: the built server (`node --conditions=rapport-built`) takes the JavaScript, tests and
 * `pnpm dev` the sources, and a folder being worked on (`rapport dev`) is read again from its sources.
 */
const folder = path.join(import.meta.dirname, '..', '.test-plugins', `entries-${process.pid}`);
const moduleFile = path.join(import.meta.dirname, '..', 'src', 'plugins', 'plugin-module.ts');

const manifest = (from: string) => `export default { id: 'entries', version: '1.0.0', displayName: { en: 'Entries from ${from}' }, engines: { rapport: '^1.0.0' } };\n`;
const server = (from: string) => `export default { from: '${from}' };\n`;

beforeAll(() => {
  fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
  fs.mkdirSync(path.join(folder, 'dist'), { recursive: true });
  fs.writeFileSync(
    path.join(folder, 'package.json'),
    JSON.stringify({
      name: 'rapport-plugin-entries',
      type: 'module',
      exports: {
        './manifest': { 'rapport-built': './dist/manifest.js', default: './src/manifest.ts' },
        './server': { 'rapport-built': './dist/server.js', default: './src/server.ts' },
      },
    }),
  );
  fs.writeFileSync(path.join(folder, 'src', 'manifest.ts'), manifest('sources'));
  fs.writeFileSync(path.join(folder, 'src', 'server.ts'), server('sources'));
  fs.writeFileSync(path.join(folder, 'dist', 'manifest.js'), manifest('dist'));
  fs.writeFileSync(path.join(folder, 'dist', 'server.js'), server('dist'));
  fs.writeFileSync(
    path.join(folder, 'load.ts'),
    `import { importPluginFolder } from ${JSON.stringify(moduleFile)};
const first = await importPluginFolder(${JSON.stringify(folder)});
const reloaded = await first.reload!();
const answer = async (plugin: typeof first) => ({ manifest: plugin.manifest.displayName.en, server: ((await plugin.load()) as unknown as { from: string }).from });
process.stdout.write(JSON.stringify({ first: await answer(first), reloaded: await answer(reloaded) }));
`,
  );
});
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const load = (nodeFlags: string[]) =>
  JSON.parse(execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(folder, 'load.ts')], { cwd: folder, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Record<string, { manifest: string; server: string }>;

it('loads the built JavaScript under the rapport-built condition, and a folder being worked on from its sources', () => {
  expect(load(['--conditions=rapport-built'])).toEqual({
    first: { manifest: 'Entries from dist', server: 'dist' },
    reloaded: { manifest: 'Entries from sources', server: 'sources' },
  });
});

it('loads the sources without the condition', () => {
  expect(load([]).first).toEqual({ manifest: 'Entries from sources', server: 'sources' });
});

it('says in one line that the server was not built when the JavaScript is missing', () => {
  fs.rmSync(path.join(folder, 'dist', 'server.js'));
  try {
    expect(() => load(['--conditions=rapport-built'])).toThrow(/dist\/server\.js is missing: build it first \(pnpm build in this repository/);
  } finally {
    fs.writeFileSync(path.join(folder, 'dist', 'server.js'), server('dist'));
  }
});
