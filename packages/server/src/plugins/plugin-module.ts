import { pluginManifestSchema, type PluginManifest } from '@rapport/sdk/manifest';
import type { PluginServer } from '@rapport/sdk/server';

/** A plugin as the host knows it: its manifest (read without running its code) and how to load its server part. */
export interface PluginModule {
  manifest: PluginManifest;
  /** Imports `./server` (only when the plugin is enabled). */
  load(): Promise<PluginServer>;
}

/** A plugin package by name (`@rapport/plugin-hello`, or one installed from npm): never an arbitrary path. */
export async function importPlugin(packageName: string): Promise<PluginModule> {
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(packageName)) throw new Error(`"${packageName}" is not an npm package name`);
  const { default: manifest } = (await import(`${packageName}/manifest`)) as { default: unknown };
  return { manifest: pluginManifestSchema.parse(manifest), load: async () => ((await import(`${packageName}/server`)) as { default: PluginServer }).default };
}
