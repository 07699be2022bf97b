import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { webRoutes } from '../src/routes/web';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-web-'));
fs.mkdirSync(path.join(root, 'assets'));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>shell</title>');
fs.writeFileSync(path.join(root, 'assets', 'main-abc.js'), 'export const answer = 42;'.repeat(50));
fs.writeFileSync(path.join(os.tmpdir(), 'rapport-web-secret.txt'), 'secret');
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const app = webRoutes(root);

describe('the built shell, served', () => {
  it('serves hashed assets gzipped and cacheable for a year, raw to a client that takes no gzip', async () => {
    const zipped = await app.request('/assets/main-abc.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.status).toBe(200);
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('cache-control')).toContain('immutable');
    expect(zlib.gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toContain('answer = 42');
    const raw = await app.request('/assets/main-abc.js');
    expect(raw.headers.get('content-encoding')).toBeNull();
    expect(raw.headers.get('content-type')).toContain('text/javascript');
  });

  it('answers every client-side route with index.html (never cached), and never a file outside its folder', async () => {
    const page = await app.request('/objects/company/123');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>shell</title>');
    const escape = await app.request('/..%2frapport-web-secret.txt');
    expect(await escape.text()).not.toContain('secret');
  });
});
