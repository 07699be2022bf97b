// Bundles the server (the workspace's TypeScript, inlined) into apps/server/dist/main.js; npm
// dependencies stay in node_modules. (The CLI runs from source with tsx: `pnpm rapport`.)
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/*
 * Our packages (@rapport/*) are inlined; npm packages stay external, imported by the absolute path
 * esbuild resolved from the importing package, since pnpm gives each package its own node_modules.
 */
const inlineWorkspace = {
  name: 'inline-workspace',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inner || args.path.startsWith('@rapport/') || args.path.startsWith('node:')) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: true };
    });
    // Each of our modules keeps its own import.meta.url, so that it finds its package's files
    // (migrations, assets) from the bundle as it does from source.
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.readFile(args.path, 'utf8');
      return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  plugins: [inlineWorkspace],
  banner: { js: "import { createRequire as __rapportRequire } from 'node:module'; const require = __rapportRequire(import.meta.url);" },
};

const started = Date.now();
await Promise.all([
  build({ ...common, entryPoints: [path.join(root, 'apps/server/src/main.ts')], outfile: path.join(root, 'apps/server/dist/main.js') }),
]);
if (process.env.RAPPORT_BUILD_QUIET !== '1') console.log(`built the server in ${Date.now() - started} ms`);

// What the built server loads under the `rapport-built` condition (package.json `exports`), so that it
// runs no TypeScript loader: the SDK's JavaScript, and each plugin of this repository's manifest and
// server (plugins/*/dist), as `rapport plugin build` makes them; with its web module (src/web.tsx), if any.
const tsx = (script, scriptArgs) => spawnSync(process.execPath, ['--import', 'tsx', script, ...scriptArgs], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
if (tsx(path.join(root, 'packages/sdk/scripts/build.ts'), ['--no-declarations']).status !== 0) {
  console.error('rapport: building the SDK failed (see above)');
  process.exit(1);
}
for (const folder of readdirSync(path.join(root, 'plugins'))) {
  const dir = path.join(root, 'plugins', folder);
  if (!existsSync(path.join(dir, 'package.json'))) continue;
  if (tsx(path.join(root, 'packages/cli/src/bin.ts'), ['plugin', 'build', dir]).status !== 0) {
    console.error(`rapport: building plugins/${folder} failed (see above)`);
    process.exit(1);
  }
}
// Imported once as the built server will (plain Node, no TypeScript loader): an import only tsx
// resolves (a path without its extension) fails the build here, not a plugin's start later.
const builtServers = readdirSync(path.join(root, 'plugins'))
  .map((folder) => path.join(root, 'plugins', folder, 'dist', 'server.js'))
  .filter((file) => existsSync(file));
const check = spawnSync(process.execPath, ['--conditions=rapport-built', '--input-type=module', '-e', `for (const file of ${JSON.stringify(builtServers.map((file) => pathToFileURL(file).href))}) await import(file);`], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (check.status !== 0) {
  console.error('rapport: a built plugin does not load in plain Node (see above)');
  process.exit(1);
}

// The web shell, into apps/web/dist (which the server serves).
const webStarted = Date.now();
const web = spawnSync('pnpm', ['--filter', '@rapport/web', 'exec', 'vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (web.status !== 0) {
  console.error('rapport: building the web shell failed (see above)');
  process.exit(1);
}
if (process.env.RAPPORT_BUILD_QUIET !== '1') console.log(`built the web shell in ${Date.now() - webStarted} ms`);
