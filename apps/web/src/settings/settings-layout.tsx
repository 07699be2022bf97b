import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { useMe } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { useSlotContributions } from '../plugins/plugin-slot';

/** Settings, showing only the areas my role opens (the server enforces them all the same). */
export function SettingsLayout() {
  const { t, l } = useI18n();
  const pluginPages = useSlotContributions('settings.page/v1');
  const me = useMe();
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  const admin = me.data?.permissions.admin;
  const links = [
    { to: '/settings/profile', label: t('settings.profile'), shown: true },
    { to: '/settings/workspace', label: t('settings.workspace'), shown: Boolean(admin?.settings) },
    { to: '/settings/objects', label: t('settings.objects'), shown: Boolean(admin?.settings) },
    { to: '/settings/users', label: t('settings.users'), shown: Boolean(admin?.users) },
    { to: '/settings/roles', label: t('settings.roles'), shown: Boolean(admin?.users) },
    { to: '/settings/api-keys', label: t('settings.apiKeys'), shown: me.data?.via === 'session' },
    { to: '/settings/plugins', label: t('settings.plugins'), shown: Boolean(admin?.plugins) },
    { to: '/settings/jobs', label: t('settings.jobs'), shown: Boolean(admin?.plugins) },
  ] as const;
  return (
    <div className="settings">
      <nav className="settings-nav" aria-label={t('settings.title')}>
        <h2 style={{ padding: '0 8px 8px' }}>{t('settings.title')}</h2>
        {links.filter((link) => link.shown).map((link) => (
          <Link key={link.to} to={link.to} className="nav-link" data-status={pathname.startsWith(link.to) ? 'active' : undefined}>{link.label}</Link>
        ))}
        {pluginPages.map((page) => (
          <Link key={`${page.plugin}:${page.id}`} to="/settings/plugin/$pluginId/$pageId" params={{ pluginId: page.plugin, pageId: page.id }} className="nav-link" data-status={pathname === `/settings/plugin/${page.plugin}/${page.id}` ? 'active' : undefined}>
            {page.title ? l(page.title) : page.id}
          </Link>
        ))}
      </nav>
      <div className="page">
        <Outlet />
      </div>
    </div>
  );
}
