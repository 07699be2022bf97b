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
 * this repository that is the SDK's TypeScript sources, read through the same loader.
 */
function sdkIsTypeScript(packageRoot: string): boolean {
  try {
    return createRequire(path.join(packageRoot, 'package.json')).resolve('@rapport/sdk/manifest').endsWith('.ts');
  } catch {
    return false;
  }
}

/** Every reload imports under a URL never used before. */
let reloads = 0;

/**
 * A plugin from its package folder (its package.json `exports`), as `rapport dev <folder>` and tests
 * load one: the same entries an installed package exposes.
 */
export async function importPluginFolder(packageRoot: string, generation = 0): Promise<PluginModule> {
  const pkg = JSON.parse(fs.readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { exports?: Record<string, string> };
  // Node never unloads a module: a reloaded plugin is imported again under a new URL.
  const entry = (name: './manifest' | './server') => {
    const target = pkg.exports?.[name];
    if (typeof target !== 'string') throw new Error(`${packageRoot}/package.json exports no "${name}"`);
    return `${pathToFileURL(path.join(packageRoot, target)).href}${generation > 0 ? `?generation=${generation}` : ''}`;
  };
  if ([pkg.exports?.['./manifest'], pkg.exports?.['./server']].some((target) => target?.endsWith('.ts')) || sdkIsTypeScript(packageRoot)) await typeScriptLoader();
  // A folder being worked on (`rapport dev`) is read again whole: its entry and every file of its own it
  // imports (tsx's isolated import; packages in node_modules stay shared). An installed package's new
  // version comes in under a new URL of its entry.
  const whole = generation > 0 && !packageRoot.split(path.sep).includes('node_modules');
  const load = async (name: './manifest' | './server'): Promise<{ default: unknown }> => {
    if (!whole) return (await import(entry(name))) as { default: unknown };
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(path.join(packageRoot, pkg.exports![name]!), import.meta.url)) as { default: unknown };
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
