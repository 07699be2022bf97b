import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const schemaDir = path.join(root, 'packages/core/src/schema');

/** The tables of records and what mirrors them: only the data-access layer may touch them. */
const RECORD_TABLE_MODULES = ['records.ts', 'field-index.ts', 'search.ts'].map((file) => path.join(schemaDir, file));

/** Who may import them: the data-access layer, the object declarations, the schema index for drizzle-kit. */
const ALLOWED = [path.join(root, 'packages/core/src/records') + path.sep, path.join(root, 'packages/core/src/objects') + path.sep, path.join(schemaDir, 'index.ts')];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts)$/.test(entry.name)) out.push(full);
  }
  return out;
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}

it('only the data-access layer imports the record tables', () => {
  const offenders: string[] = [];
  for (const top of ['apps', 'packages', 'plugins', 'tooling']) {
    const dir = path.join(root, top);
    if (!fs.existsSync(dir)) continue;
    for (const file of sourceFiles(dir)) {
      if (RECORD_TABLE_MODULES.includes(file) || ALLOWED.some((allowed) => file === allowed || file.startsWith(allowed))) continue;
      const source = fs.readFileSync(file, 'utf8');
      for (const match of source.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const target = resolveImport(file, match[1]!);
        if (target && RECORD_TABLE_MODULES.includes(target)) offenders.push(`${path.relative(root, file)} imports ${match[1]}`);
      }
      if (/@rapport\/core\/(src\/)?schema/.test(source)) offenders.push(`${path.relative(root, file)} reaches into @rapport/core's schema`);
    }
  }
  expect(offenders).toEqual([]);
});

it('the public schema of @rapport/core exposes no record table', () => {
  const publicSchema = fs.readFileSync(path.join(schemaDir, 'public.ts'), 'utf8');
  for (const module of ['records', 'field-index', 'search']) expect(publicSchema).not.toContain(`'./${module}'`);
});
