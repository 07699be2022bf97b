import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors';

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const title = (id: string) => id.split('-').map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' ');

/** Inside a Rapport checkout (its workspace has @rapport/sdk), the new plugin links the workspace's packages. */
function workspaceRoot(from: string): string | null {
  for (let folder = path.resolve(from); folder !== path.dirname(folder); folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, 'pnpm-workspace.yaml')) && fs.existsSync(path.join(folder, 'packages', 'sdk', 'package.json'))) return folder;
  }
  return null;
}

/**
 * `rapport plugin new <id>`: a plugin package that passes its tests as generated, with one of each
 * thing a plugin has: an object, a route, a job, a web page and a record panel, a test and a README.
 */
export function scaffoldPlugin(id: string, options: { dir?: string; cwd?: string } = {}): { folder: string; files: string[]; dependencyOf?: string } {
  if (!/^[a-z][a-z0-9-]{1,39}$/.test(id)) throw new CliError(`"${id}" is not a plugin id: 2 to 40 lower-case letters, digits or -, starting with a letter`);
  const cwd = options.cwd ?? process.cwd();
  const root = workspaceRoot(cwd);
  const folder = path.resolve(cwd, options.dir ?? (root ? path.join(root, 'plugins', id) : id));
  if (fs.existsSync(folder) && fs.readdirSync(folder).length > 0) throw new CliError(`${path.relative(cwd, folder) || folder} already exists and is not empty`);
  const version = (name: string) => (root ? 'workspace:*' : JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '..', '..', name.replace('@rapport/', ''), 'package.json'), 'utf8')).version as string);
  const object = `${camel(id)}Entry`;
  const label = title(id);
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name: `rapport-plugin-${id}`,
        version: '0.1.0',
        private: true,
        type: 'module',
        description: `${label}: a Rapport plugin.`,
        // Sources for its tests and `rapport dev`, the JavaScript `pnpm build` makes for a built server (no TypeScript loader there).
        exports: {
          './manifest': { 'rapport-built': './dist/manifest.js', default: './src/manifest.ts' },
          './server': { 'rapport-built': './dist/server.js', default: './src/server.ts' },
          './web': './dist/web.js',
        },
        scripts: { build: 'rapport plugin build', test: 'vitest run', typecheck: 'tsc -p tsconfig.json' },
        dependencies: { '@rapport/sdk': version('@rapport/sdk') },
        devDependencies: {
          '@rapport/cli': version('@rapport/cli'),
          '@rapport/testing': version('@rapport/testing'),
          '@tanstack/react-query': '5.108.0',
          '@types/node': '20.19.43',
          '@types/react': '19.3.0',
          react: '19.3.1',
          typescript: '6.0.3',
          vitest: '4.1.12',
        },
      },
      null,
      2,
    )}\n`,
    'README.md': `# ${label}

