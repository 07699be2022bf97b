import { createRequire } from 'node:module';
import path from 'node:path';
import type { MigrationSource } from '@rapport/db';

/** The core's drizzle-kit migrations, found through the package (so that it also works from a bundle). */
export function coreMigrations(): MigrationSource {
  const require = createRequire(import.meta.url);
  return { id: 'core', folder: path.join(path.dirname(require.resolve('@rapport/core/package.json')), 'drizzle') };
}
