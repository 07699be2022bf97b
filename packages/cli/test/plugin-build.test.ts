import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { buildPluginServer, buildPluginWeb } from '../src/plugin-build';

const repo = path.resolve(import.meta.dirname, '../../..');
const folder = path.join(repo, 'packages', 'cli', '.test-plugins', `web-${process.pid}`);
afterAll(() => fs.rmSync(path.dirname(folder), { recursive: true, force: true }));

function plugin(files: Record<string, string>, exportsWeb: string | null = './dist/web.js') {
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(path.join(folder, 'src'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name: 'rapport-plugin-web-test', type: 'module', exports: exportsWeb ? { './web': exportsWeb } : {} }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
}

it("builds the hello plugin's web module with the shared libraries left to the shell's import map", async () => {
  plugin({ 'src/web.tsx': fs.readFileSync(path.join(repo, 'plugins/hello/src/web.tsx'), 'utf8') });
  const built = await buildPluginWeb(folder);
  const code = fs.readFileSync(built.entry, 'utf8');
  expect(code).toMatch(/from"@rapport\/sdk\/web"/);
  expect(code).toMatch(/from"react\/jsx-runtime"/);
  expect(code).toMatch(/from"@tanstack\/react-query"/);
  // No copy of React inside: its internals would be there otherwise.
  expect(code).not.toContain('__SECRET_INTERNALS');
  expect(code).not.toContain('react.element');
  expect(built.bytes).toBeLessThan(10_000);
});

it('says in one line what is missing or wrong', async () => {
  plugin({}, './dist/web.js');
  await expect(buildPluginWeb(folder)).rejects.toThrow(/has no src\/web.tsx/);
  plugin({ 'src/web.tsx': 'export default 1;' }, null);
  await expect(buildPluginWeb(folder)).rejects.toThrow(/must export "\.\/web": "\.\/dist\/web\.js"/);
  plugin({ 'src/web.tsx': 'import { x } from "./nowhere";\nexport default x;' });
  await expect(buildPluginWeb(folder)).rejects.toThrow(/src\/web\.tsx:1: Could not resolve "\.\/nowhere"/);
  await expect(buildPluginWeb(path.join(folder, 'missing'))).rejects.toThrow(/has no package.json/);
});

it('builds the manifest and server to JavaScript for a package that exports them so, every package left an import', async () => {
  plugin({ 'src/manifest.ts': fs.readFileSync(path.join(repo, 'plugins/example-visits/src/manifest.ts'), 'utf8'), 'src/server.ts': fs.readFileSync(path.join(repo, 'plugins/example-visits/src/server.ts'), 'utf8') });
  // Its dependencies as pnpm installed them (the build checks that Node resolves every import).
  fs.symlinkSync(path.join(repo, 'plugins/example-visits/node_modules'), path.join(folder, 'node_modules'), 'dir');
  const pkg = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...pkg, exports: { './manifest': './dist/manifest.js', './server': './dist/server.js' } }));
  const built = await buildPluginServer(folder);
  expect(built.files.sort()).toEqual(['dist/manifest.js', 'dist/server.js']);
  const server = fs.readFileSync(path.join(folder, 'dist/server.js'), 'utf8');
  // The SDK is the host's and zod the package's own dependency: imported, never copied in.
  expect(server).toMatch(/from "@rapport\/sdk\/server"/);
  expect(server).toMatch(/from "zod"/);
  expect(server).toContain('example-visits');
  expect(server.length).toBeLessThan(10_000);
  // Sources by default, JavaScript under the built server's condition (this repository's plugins): built.
  fs.rmSync(path.join(folder, 'dist'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...pkg, exports: { './manifest': { 'rapport-built': './dist/manifest.js', default: './src/manifest.ts' }, './server': { 'rapport-built': './dist/server.js', default: './src/server.ts' } } }));
  expect((await buildPluginServer(folder)).files.sort()).toEqual(['dist/manifest.js', 'dist/server.js']);
  expect(fs.readFileSync(path.join(folder, 'dist/server.js'), 'utf8')).toMatch(/from "@rapport\/sdk\/server"/);
  // Exported as TypeScript only: nothing to build.
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...pkg, exports: { './manifest': './src/manifest.ts', './server': './src/server.ts' } }));
  expect((await buildPluginServer(folder)).files).toEqual([]);
  // Exported as JavaScript with no source to build it from: said in one line.
  fs.rmSync(path.join(folder, 'src/server.ts'));
  fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...pkg, exports: { './server': './dist/server.js' } }));
  await expect(buildPluginServer(folder)).rejects.toThrow(/exports "\.\/server": "\.\/dist\/server\.js" but has no src\/server\.ts/);
});

it("refuses a built server whose imports Node would not resolve without a TypeScript loader, naming the import", async () => {
  const exportsBuilt = { './manifest': { 'rapport-built': './dist/manifest.js', default: './src/manifest.ts' }, './server': { 'rapport-built': './dist/server.js', default: './src/server.ts' } };
  const write = (serverSource: string) => {
    plugin({ 'src/manifest.ts': 'export default { id: "imports-test" };\n', 'src/server.ts': serverSource });
    const pkg = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...pkg, exports: exportsBuilt }));
    // A CommonJS library of the plugin's own, without an `exports` map (as talisman and validator are).
    const lib = path.join(folder, 'node_modules', 'old-style-lib');
    fs.mkdirSync(path.join(lib, 'metrics'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'package.json'), JSON.stringify({ name: 'old-style-lib', version: '1.0.0', main: 'index.js' }));
    fs.writeFileSync(path.join(lib, 'index.js'), 'module.exports = {};\n');
    fs.writeFileSync(path.join(lib, 'metrics', 'distance.js'), 'module.exports = (a, b) => (a === b ? 0 : 1);\n');
  };
  write('import distance from "old-style-lib/metrics/distance";\nexport default { distance };\n');
  await expect(buildPluginServer(folder)).rejects.toThrow(/dist\/server\.js imports "old-style-lib\/metrics\/distance", which Node does not find .*: write "old-style-lib\/metrics\/distance\.js"/);
  write('import missing from "not-a-dependency-of-this-plugin";\nexport default { missing };\n');
  await expect(buildPluginServer(folder)).rejects.toThrow(/dist\/server\.js imports "not-a-dependency-of-this-plugin", which Node cannot resolve from this package .*add it to its dependencies/);
  write('import distance from "old-style-lib/metrics/distance.js";\nimport fs from "node:fs";\nimport path from "path";\nexport default { distance, fs, path };\n');
  expect((await buildPluginServer(folder)).files.sort()).toEqual(['dist/manifest.js', 'dist/server.js']);
  // And it loads as the built server loads it: plain Node.
  const loaded = (await import(`${pathToFileURL(path.join(folder, 'dist/server.js')).href}?${Date.now()}`)) as { default: { distance: (a: string, b: string) => number } };
  expect(loaded.default.distance('a', 'b')).toBe(1);
});
