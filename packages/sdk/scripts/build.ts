import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/*
 * The SDK as published: JavaScript and declarations in `dist/`, with what it uses of Rapport's core
 * (`@rapport/core`, `@rapport/db`, unpublished) inside — the schemas a manifest is checked by, the
 * problem errors, newId — and every npm package left an import (its `dependencies`). The workspace
 * itself uses the TypeScript sources; `publishConfig` points a packed or published SDK at `dist/`.
 * Run by `prepack`, or: pnpm --filter @rapport/sdk build. The JavaScript alone (`--no-declarations`) is
 * what this repository's built server loads plugins against (the `rapport-built` export condition).
 */
const root = path.resolve(import.meta.dirname, '..');
const packages = path.resolve(root, '..');
const out = path.join(root, 'dist');
export const ENTRIES = ['index', 'manifest', 'server', 'web'] as const;

/** `declarations: false` for the JavaScript alone: what the built server runs (`tooling/scripts/build.mjs`). */
export async function buildSdk({ declarations = true } = {}): Promise<void> {
  fs.rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry, path.join(root, 'src', `${entry}.ts`)])),
    outdir: out,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
    plugins: [
      {
        name: 'inline-rapport',
        setup(b) {
          b.onResolve({ filter: /.*/ }, async (args) => {
            if (args.pluginData?.inner) return undefined;
            if (/^[^./]/.test(args.path) && !args.path.startsWith('@rapport/')) return { path: args.path, external: true };
            const resolved = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { inner: true } });
            if (resolved.errors.length > 0) return { errors: resolved.errors };
            // Only what the SDK uses of the core comes in: its modules have no side effects on import.
            return { path: resolved.path, sideEffects: !/[/\\]packages[/\\](core|db)[/\\]/.test(resolved.path) };
          });
        },
      },
    ],
  });

  if (!declarations) return;

  // Declarations of the SDK and of the core types it shows, then the core's package names made relative.
  const types = path.join(out, 'types');
  const config = path.join(out, 'tsconfig.types.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(packages, '..', 'tsconfig.base.json'),
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        jsx: 'react-jsx',
        rootDir: packages,
        outDir: types,
        typeRoots: [path.join(packages, '..', 'node_modules', '@types')],
        paths: { '@rapport/core': [path.join(packages, 'core/src/index.ts')], '@rapport/db': [path.join(packages, 'db/src/index.ts')] },
      },
      files: ENTRIES.map((entry) => path.join(root, 'src', `${entry}.ts`)),
    }),
  );
  execFileSync(process.execPath, [path.join(packages, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', config], { stdio: 'inherit' });
  fs.rmSync(config);
  for (const file of walk(types)) {
    const text = fs.readFileSync(file, 'utf8');
    const relative = (name: 'core' | 'db') => {
      const target = path.relative(path.dirname(file), path.join(types, name, 'src', 'index.js'));
      return target.startsWith('.') ? target : `./${target}`;
    };
    fs.writeFileSync(file, text.replace(/(['"])@rapport\/(core|db)\1/g, (_, quote: string, name: 'core' | 'db') => `${quote}${relative(name)}${quote}`));
  }
  for (const entry of ENTRIES) fs.writeFileSync(path.join(out, `${entry}.d.ts`), `export * from './types/sdk/src/${entry}.js';\n`);
}

function* walk(folder: string): Generator<string> {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (full.endsWith('.d.ts')) yield full;
  }
}

if (process.argv[1] === import.meta.filename) await buildSdk({ declarations: !process.argv.includes('--no-declarations') });
