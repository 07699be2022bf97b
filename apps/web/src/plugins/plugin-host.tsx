import { RapportWebProvider, type PluginWeb } from '@rapport/sdk/web';
import { useQueries, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useMemo, useRef, type ReactNode } from 'react';
import { apiFetch } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useExtensions, type PluginExtension } from './extensions';
import { PluginFieldValue } from './plugin-field-value';

export { PluginBoundary } from './plugin-boundary';

/**
 * Enabled plugins' web modules, loaded with import() from the server (never bundled into the shell):
 * a plugin enabled at run time shows up without a rebuild. Each loads on its own; one that fails
 * to load is left out, never taking the shell down.
 */
export function usePluginModules(): { plugin: PluginExtension; web: PluginWeb }[] {
  const extensions = useExtensions();
  const withWeb = (extensions.data ?? []).filter((plugin) => plugin.web);
  const modules = useQueries({
    queries: withWeb.map((plugin) => ({
      queryKey: ['plugin-web', plugin.id, plugin.web],
      queryFn: async () => {
        const web = ((await import(/* @vite-ignore */ plugin.web!)) as { default?: PluginWeb }).default;
        if (!web || web.id !== plugin.id) throw new Error(`the web module of ${plugin.id} does not export defineWeb({ id: '${plugin.id}' }, …) as its default`);
        return web;
      },
      staleTime: Infinity,
      retry: false,
    })),
  });
  const loaded = withWeb.flatMap((plugin, index) => (modules[index]?.data ? [{ plugin, web: modules[index]!.data! }] : []));
  // The same array while the same modules are loaded, so that what depends on it does not recompute;
  // a module rebuilt (`rapport dev`) has a new URL, so a new signature, and replaces the old one.
  const signature = loaded.map(({ plugin }) => plugin.web).join(',');
  const stable = useRef({ signature, loaded });
  if (stable.current.signature !== signature) stable.current = { signature, loaded };
  return stable.current.loaded;
}

/** What plugin components receive through `useRapport()` of `@rapport/sdk/web`. */
export function PluginContext({ children }: { children: ReactNode }) {
  const { locale, format } = useI18n();
  const navigate = useNavigate();
  const client = useQueryClient();
  const value = useMemo(
    () => ({ locale, fetch: apiFetch, t: (text: { en: string; fr?: string }) => (locale === 'fr' && text.fr) || text.en, navigate: (to: string) => void navigate({ to }), refresh: () => void client.invalidateQueries({ queryKey: ['records'] }), FieldValue: PluginFieldValue, format }),
    [locale, navigate, client, format],
  );
  return <RapportWebProvider value={value}>{children}</RapportWebProvider>;
}
