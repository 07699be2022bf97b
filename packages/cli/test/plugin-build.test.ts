import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildPluginWeb } from '../src/plugin-build';

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
