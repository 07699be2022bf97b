import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Hono } from 'hono';
import type { AppEnv } from '../context';
import { accountPage } from './account-pages';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

const placeholders = {
  en: { lang: 'en', title: 'Rapport is running', api: 'The API answers at <code>/api/v1</code>; its reference is at <a href="/api/docs">/api/docs</a>.', shell: 'The web shell is not built on this server yet: until it is, sign in and work through the API (see docs/api.md).' },
  fr: { lang: 'fr', title: 'Rapport fonctionne', api: "L'API répond sur <code>/api/v1</code> ; sa référence est sur <a href=\"/api/docs\">/api/docs</a>.", shell: "L'interface web n'est pas encore construite sur ce serveur : en attendant, connectez-vous et travaillez par l'API (voir docs/api.md)." },
};

function placeholder(acceptLanguage: string | undefined): string {
  const text = /^\s*fr\b/i.test(acceptLanguage ?? '') ? placeholders.fr : placeholders.en;
  return `<!doctype html><html lang="${text.lang}"><head><meta charset="utf-8"><title>Rapport</title>
<style>body{font:16px system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}code{background:#f3f4f6;padding:.1rem .3rem;border-radius:4px}</style></head>
<body><h1>${text.title}</h1><p>${text.api}</p><p>${text.shell}</p></body></html>`;
}

/** The shell's files never change under a running server (their names carry a hash): compressed once. */
const compressedFiles = new Map<string, Buffer>();
function gzipped(file: string): Buffer {
  let body = compressedFiles.get(file);
  if (!body) {
    body = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
    compressedFiles.set(file, body);
  }
  return body;
}

/**
 * The built web shell: its files, and index.html for every other path (client-side routes).
 * Without a build, a page that says where the API is.
 */
export function webRoutes(webRoot: string | undefined) {
  const app = new Hono<AppEnv>();
  const root = webRoot && fs.existsSync(path.join(webRoot, 'index.html')) ? path.resolve(webRoot) : undefined;
  app.get('*', (c) => {
    if (!root) {
      const page = c.req.path === '/invite' ? 'invite' : c.req.path === '/reset-password' ? 'reset' : null;
      return c.html(page ? accountPage(page, c.req.header('accept-language')) : placeholder(c.req.header('accept-language')));
    }
    const requested = path.resolve(root, `.${decodeURIComponent(new URL(c.req.url).pathname)}`);
    if (requested.startsWith(root + path.sep) && fs.existsSync(requested) && fs.statSync(requested).isFile()) {
      const type = TYPES[path.extname(requested)] ?? 'application/octet-stream';
      const immutable = requested.includes(`${path.sep}assets${path.sep}`);
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache', vary: 'accept-encoding' };
      const compressible = /\.(js|css|json|svg|map)$/.test(requested);
      if (compressible && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
        headers['content-encoding'] = 'gzip';
        return c.body(new Uint8Array(gzipped(requested)), 200, headers);
      }
      return c.body(new Uint8Array(fs.readFileSync(requested)), 200, headers);
    }
    return c.html(fs.readFileSync(path.join(root, 'index.html'), 'utf8'));
  });
  return app;
}
