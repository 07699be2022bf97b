import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import cliProgress from 'cli-progress';
import { CliError, UsageError } from './errors';
import { serverApi } from './server-api';
import { type Io, processIo } from './io';

export interface ImportOptions {
  object: string;
  mapping?: string;
  duplicates?: string;
  template?: string;
  rejected?: string;
  url?: string;
  apiKey?: string;
}

interface ImportView {
  id: string;
  status: string;
  headers: string[];
  error: string | null;
  progress: { total: number; processed: number; created: number; updated: number; skipped: number; rejected: number; rowsPerSecond: number | null; etaSeconds: number | null };
}

const API = '/api/v1/plugins/data-ops';

/**
 * `rapport import <file> --object person [--mapping m.json]`: sends the file to a running server
 * (the data-ops plugin does the work, as the API key's user), starts it, and follows it to the end
 * with a progress bar. The mapping file is an array of targets per column, an object from header to
 * target, or whole import settings (`{ "mapping": …, "duplicates": { "mode": "update" } }`).
 */
export async function importFile(file: string, options: ImportOptions, io: Io): Promise<number> {
  const api = serverApi(io, options);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`no file ${file}`);
  const duplicates = options.duplicates;
  if (duplicates && !['skip', 'update', 'create'].includes(duplicates)) throw new UsageError('--duplicates must be skip, update or create');
  const mapping = options.mapping ? readMapping(options.mapping) : undefined;
  const notEnabled = (problem: { detail?: string }) => (problem.detail?.includes('plugin') ? 'the data-ops plugin is not enabled on this server: rapport plugins enable data-ops' : undefined);
  const call = <T>(pathname: string, init: RequestInit = {}) => api.call<T>(pathname, init, pathname.startsWith(`${API}/imports?`) ? notEnabled : undefined);

  const query = new URLSearchParams({ object: options.object, fileName: path.basename(file), ...(options.template ? { template: options.template } : {}) });
  const body = Readable.toWeb(fs.createReadStream(file)) as ReadableStream;
  let view = await call<ImportView>(`${API}/imports?${query}`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' }, duplex: 'half' } as RequestInit);
  const settings: Record<string, unknown> = { ...(mapping ? settingsFrom(mapping, view.headers) : {}), ...(duplicates ? { duplicates: { mode: duplicates } } : {}) };
  if (Object.keys(settings).length) view = await call<ImportView>(`${API}/imports/${view.id}`, { method: 'PATCH', body: JSON.stringify({ settings }), headers: { 'content-type': 'application/json' } });
  io.stderr(`import ${view.id}: ${view.progress.total.toLocaleString('en')} rows of ${path.basename(file)} into ${options.object}\n`);
  view = await call<ImportView>(`${API}/imports/${view.id}/start`, { method: 'POST' });

  const bar = progressBar(io, view.progress.total);
  while (view.status === 'running') {
    await sleep(500);
    view = await call<ImportView>(`${API}/imports/${view.id}`);
    bar.update(view.progress);
  }
  bar.stop(view.progress);
  const { created, updated, skipped, rejected } = view.progress;
  io.stdout(`${view.status}: ${created} created, ${updated} updated, ${skipped} skipped, ${rejected} rejected\n`);
  if (rejected > 0 && options.rejected) {
    const response = await api.fetch(`${API}/imports/${view.id}/rejected.csv`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), fs.createWriteStream(options.rejected));
    io.stdout(`rejected rows and their reasons: ${options.rejected}\n`);
  } else if (rejected > 0) {
    io.stdout(`rejected rows and their reasons: ${api.base}${API}/imports/${view.id}/rejected.csv (or --rejected <file>)\n`);
  }
  if (view.status !== 'done') throw new CliError(`the import ${view.status}${view.error ? `: ${view.error}` : ''}`);
  return 0;
}

function readMapping(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`--mapping ${file}: ${(error as Error).message}`);
  }
}

/** Import settings from a mapping file: an array per column, `{ header: target }`, or whole settings. */
function settingsFrom(mapping: unknown, headers: string[]): Record<string, unknown> {
  if (Array.isArray(mapping)) return { mapping };
  if (mapping && typeof mapping === 'object') {
    if ('mapping' in mapping) return { ...(mapping as object), ...settingsFrom((mapping as { mapping: unknown }).mapping, headers) };
    const byHeader = mapping as Record<string, unknown>;
    const unknown = Object.keys(byHeader).filter((header) => !headers.includes(header));
    if (unknown.length) throw new UsageError(`the mapping names columns the file does not have: ${unknown.join(', ')} (its columns: ${headers.join(', ')})`);
    return { mapping: headers.map((header) => (typeof byHeader[header] === 'string' ? byHeader[header] : null)) };
  }
  throw new UsageError('the mapping must be a JSON array, an object from column to field, or import settings');
}

/** A bar on a terminal; elsewhere (CI, logs) a line at each tenth. */
function progressBar(io: Io, total: number) {
  if (process.stderr.isTTY && io.stderr === processIo.stderr) {
    const bar = new cliProgress.SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
    bar.start(total, 0, { rate: 0 });
    return {
      update: (progress: ImportView['progress']) => bar.update(progress.processed, { rate: progress.rowsPerSecond ?? 0 }),
      stop: (progress: ImportView['progress']) => {
        bar.update(progress.processed, { rate: progress.rowsPerSecond ?? 0 });
        bar.stop();
      },
    };
  }
  let shown = -1;
  const line = (progress: ImportView['progress']) => {
    const tenth = total ? Math.floor((progress.processed / total) * 10) : 10;
    if (tenth === shown) return;
    shown = tenth;
    const eta = progress.etaSeconds ? `, about ${progress.etaSeconds} s left` : '';
    io.stderr(`importing: ${progress.processed}/${total} rows (${tenth * 10}%${progress.rowsPerSecond ? `, ${progress.rowsPerSecond} rows/s` : ''}${eta})\n`);
  };
  return { update: line, stop: line };
}
