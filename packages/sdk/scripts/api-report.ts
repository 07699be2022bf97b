import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * The SDK's public API, frozen: the declarations of its entry points (./manifest, ./server, ./web), as
 * TypeScript emits them. `api/sdk.api.d.ts` is checked in; a test compares it with a fresh one, so
 * that any change to what plugins see is a deliberate, reviewed change (with a changeset).
 * Update it with: pnpm --filter @rapport/sdk api:update
 */
const root = path.resolve(import.meta.dirname, '..');
export const REPORT = path.join(root, 'api', 'sdk.api.d.ts');

export function currentApi(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'rapport-sdk-api-'));
  try {
    const tsc = path.join(root, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const config = path.join(out, 'tsconfig.json');
    fs.writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(root, '..', '..', 'tsconfig.base.json'),
        compilerOptions: { noEmit: false, declaration: true, emitDeclarationOnly: true, rootDir: path.join(root, 'src'), outDir: out, typeRoots: [path.join(root, '..', '..', 'node_modules', '@types')] },
        files: [path.join(root, 'src', 'manifest.ts'), path.join(root, 'src', 'server.ts'), path.join(root, 'src', 'web.ts')],
      }),
    );
    try {
      execFileSync(process.execPath, [tsc, '-p', config], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`tsc failed: ${String((error as { stdout?: Buffer }).stdout ?? error)}`);
    }
    return ['manifest.d.ts', 'server.d.ts', 'web.d.ts']
      .map((file) => `// ./${file.replace('.d.ts', '')}\n${fs.readFileSync(path.join(out, file), 'utf8').trim()}\n`)
      .join('\n');
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[2] === 'update') {
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, currentApi());
  process.stdout.write(`wrote ${path.relative(process.cwd(), REPORT)}\n`);
}
