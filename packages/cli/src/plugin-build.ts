import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError } from './errors';

/** What a plugin's web module imports from the shell (its import map) instead of bundling: one React, one SDK context. */
export const SHARED_WEB_MODULES = ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client', '@tanstack/react-query', '@tanstack/react-router', '@rapport/ui', '@rapport/sdk/web'];

const SHARED_FILTER = new RegExp(`^(${SHARED_WEB_MODULES.map((name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})$`);

/**
 * A CommonJS library (recharts' dependencies, react-is…) that `require`s React cannot reach the shell's
 * copy through an ES import that esbuild leaves external ("Dynamic require of react is not supported"):
 * its `require` gets a small ES module that imports the shared one, so there is still one React.
 */
const sharedForCommonJs: import('esbuild').Plugin = {
  name: 'rapport-shared-for-commonjs',
  setup(build) {
    build.onResolve({ filter: SHARED_FILTER }, (args) => (args.kind === 'require-call' ? { path: args.path, namespace: 'rapport-shared' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'rapport-shared' }, (args) => ({
      // The shell's React chunks have a default export (they are CommonJS at heart); the others do not.
      contents: `export * from ${JSON.stringify(args.path)};${args.path.startsWith('react') ? `\nexport { default } from ${JSON.stringify(args.path)};` : ''}`,
      loader: 'js',
    }));
  },
};

export interface PluginWebBuild {
  entry: string;
  outDir: string;
  files: string[];
  bytes: number;
}

/**
 * Builds a plugin's `src/web.tsx` into `dist/` as ES modules (split, minified), the shared libraries
 * left as bare imports for the shell's import map. What `rapport plugin build` runs, and `pnpm start`
 * for the plugins of this repository.
 */
export async function buildPluginWeb(packageRoot: string): Promise<PluginWebBuild> {
  const root = path.resolve(packageRoot);
  const pkgFile = path.join(root, 'package.json');
  if (!fs.existsSync(pkgFile)) throw new CliError(`${packageRoot} has no package.json: give the folder of a plugin package`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { name?: string; exports?: Record<string, string> };
  const source = ['src/web.tsx', 'src/web.ts', 'src/web.jsx'].map((file) => path.join(root, file)).find((file) => fs.existsSync(file));
  if (!source) throw new CliError(`${pkg.name ?? packageRoot} has no src/web.tsx: nothing to build`);
  const target = pkg.exports?.['./web'];
  if (!target || !target.endsWith('.js')) throw new CliError(`${pkg.name ?? packageRoot}/package.json must export "./web": "./dist/web.js" (the built module)`);
  const outFile = path.join(root, target);
  const outDir = path.dirname(outFile);
  const { build } = await import('esbuild');
  fs.rmSync(outDir, { recursive: true, force: true });
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: { [path.basename(outFile, '.js')]: source },
      outdir: outDir,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      jsx: 'automatic',
      minify: true,
      sourcemap: 'linked',
      // Subpaths too (react/jsx-runtime), and only these: anything else the plugin uses is its own.
      external: SHARED_WEB_MODULES,
      define: { 'process.env.NODE_ENV': '"production"' },
      // A library's stylesheet comes in as text, for the component to put in a <style>: the shell loads no plugin CSS files.
      loader: { '.css': 'text' },
      plugins: [sharedForCommonJs],
      chunkNames: 'chunks/[name]-[hash]',
      metafile: true,
      logLevel: 'silent',
    });
    const files = Object.keys(result.metafile.outputs).filter((file) => !file.endsWith('.map'));
    const bytes = files.reduce((sum, file) => sum + result.metafile.outputs[file]!.bytes, 0);
    return { entry: outFile, outDir, files: files.map((file) => path.relative(root, path.resolve(root, file))), bytes };
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0];
    throw new CliError(first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : (error as Error).message);
  }
}

