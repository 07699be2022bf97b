import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { loadSecretBox, SecretBox } from '../src/identity/secret-box';

it('seals and opens a secret; the same text twice seals differently; a value from before encryption reads as is', () => {
  const box = new SecretBox('a server key of at least thirty-two characters');
  const sealed = box.seal('s3cret');
  expect(sealed).toMatch(/^v1:/);
  expect(sealed).not.toContain('s3cret');
  expect(box.seal('s3cret')).not.toBe(sealed);
  expect(box.open(sealed)).toBe('s3cret');
  expect(box.open('legacy plain value')).toBe('legacy plain value');
});

it('refuses to open with another key, or a tampered value, saying which key to check', () => {
  const sealed = new SecretBox('one key of at least thirty-two characters!!').seal('s3cret');
  expect(() => new SecretBox('another key of at least thirty-two characters').open(sealed)).toThrow(/RAPPORT_SECRET_KEY/);
  const tampered = `v1:${Buffer.from(Buffer.from(sealed.slice(3), 'base64').map((byte, index) => (index === 30 ? byte ^ 1 : byte))).toString('base64')}`;
  expect(() => new SecretBox('one key of at least thirty-two characters!!').open(tampered)).toThrow();
});

it('makes a key file in the data folder once, readable by its owner only, and reuses it', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-key-'));
  try {
    const sealed = loadSecretBox({ dataDir }).seal('s3cret');
    const file = path.join(dataDir, 'secret.key');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSecretBox({ dataDir }).open(sealed)).toBe('s3cret');
    // RAPPORT_SECRET_KEY wins over the file.
    expect(() => loadSecretBox({ dataDir, secretKey: 'x'.repeat(40) }).open(sealed)).toThrow();
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
