import path from 'node:path';
import type { Database } from './database';

export interface DatabaseConfig {
  /** `postgres://…` selects PostgreSQL; otherwise the embedded PGlite database under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
}

/** The PGlite files live in a subfolder, so the data folder can also hold the lock, the admin socket and files. */
export function pgliteDataPath(dataDir: string): string {
  return path.join(dataDir, 'pgdata');
}

/** Each driver is loaded only when chosen: a server on PostgreSQL never loads PGlite's WebAssembly. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl) return (await import('./postgres')).openPostgres({ url: config.databaseUrl });
  return (await import('./pglite')).openPglite({ pgDataDir: pgliteDataPath(config.dataDir), lockDir: config.dataDir });
}