/**
 * Builds a plugin's `src/manifest.ts` and `src/server.ts` into the JavaScript its package exports
 * (`"./manifest": "./dist/manifest.js"`, `"./server": "./dist/server.js"`), for a package published
 * to npm: every package it imports stays an import (its dependencies, and `@rapport/sdk`, which the
 * host provides), so that it shares the host's. This repository's own plugins export both: their
 * sources by default (tests, `pnpm dev`) and the JavaScript under the `rapport-built` condition, which
 * the built server runs with (`"./server": { "rapport-built": "./dist/server.js", "default": "./src/server.ts" }`),
 * as `rapport plugin new` makes them. Nothing is built when the package exports only TypeScript.
 */
export async function buildPluginServer(packageRoot: string): Promise<{ files: string[] }> {
  const root = path.resolve(packageRoot);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { name?: string; exports?: Record<string, string | Record<string, string>> };
  const entries: Record<string, string> = {};
  for (const name of ['manifest', 'server'] as const) {
    const exported = pkg.exports?.[`./${name}`];
    const target = typeof exported === 'string' ? exported : exported?.['rapport-built'];
    if (!target?.endsWith('.js')) continue;
    const source = path.join(root, 'src', `${name}.ts`);
    if (!fs.existsSync(source)) throw new CliError(`${pkg.name ?? packageRoot} exports "./${name}": "${target}" but has no src/${name}.ts to build it from`);
    entries[path.join(path.dirname(target), path.basename(target, '.js'))] = source;
  }
  if (Object.keys(entries).length === 0) return { files: [] };
  const { build } = await import('esbuild');
  let built: { files: string[]; imports: { file: string; specifier: string }[] };
  try {
    const result = await build({
      absWorkingDir: root,
      entryPoints: entries,
      outdir: root,
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'linked',
      metafile: true,
      logLevel: 'silent',
    });
    const outputs = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith('.map'));
    built = {
      files: outputs.map(([file]) => path.relative(root, path.resolve(root, file))),
      imports: outputs.flatMap(([file, output]) => output.imports.filter((entry) => entry.external && !isBuiltin(entry.path)).map((entry) => ({ file: path.relative(root, path.resolve(root, file)), specifier: entry.path }))),
    };
  } catch (error) {
    const first = (error as { errors?: { text: string; location?: { file: string; line: number } }[] }).errors?.[0];
    throw new CliError(first ? `${first.location ? `${first.location.file}:${first.location.line}: ` : ''}${first.text}` : (error as Error).message);
  }
  checkImportsResolve(root, built.imports);
  return { files: built.files };
}

/**
 * The built files leave every package an import, which the server resolves as Node does, with no
 * TypeScript loader: a path inside a package without its extension (`talisman/metrics/jaro-winkler`),
 * which esbuild and tsx find, or a package the plugin does not depend on, would only fail when a
 * server starts the plugin. Resolved here, from the package's folder, by Node's own resolver.
 */
function checkImportsResolve(root: string, imports: { file: string; specifier: string }[]): void {
  const specifiers = [...new Set(imports.map((entry) => entry.specifier))];
  if (specifiers.length === 0) return;
  const script = `const out = {}; for (const s of ${JSON.stringify(specifiers)}) { try { out[s] = import.meta.resolve(s); } catch (error) { out[s] = { error: String(error.message).split('\\n')[0] }; } } process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) throw new CliError(`could not check the built files' imports: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  const resolved = JSON.parse(run.stdout) as Record<string, string | { error: string }>;
  for (const { file, specifier } of imports) {
    const target = resolved[specifier]!;
    if (typeof target !== 'string') throw new CliError(`${file} imports "${specifier}", which Node cannot resolve from this package (${target.error}): add it to its dependencies`);
    if (!target.startsWith('file:') || fs.existsSync(fileURLToPath(target))) continue;
    const withJs = fs.existsSync(`${fileURLToPath(target)}.js`) ? `: write "${specifier}.js"` : '';
    throw new CliError(`${file} imports "${specifier}", which Node does not find (${fileURLToPath(target)} does not exist; a path inside a package needs its extension)${withJs}`);
  }
}
