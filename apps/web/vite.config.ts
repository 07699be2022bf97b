import { createRequire } from 'node:module';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const require = createRequire(import.meta.url);

/**
 * The libraries the shell shares with plugins' web modules through the import map: one React, one
 * query cache, one SDK context. A plugin imports these by bare specifier and bundles everything else
 * (docs/plugins/reference.md, "./web").
 */
export const SHARED_MODULES = ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client', '@tanstack/react-query', '@tanstack/react-router', '@rapport/ui', '@rapport/sdk/web'] as const;
const PREFIX = '\0rapport-shared:';

/**
 * Builds each shared library as its own entry chunk, with every export named (`export *` re-exports
 * nothing from a CommonJS package such as React), and writes the import map that points plugins'
 * bare imports at those chunks. The shell's own code links to the same chunks, so there is one React.
 */
function sharedModules(specifiers: readonly string[]): Plugin {
  const available = specifiers.filter((specifier) => {
    try {
      require.resolve(specifier);
      return true;
    } catch {
      return specifier.startsWith('@rapport/');
    }
  });
  return {
    name: 'rapport-shared-modules',
    apply: 'build',
    config: () => ({
      build: {
        rollupOptions: {
          input: { main: 'index.html', ...Object.fromEntries(available.map((specifier) => [`shared-${specifier.replace(/[@/]/g, '_').replace(/^_/, '')}`, PREFIX + specifier])) },
          preserveEntrySignatures: 'exports-only',
        },
      },
    }),
    resolveId: (id) => (id.startsWith(PREFIX) ? id : undefined),
    load(id) {
      if (!id.startsWith(PREFIX)) return undefined;
      const specifier = id.slice(PREFIX.length);
      let names: string[];
      try {
        names = Object.keys(require(specifier)).filter((name) => name !== 'default' && name !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(name));
      } catch {
        return `export * from ${JSON.stringify(specifier)};`;
      }
      const isCommonJs = !require.resolve(specifier).endsWith('.mjs') && !specifier.startsWith('@tanstack/');
      return `export { ${names.join(', ')} } from ${JSON.stringify(specifier)};${isCommonJs ? `\nexport { default } from ${JSON.stringify(specifier)};` : ''}`;
    },
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        if (!context.bundle) return undefined;
        const imports: Record<string, string> = {};
        for (const chunk of Object.values(context.bundle)) {
          if (chunk.type === 'chunk' && chunk.isEntry && chunk.facadeModuleId?.startsWith(PREFIX)) imports[chunk.facadeModuleId.slice(PREFIX.length)] = `/${chunk.fileName}`;
        }
        return [{ tag: 'script', attrs: { type: 'importmap' }, children: JSON.stringify({ imports }), injectTo: 'head-prepend' }];
      },
    },
  };
}

export default defineConfig({
  plugins: [react(), sharedModules(SHARED_MODULES)],
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 400 },
  server: { proxy: { '/api': 'http://localhost:3000', '/plugin-web': 'http://localhost:3000' } },
});
