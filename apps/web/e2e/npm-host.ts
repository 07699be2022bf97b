import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The example third-party plugin, installed from its packed tarball as npm installs a package. */
export const NPM_PLUGIN = 'rapport-plugin-example-visits';

/** `pnpm pack` of a package (its `prepack` builds it), unpacked into `node_modules/<name>` of `host`. */
function installPacked(host: string, folder: string, name: string): string {
  const destination = fs.mkdtempSync(path.join(host, '.pack-'));
  const packed = spawnSync('pnpm', ['pack', '--pack-destination', destination], { cwd: folder, encoding: 'utf8' });
  const tarball = fs.readdirSync(destination).find((file) => file.endsWith('.tgz'));
  if (packed.status !== 0 || !tarball) throw new Error(`pnpm pack of ${name} failed: ${packed.stderr}`);
  const unpacked = spawnSync('tar', ['-xzf', path.join(destination, tarball), '-C', destination], { encoding: 'utf8' });
  if (unpacked.status !== 0) throw new Error(`could not unpack ${tarball}: ${unpacked.stderr}`);
  const target = path.join(host, 'node_modules', name);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.renameSync(path.join(destination, 'package'), target);
  // Its dependencies, as npm would install them beside it (the versions this repository locked).
  const { dependencies = {} } = JSON.parse(fs.readFileSync(path.join(target, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const dependency of Object.keys(dependencies)) {
    const link = path.join(host, 'node_modules', dependency);
    if (fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(folder, 'node_modules', dependency)), link);
  }
  return tarball;
}

/**
 * A folder to run the server in, set up as a self-hoster's would be after `pnpm add`: the example
 * plugin and its peer `@rapport/sdk`, each unpacked from the tarball `pnpm pack` makes (built
 * JavaScript only, as published), their dependencies beside them, and this repository's own plugins
 * linked in. The shell was built before: the plugin must show in it with no rebuild.
 */
export function prepareNpmHost(root: string, builtIn: string[]): string {
  const host = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-e2e-host-'));
  const tarball = installPacked(host, path.join(root, 'plugins', 'example-visits'), NPM_PLUGIN);
  installPacked(host, path.join(root, 'packages', 'sdk'), '@rapport/sdk');
  for (const name of builtIn) fs.symlinkSync(path.join(root, 'plugins', name), path.join(host, 'node_modules', '@rapport', `plugin-${name}`));
  fs.writeFileSync(path.join(host, 'package.json'), JSON.stringify({ name: 'rapport-e2e-host', private: true, dependencies: { [NPM_PLUGIN]: `file:${tarball}` } }, null, 2));
  return host;
}
