import { useParams } from '@tanstack/react-router';
import { useI18n } from '../i18n/i18n';
import { NotFound } from '../shell/error-screen';
import { Loading } from '../shell/loading';
import { useExtensions } from './extensions';
import { matchPage } from './page-match';
import { PluginBoundary, usePluginModules } from './plugin-host';

/** `/p/<plugin>/<path>`: one catch-all route per plugin, filled from its `pages` at run time. */
export function PluginPage() {
  const { pluginId, _splat } = useParams({ from: '/app/p/$pluginId/$' });
  const { l } = useI18n();
  const extensions = useExtensions();
  const modules = usePluginModules();
  const plugin = extensions.data?.find((candidate) => candidate.id === pluginId);
  if (extensions.isLoading) return <Loading />;
  if (!plugin) return <NotFound />;
  const loaded = modules.find((module) => module.plugin.id === pluginId);
  if (plugin.web && !loaded) return <Loading />;
  const path = (_splat ?? '').replace(/\/$/, '');
  const found = matchPage(loaded?.web.pages, path);
  if (!found) return <NotFound />;
  const { page: Page, params } = found;
  const title = plugin.navigation.find((item) => item.path === path)?.label;
  return (
    <div className="page">
      {title ? <h1>{l(title)}</h1> : null}
        <PluginBoundary plugin={plugin.id}>
          <Page path={path} params={params} />
        </PluginBoundary>
    </div>
  );
}
