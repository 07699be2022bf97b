import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The example third-party plugin, installed from its packed tarball as npm installs a package. */
export const NPM_PLUGIN = 'rapport-plugin-example-visits';

/**
 * A folder to run the server in, set up as a self-hoster's would be after `pnpm add`: the example
 * plugin unpacked from the tarball `pnpm pack` makes (built JavaScript only, as published), its
 * dependency and its peer `@rapport/sdk` beside it, and this repository's plugins linked in. The
 * shell was built before: the plugin must show in it with no rebuild.
 */
export function prepareNpmHost(root: string, builtIn: string[]): string {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-host-'));
  const modules = path.join(host, 'node_modules');
  fs.mkdirSync(path.join(modules, '@rapport'), { recursive: true });
  const source = path.join(root, 'plugins', 'example-visits');
  const packed = spawnSync('pnpm', ['pack', '--pack-destination', host], { cwd: source, encoding: 'utf8' });
  const tarball = fs.readdirSync(host).find((file) => file.endsWith('.tgz'));
  if (packed.status !== 0 || !tarball) throw new Error(`pnpm pack of the example plugin failed: ${packed.stderr}`);
  const unpacked = spawnSync('tar', ['-xzf', path.join(host, tarball), '-C', host], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`could not unpack ${tarball}: ${unpacked.stderr}`);
  fs.renameSync(path.join(host, 'package'), path.join(modules, NPM_PLUGIN));
  // What npm would install beside it: its dependency (zod) and its peer, the server's SDK.
  fs.symlinkSync(fs.realpathSync(path.join(source, 'node_modules', 'zod')), path.join(modules, 'zod'));
  fs.symlinkSync(path.join(root, 'packages', 'sdk'), path.join(modules, '@rapport', 'sdk'));
  for (const name of builtIn) fs.symlinkSync(path.join(root, 'plugins', name), path.join(modules, '@rapport', `plugin-${name}`));
  fs.writeFileSync(path.join(host, 'package.json'), JSON.stringify({ name: 'rapport-e2e-host', private: true, dependencies: { [NPM_PLUGIN]: `file:${tarball}` } }, null, 2));
  return host;
}
