import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, type TestHost } from '@rapport/testing';
import { run } from '../src/index';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const fixtures = path.join(root, 'plugins/data-ops/test/fixtures');

describeDb('rapport import: a file into a running server, followed to the end', () => {
  let host: TestHost;
  let folder: string;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(root, 'plugins/data-ops'))] });
    await host.enable('data-ops');
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-cli-import-'));
  });
  afterAll(async () => {
    await host?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  const cli = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const code = await run(['import', ...args], { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), env: { RAPPORT_URL: host.url, RAPPORT_API_KEY: host.apiKey, ...env } });
    return { code, stdout, stderr };
  };

  it('imports with a mapping by column name, shows its progress, writes the rejected rows', async () => {
    const mapping = path.join(folder, 'mapping.json');
    fs.writeFileSync(mapping, JSON.stringify({ Nom: 'lastName', Prénom: 'firstName', Email: 'email', Téléphone: 'phone', Dateoptin: 'optInAt', Statutconsentement: 'consentStatus' }));
    const rejected = path.join(folder, 'rejected.csv');
    const result = await cli([path.join(fixtures, 'contacts-fr.csv'), '--object', 'person', '--mapping', mapping, '--rejected', rejected]);
    expect(result.stderr).toMatch(/^import [0-9a-f-]{36}: 8 rows of contacts-fr\.csv into person$/m);
    expect(result.stderr).toMatch(/importing: 8\/8 rows \(100%/);
    // Without the company column, "Camile Petitt" is not compared with "Camille Petit" (no company to block on).
    expect(result.stdout).toMatch(/^done: 6 created, 0 updated, 1 skipped, 1 rejected$/m);
    expect(result.code).toBe(0);
    expect(fs.readFileSync(rejected, 'utf8')).toMatch(/Durand.*is not a valid email address/);
    const people = (await (await host.request(`/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: 'zoe.lefevre@exemple.fr' }))}`)).json()) as { data: { address?: unknown; firstName: string }[] };
    // Columns the mapping leaves out are not imported.
    expect(people.data).toEqual([expect.objectContaining({ firstName: 'Zoé', address: null })]);
  });

  it('says in one line what is wrong, with a non-zero exit code', async () => {
    const file = path.join(fixtures, 'contacts-en.csv');
    const badMapping = path.join(folder, 'bad.json');
    fs.writeFileSync(badMapping, JSON.stringify({ Surname: 'lastName' }));
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [[file, '--object', 'person'], { RAPPORT_API_KEY: '' }, 2, /an API key is needed/],
      [[path.join(folder, 'nothing.csv'), '--object', 'person'], {}, 2, /no file .*nothing\.csv/],
      [[file, '--object', 'person', '--duplicates', 'merge'], {}, 2, /--duplicates must be skip, update or create/],
      [[file, '--object', 'person', '--mapping', badMapping], {}, 2, /the mapping names columns the file does not have: Surname/],
      [[file, '--object', 'nothing'], {}, 1, /There is no object "nothing"/],
      [[path.join(fixtures, 'ragged.csv'), '--object', 'person'], {}, 1, /Line 3 has 4 columns where the header has 2/],
      // Said once: the problem's detail and its field's message are the same words.
      [[path.join(fixtures, 'empty.csv'), '--object', 'person'], {}, 1, /^rapport: The file is empty\n$/],
      [[file, '--object', 'person'], { RAPPORT_URL: 'http://127.0.0.1:9' }, 1, /cannot reach the server at http:\/\/127\.0\.0\.1:9/],
    ];
    for (const [args, env, code, message] of cases) {
      const result = await cli(args, env);
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
