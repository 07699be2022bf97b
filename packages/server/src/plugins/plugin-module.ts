import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { pluginManifestSchema, type PluginManifest } from '@rapport/sdk/manifest';
import type { PluginServer } from '@rapport/sdk/server';

/** A plugin as the host knows it: its manifest (read without running its code) and how to load its server part. */
export interface PluginModule {
  manifest: PluginManifest;
  /** Imports `./server` (only when the plugin is enabled). */
  load(): Promise<PluginServer>;
  /** The plugin's drizzle-kit migrations (its package's `drizzle/` folder), run before its code. */
  migrations?: string;
  /** The built web module (the package's `./web` export), served to the shell while the plugin is enabled. */
  web?: string;
  /** Reads the package again (after `pnpm add` of a new version, or an edit in development). */
  reload?(): Promise<PluginModule>;
}

/**
 * A plugin package by name (`@rapport/plugin-hello`, or one added with `pnpm add`), resolved from the
 * folder the server runs in: never an arbitrary path.
 */
export async function importPlugin(packageName: string): Promise<PluginModule> {
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(packageName)) throw new Error(`"${packageName}" is not an npm package name`);
  let manifestFile: string;
  try {
    manifestFile = createRequire(path.join(process.cwd(), 'package.json')).resolve(`${packageName}/manifest`);
  } catch {
    throw new Error(`the plugin package ${packageName} is not installed here (or exports no "./manifest"): pnpm add ${packageName}`);
  }
  // Its folder: the nearest package.json above the manifest that bears its name.
  for (let folder = path.dirname(manifestFile); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    const candidate = path.join(folder, 'package.json');
    if (fs.existsSync(candidate) && (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { name?: string }).name === packageName) return importPluginFolder(folder);
  }
  throw new Error(`cannot find the package.json of ${packageName}`);
}

/** A package's `drizzle/` folder, when it has migrations. */
export function migrationsIn(packageRoot: string): { migrations?: string } {
  const folder = path.join(packageRoot, 'drizzle');
  return fs.existsSync(path.join(folder, 'meta', '_journal.json')) ? { migrations: folder } : {};
}

let loader: Promise<unknown> | undefined;

/**
 * Plugins whose package exports TypeScript sources (the built-in ones, a plugin in development) are
 * loaded through tsx's loader, registered once and only when such a plugin is there: the built
 * server stays plain JavaScript otherwise.
 */
function typeScriptLoader(): Promise<unknown> {
  loader ??= import('tsx/esm/api').then(({ register }) => register());
  return loader;
}

/**
 * A plugin built to JavaScript imports `@rapport/sdk`, which the server provides: in a checkout of
 * this repository that is the SDK's TypeScript sources, read through the same loader — unless the
 * server runs with the built condition, which points the SDK at its `dist/`.
 */
function sdkIsTypeScript(packageRoot: string): boolean {
  try {
    return createRequire(path.join(packageRoot, 'package.json')).resolve('@rapport/sdk/manifest').endsWith('.ts');
  } catch {
    return false;
  }
}

/**
 * The condition under which this repository's packages export built JavaScript beside their
 * TypeScript sources (`"./server": { "rapport-built": "./dist/server.js", "default": "./src/server.ts" }`).
 * `pnpm start` runs `node --conditions=rapport-built`, so that the built server loads no TypeScript
 * loader (tsx's hooks run every later import through a worker thread: a third of the start-up, and
 * its memory); tests and `pnpm dev` read the sources.
 */
export const BUILT_CONDITION = 'rapport-built';

type ExportTarget = string | Record<string, string>;

/**
 * The file a package's export names, as Node resolves it (the package refers to itself by name, so
 * the conditions the process runs with apply). `sources` asks for the `default` of a conditional
 * export: the TypeScript a folder being worked on is read from.
 */
function exportedFile(packageRoot: string, pkg: { name?: string; exports?: Record<string, ExportTarget> }, name: string, sources = false): string {
  const target = pkg.exports?.[name];
  if (typeof target === 'string') return path.join(packageRoot, target);
  if (!target || typeof target.default !== 'string') throw new Error(`${packageRoot}/package.json exports no "${name}"`);
  if (sources || !pkg.name) return path.join(packageRoot, target.default);
  try {
    return createRequire(path.join(packageRoot, 'package.json')).resolve(`${pkg.name}/${name.slice(2)}`);
  } catch {
    const built = target[BUILT_CONDITION];
    throw new Error(`${built ? path.join(packageRoot, built) : `the "${name}" export of ${pkg.name}`} is missing: build it first (pnpm build in this repository, rapport plugin build in a plugin's folder)`);
  }
}

/** Every reload imports under a URL never used before. */
let reloads = 0;

/**
 * A plugin from its package folder (its package.json `exports`), as `rapport dev <folder>` and tests
 * load one: the same entries an installed package exposes.
 */
export async function importPluginFolder(packageRoot: string, generation = 0): Promise<PluginModule> {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { name?: string; exports?: Record<string, ExportTarget> };
  // A folder being worked on (`rapport dev`) is read again whole: its entry and every file of its own it
  // imports (tsx's isolated import; packages in node_modules stay shared). An installed package's new
  // version comes in under a new URL of its entry.
  const whole = generation > 0 && !packageRoot.split(path.sep).includes('node_modules');
  const files = { './manifest': exportedFile(packageRoot, pkg, './manifest', whole), './server': exportedFile(packageRoot, pkg, './server', whole) };
  // Node never unloads a module: a reloaded plugin is imported again under a new URL.
  const entry = (name: './manifest' | './server') => `${pathToFileURL(files[name]).href}${generation > 0 ? `?generation=${generation}` : ''}`;
  if (Object.values(files).some((file) => file.endsWith('.ts')) || sdkIsTypeScript(packageRoot)) await typeScriptLoader();
  const load = async (name: './manifest' | './server'): Promise<{ default: unknown }> => {
    if (!whole) return (await import(entry(name))) as { default: unknown };
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(files[name], import.meta.url)) as { default: unknown };
  };
  const { default: manifest } = await load('./manifest');
  return {
    manifest: pluginManifestSchema.parse(manifest),
    load: async () => (await load('./server')).default as PluginServer,
    reload: () => importPluginFolder(packageRoot, ++reloads),
    ...migrationsIn(packageRoot),
    ...(typeof pkg.exports?.['./web'] === 'string' ? { web: path.join(packageRoot, pkg.exports['./web']) } : {}),
  };
}
