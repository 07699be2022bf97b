import fs from 'node:fs';
import path from 'node:path';
import { CliError, UsageError } from './errors';
import type { Io } from './io';
import { buildPluginWeb } from './plugin-build';
import { serverApi, type ServerApiOptions } from './server-api';

export interface DevSession {
  /** The reloads done so far (the first one included), and the last failure if the last one failed. */
  readonly reloads: number;
  readonly lastError: string | null;
  stop(): void;
}

const QUIET_MS = 150;

/**
 * `rapport dev <folder>`: builds the plugin's web module, has the running server read the plugin again
 * (`POST /api/v1/plugins/<id>/reload`), then does it again at every change under `src/` or `drizzle/`
 * — one line per reload, an error line (and the plugin marked failed) when its code does not start.
 * The server must offer that plugin (RAPPORT_PLUGINS); the key's user must administer plugins.
 */
export async function startDev(folder: string, io: Io, options: ServerApiOptions = {}): Promise<DevSession> {
  const root = path.resolve(folder);
  const pkgFile = path.join(root, 'package.json');
  if (!fs.existsSync(pkgFile)) throw new UsageError(`${folder} has no package.json: give the folder of a plugin package`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8')) as { name?: string; exports?: Record<string, string | Record<string, string>> };
  const exported = pkg.exports?.['./manifest'];
  // Sources, as the server reads them on a reload: the `default` of a conditional export (`rapport-built` is the built file).
  const manifestFile = typeof exported === 'string' ? exported : exported?.default;
  if (!manifestFile) throw new UsageError(`${pkg.name ?? folder} exports no "./manifest": is it a Rapport plugin?`);
  const { tsImport } = await import('tsx/esm/api');
  const readId = async () => ((await tsImport(path.join(root, manifestFile), import.meta.url)) as { default: { id: string } }).default.id;
  const id = await readId();
  const api = serverApi(io, options);
  const plugins = (await api.call<{ data: { id: string; status: string }[] }>('/api/v1/plugins')).data;
  if (!plugins.some((plugin) => plugin.id === id)) throw new CliError(`the server at ${api.base} does not offer the plugin ${id}: name its package in RAPPORT_PLUGINS and restart it once`);
  const hasWeb = Boolean(pkg.exports?.['./web']) && ['src/web.tsx', 'src/web.ts', 'src/web.jsx'].some((file) => fs.existsSync(path.join(root, file)));

  let reloads = 0;
  let lastError: string | null = null;
  let running: Promise<void> = Promise.resolve();
  const reload = async () => {
    const started = performance.now();
    try {
      const built = hasWeb ? await buildPluginWeb(root) : null;
      const view = await api.call<{ status: string }>(`/api/v1/plugins/${id}/reload`, { method: 'POST' });
      lastError = null;
      io.stdout(`${new Date().toLocaleTimeString('en-GB')} reloaded ${id} (${view.status}${built ? `, web ${Math.round(built.bytes / 1024)} KB` : ''}) in ${Math.round(performance.now() - started)} ms\n`);
    } catch (error) {
      lastError = (error as Error).message;
      io.stderr(`${new Date().toLocaleTimeString('en-GB')} ${id}: ${lastError}\n`);
    } finally {
      reloads++;
    }
  };
  await (running = reload());

  let timer: NodeJS.Timeout | undefined;
  const watchers = ['src', 'drizzle']
    .map((dir) => path.join(root, dir))
    .filter((dir) => fs.existsSync(dir))
    .map((dir) =>
      fs.watch(dir, { recursive: true }, () => {
        clearTimeout(timer);
        // A burst of saves is one reload, and reloads never overlap.
        timer = setTimeout(() => void (running = running.then(reload)), QUIET_MS);
      }),
    );
  io.stdout(`watching ${path.relative(process.cwd(), root) || '.'} for ${id}: the server reloads it at every change (the shell: reload the page)\n`);
  return {
    get reloads() {
      return reloads;
    },
    get lastError() {
      return lastError;
    },
    stop() {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
    },
  };
}
