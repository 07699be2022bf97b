import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../../..');

/** What `pnpm install` gives a plugin package in this workspace: its dependencies, linked (with `types`, those its type check needs too). */
export function linkPluginDependencies(folder: string, options: { types?: boolean } = {}): void {
  const require = createRequire(path.join(repo, 'packages', 'testing', 'package.json'));
  const fromWeb = createRequire(path.join(repo, 'apps', 'web', 'package.json'));
  const fromRoot = createRequire(path.join(repo, 'package.json'));
  const packageOf = (resolve: NodeJS.Require, name: string) => path.dirname(resolve.resolve(`${name}/package.json`));
  const links: Record<string, string> = {
    '@rapport/sdk': path.join(repo, 'packages', 'sdk'),
    '@rapport/testing': path.join(repo, 'packages', 'testing'),
    vitest: path.dirname(require.resolve('vitest/package.json')),
    ...(options.types
      ? {
          typescript: packageOf(fromRoot, 'typescript'),
          '@types/node': packageOf(fromRoot, '@types/node'),
          '@types/react': packageOf(fromWeb, '@types/react'),
          react: packageOf(fromWeb, 'react'),
          '@tanstack/react-query': packageOf(fromWeb, '@tanstack/react-query'),
        }
      : {}),
  };
  for (const [name, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(folder, 'node_modules', name)), { recursive: true });
    fs.symlinkSync(target, path.join(folder, 'node_modules', name), 'dir');
  }
}
