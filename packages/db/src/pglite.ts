import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { acquireDataDirLock } from './data-dir-lock';
import { type Database, type Db, QueryListeners } from './database';

/** PGlite and its extensions, loaded on first use only: a server on PostgreSQL never pays for them. */
async function loadPglite() {
  const [{ PGlite }, { btree_gin }, { citext }, { pg_trgm }, { unaccent }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gin'),
    import('@electric-sql/pglite/contrib/citext'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/unaccent'),
    import('drizzle-orm/pglite'),
  ]);
  return { PGlite, drizzle, extensions: { btree_gin, citext, pg_trgm, unaccent } };
}

// The WebAssembly types live in lib.dom, which this Node project does not load.
declare const WebAssembly: { compile(bytes: Uint8Array): Promise<WasmModule> };
type WasmModule = object;

let compiledModule: Promise<WasmModule> | undefined;
/** Compiling PGlite's 9 MB of WebAssembly once per process saves that work for every later instance. */
function pgliteModule(): Promise<WasmModule> {
  compiledModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasm = path.join(path.dirname(require.resolve('@electric-sql/pglite')), 'pglite.wasm');
    return WebAssembly.compile(await fs.promises.readFile(wasm));
  })();
  return compiledModule;
}

export interface PgliteOptions {
  /** Folder of the database files; `undefined` keeps the database in memory. */
  pgDataDir?: string;
  /** Folder guarded by the lock file (the server's data folder); defaults to none (tests). */
  lockDir?: string;
}

export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const release = options.lockDir ? acquireDataDirLock(options.lockDir) : () => {};
  try {
    if (options.pgDataDir) fs.mkdirSync(options.pgDataDir, { recursive: true });
    const { PGlite, drizzle, extensions } = await loadPglite();
    // Options as one object: PGlite ignores a second argument when the first (the folder) is undefined.
    const client = new PGlite({ dataDir: options.pgDataDir, extensions, pgliteWasmModule: (await pgliteModule()) as never });
    await client.waitReady;
    const listeners = new QueryListeners();
    const db = drizzle({ client, logger: listeners.logger }) as unknown as Db;
    return {
      driver: 'pglite',
      db,
      location: options.pgDataDir ?? 'memory',
      onQuery: (listener) => listeners.add(listener),
      listen: async (channel, onNotify) => {
        const unlisten = await client.listen(channel, onNotify);
        return async () => {
          if (!client.closed) await unlisten();
        };
      },
      async executeRaw(text, values) {
        if (!values || values.length === 0) {
          const results = await client.exec(text);
          const last = results[results.length - 1];
          return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
        }
        const result = await client.query<Record<string, unknown>>(text, values);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      },
      async close() {
        try {
          if (!client.closed) await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