A Rapport plugin (id \`${id}\`), made with \`rapport plugin new ${id}\`:

- \`src/manifest.ts\`: what it declares (the \`${object}\` object, a job, its navigation), read without running it.
- \`src/server.ts\`: \`GET /api/v1/plugins/${id}/summary\` (as the calling user) and the \`recount\` job.
- \`src/web.tsx\`: its page at \`/p/${id}/\` and a panel on company pages.
- \`pnpm build\` (\`rapport plugin build\`) makes \`dist/\`: the web module, and the manifest and server as JavaScript,
  which a built Rapport server loads (\`--conditions=rapport-built\`); tests and \`rapport dev\` read \`src/\`.
- \`test/\`: a real server in process (\`createTestHost\`), on PGlite and on PostgreSQL when one answers.

\`\`\`sh
pnpm install && pnpm test        # its tests
pnpm typecheck                    # its types, against the SDK's
pnpm build                        # dist/: its web module, manifest and server
RAPPORT_PLUGINS=rapport-plugin-${id} pnpm start   # from the Rapport checkout: then Settings → Plugins → Enable
\`\`\`

See Rapport's docs/plugins/ (reference.md) for the whole context and every slot.
`,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

// One project per database, as Rapport's own plugins run: PGlite always, PostgreSQL when one answers.
export default defineConfig({
  test: {
    projects: (['pglite', 'postgres'] as const).map((driver) => ({
      test: { name: driver, include: ['test/**/*.test.ts'], env: { RAPPORT_TEST_DB: driver }, globalSetup: ['@rapport/testing/global-setup'], testTimeout: 60_000, hookTimeout: 120_000 },
    })),
  },
});
`,
    // Its own, so that a plugin made outside a Rapport checkout type-checks too (in one, the checkout's covers it as well).
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023', 'DOM', 'DOM.Iterable'],
          module: 'ESNext',
          moduleResolution: 'Bundler',
          jsx: 'react-jsx',
          types: ['node'],
          strict: true,
          skipLibCheck: true,
          isolatedModules: true,
          verbatimModuleSyntax: true,
          noEmit: true,
        },
        include: ['src', 'test', 'vitest.config.ts'],
      },
      null,
      2,
    )}\n`,
    'src/manifest.ts': `import { defineManifest } from '@rapport/sdk/manifest';

export default defineManifest({
  id: '${id}',
  version: '0.1.0',
  displayName: { en: '${label}', fr: '${label}' },
  description: { en: 'What ${label} does, in one line', fr: 'Ce que fait ${label}, en une ligne' },
  engines: { rapport: '^1.0.0' },
  // What its jobs may do as the plugin's own identity (its routes act as the calling user).
  permissions: { objects: { ${object}: { read: 'all' } } },
  objects: [
    {
      name: '${object}',
      labels: { singular: { en: '${label} entry', fr: 'Entrée ${label}' }, plural: { en: '${label} entries', fr: 'Entrées ${label}' } },
      icon: 'file-text',
      labelField: 'title',
      fields: [
        { name: 'title', type: 'text', labels: { en: 'Title', fr: 'Titre' }, required: true },
        { name: 'company', type: 'relation', labels: { en: 'Company', fr: 'Entreprise' }, relation: { kind: 'manyToOne', target: 'company' } },
      ],
    },
  ],
  navigation: [{ id: 'home', label: { en: '${label}', fr: '${label}' }, path: '', icon: 'star' }],
  jobs: [{ name: 'recount' }],
});
`,
    'src/server.ts': `import { defineServer } from '@rapport/sdk/server';
import manifest from './manifest';

export default defineServer(manifest, (ctx) => {
  const counts = new Map<string, number>();

  // GET /api/v1/plugins/${id}/summary, as the calling user: only what they may see.
  ctx.http.get('/summary', async (c, { records }) => {
    const entries = await records.list('${object}', { limit: 500 });
    return c.json({ entries: entries.data.length });
  });

  // POST /api/v1/plugins/${id}/recount queues the job; the job runs as the plugin's own identity.
  ctx.http.post('/recount', async (c, { caller }) => c.json({ job: await ctx.jobs.enqueue('recount', { workspaceId: caller.workspaceId }) }, 202));
  ctx.jobs.handle('recount', async (data, records) => {
    const workspaceId = String(data.workspaceId);
    counts.set(workspaceId, (await records(workspaceId).list('${object}', { limit: 500 })).data.length);
    ctx.log.info('recounted', { workspaceId, entries: counts.get(workspaceId) });
  });
  ctx.http.get('/counts', (c, { caller }) => c.json({ entries: counts.get(caller.workspaceId) ?? null }));
});
`,
    'src/web.tsx': `import { useQuery } from '@tanstack/react-query';
import { defineWeb, useRapport, type RecordSlotProps } from '@rapport/sdk/web';

function HomePage() {
  const { fetch, t } = useRapport();
  const summary = useQuery({
    queryKey: ['${id}', 'summary'],
    queryFn: async () => (await (await fetch('/api/v1/plugins/${id}/summary')).json()) as { entries: number },
  });
  return (
    <section className="r-card" style={{ padding: 16 }}>
      <p style={{ margin: 0 }}>{t({ en: \`\${summary.data?.entries ?? '…'} entries\`, fr: \`\${summary.data?.entries ?? '…'} entrées\` })}</p>
    </section>
  );
}

function CompanyPanel({ record }: RecordSlotProps) {
  const { t } = useRapport();
  return <p style={{ margin: 0 }}>{t({ en: \`${label} for \${String(record.name)}\`, fr: \`${label} pour \${String(record.name)}\` })}</p>;
}

export default defineWeb({ id: '${id}' }, {
  pages: { '': HomePage },
  slots: { 'record.panel/v1': [{ id: 'panel', title: { en: '${label}', fr: '${label}' }, objects: ['company'], component: CompanyPanel }] },
});
`,
    [`test/${id}.db.test.ts`]: `import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestHost, describeDb, importPluginFolder, sendBadInput, type TestHost } from '@rapport/testing';

describeDb('${id}', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await createTestHost({ plugins: [await importPluginFolder(path.join(import.meta.dirname, '..'))] });
    await host.enable('${id}');
  });
  afterAll(() => host?.close());

  it('counts the entries the caller may see', async () => {
    const rep = await host.user('sales_rep');
    await rep.client.records('${object}').create({ title: 'First' });
    await host.client.records('${object}').create({ title: 'The admin’s' });
    expect(await (await rep.request('/api/v1/plugins/${id}/summary')).json()).toEqual({ entries: 1 });
    expect(await (await host.request('/api/v1/plugins/${id}/summary')).json()).toEqual({ entries: 2 });
  });

  it('runs its job as its own identity', async () => {
    expect((await host.request('/api/v1/plugins/${id}/recount', { method: 'POST' })).status).toBe(202);
    for (let attempt = 0; attempt < 100; attempt++) {
      const { entries } = (await (await host.request('/api/v1/plugins/${id}/counts')).json()) as { entries: number | null };
      if (entries !== null) return expect(entries).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the job did not run');
  });

  it('answers garbage to any of its routes with a 4xx problem, never a 5xx', async () => {
    // Every route in the OpenAPI document; recount is left out: each call starts a job.
    const report = await sendBadInput(host, '${id}', { skip: ['POST /recount'] });
    expect(report.routes).toBeGreaterThan(0);
    expect(report.wrong).toEqual([]);
  });

  it('is gone when disabled', async () => {
    await host.disable('${id}');
    expect((await host.request('/api/v1/plugins/${id}/summary')).status).toBe(404);
  });
});
`,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  const dependencyOf = root && path.dirname(folder) === path.join(root, 'plugins') ? addToRoot(root, `rapport-plugin-${id}`) : undefined;
  return { folder, files: Object.keys(files), ...(dependencyOf ? { dependencyOf } : {}) };
}

/**
 * The server finds plugin packages from the checkout's own package.json, as it finds this
 * repository's plugins: one made in plugins/ becomes its dependency (as Backstage's create-plugin
 * adds a new plugin to the app), so that `pnpm install` then `pnpm start` run it.
 */
function addToRoot(root: string, name: string): string {
  const file = path.join(root, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
  const dependencies = { ...pkg.dependencies, [name]: 'workspace:*' };
  pkg.dependencies = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return file;
}
