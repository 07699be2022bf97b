import { Alert, Badge, Button, EmptyState, useToast } from '@rapport/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { keys } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { PluginSettingsForm } from './plugin-settings-form';

const tones = { enabled: 'success', failed: 'danger', disabled: undefined, available: undefined, uninstalled: 'warning' } as const;

/** The server's plugins: enable or disable at run time (no restart), with why one failed. */
export function PluginsSettings() {
  const { t, l } = useI18n();
  const toast = useToast();
  const client = useQueryClient();
  const plugins = useQuery({ queryKey: ['plugins'], queryFn: async () => (await unwrap(api.GET('/api/v1/plugins'))).data });
  const change = useMutation({
    mutationFn: ({ id, action }: { id: string; action: 'enable' | 'disable' }) => unwrap(api.POST(`/api/v1/plugins/{id}/${action}`, { params: { path: { id } } })),
    onError: (error) => toast((error as Error).message, 'danger'),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['plugins'] });
      // Its navigation, pages and objects appear or go at once.
      await Promise.all([client.invalidateQueries({ queryKey: keys.extensions }), client.invalidateQueries({ queryKey: keys.objects }), client.invalidateQueries({ queryKey: keys.me })]);
    },
  });
  const statusLabel = { enabled: t('plugins.enabled'), disabled: t('plugins.disabled'), available: t('plugins.installed'), failed: t('plugins.failed'), uninstalled: t('plugins.uninstalled') };
  return (
    <>
      <h1>{t('settings.plugins')}</h1>
      {plugins.data?.length === 0 ? <EmptyState title={t('plugins.empty')} /> : null}
      <div style={{ display: 'grid', gap: 12 }}>
        {plugins.data?.map((plugin) => (
          <article key={plugin.id} className="r-card" style={{ padding: 16, display: 'grid', gap: 8 }} data-plugin={plugin.id}>
            <div style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
              <h2>{l(plugin.displayName)}</h2>
              <Badge tone={tones[plugin.status]}>{statusLabel[plugin.status]}</Badge>
              <span className="r-muted" style={{ fontSize: 12 }}>{t('plugins.version', { version: plugin.version })}</span>
              <span style={{ flex: 1 }} />
              {plugin.status === 'enabled' ? (
                <Button onClick={() => change.mutate({ id: plugin.id, action: 'disable' })} disabled={change.isPending}>{t('plugins.disable')}</Button>
              ) : plugin.status !== 'uninstalled' ? (
                <Button variant="primary" onClick={() => change.mutate({ id: plugin.id, action: 'enable' })} disabled={change.isPending}>{t('plugins.enable')}</Button>
              ) : null}
            </div>
            {plugin.description ? <p className="r-muted" style={{ margin: 0 }}>{l(plugin.description)}</p> : null}
            {plugin.error ? <Alert>{plugin.error}</Alert> : null}
            {plugin.status === 'enabled' ? <PluginSettingsForm pluginId={plugin.id} /> : null}
          </article>
        ))}
      </div>
    </>
  );
}
