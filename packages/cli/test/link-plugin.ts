import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../../..');

/** What `pnpm install` gives a plugin package in this workspace: its dependencies, linked. */
export function linkPluginDependencies(folder: string): void {
  const require = createRequire(path.join(repo, 'packages', 'testing', 'package.json'));
  const links: Record<string, string> = {
    '@rapport/sdk': path.join(repo, 'packages', 'sdk'),
    '@rapport/testing': path.join(repo, 'packages', 'testing'),
    vitest: path.dirname(require.resolve('vitest/package.json')),
  };
  for (const [name, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(folder, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(target, path.join(folder, 'node_modules', name), 'dir');
  }
}
