import { useParams } from '@tanstack/react-router';
import { useI18n } from '../i18n/i18n';
import { PluginBoundary, useSlotContributions } from '../plugins/plugin-slot';
import { NotFound } from '../shell/error-screen';

/** A settings page a plugin brings (`settings.page/v1`), under the shell's settings. */
export function PluginSettingsPage() {
  const { pluginId, pageId } = useParams({ from: '/app/settings/plugin/$pluginId/$pageId' });
  const { l } = useI18n();
  const page = useSlotContributions('settings.page/v1').find((contribution) => contribution.plugin === pluginId && contribution.id === pageId);
  if (!page) return <NotFound />;
  return (
    <>
      {page.title ? <h1>{l(page.title)}</h1> : null}
        <PluginBoundary plugin={pluginId}>
          <page.component />
        </PluginBoundary>
    </>
  );
}
