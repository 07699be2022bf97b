import { Link, Outlet, useRouterState } from '@tanstack/react-router';
import { House, Search, Settings } from 'lucide-react';
import { lazy, Suspense, useEffect, useState } from 'react';
import { pickLocale } from '@rapport/i18n';
import { useMe, useObjects } from '../api/queries';
import { useI18n } from '../i18n/i18n';
import { useExtensionEvents, useExtensions } from '../plugins/extensions';
import { FieldRenderersProvider } from '../plugins/field-renderers';
import { PluginContext } from '../plugins/plugin-host';
import { Icon } from './icons';
import { NotificationsBell } from './notifications-bell';
import { UserMenu } from './user-menu';

const CommandPalette = lazy(() => import('./command-palette').then((module) => ({ default: module.CommandPalette })));

export function AppLayout() {
  const { t, l, locale, setLocale } = useI18n();
  const objects = useObjects();
  const me = useMe();
  const profileLocale = me.data?.user?.locale;
  // The profile's language wins over this browser's memory of it (changed elsewhere, or through the API).
  useEffect(() => {
    if (profileLocale && pickLocale(profileLocale) !== locale) setLocale(pickLocale(profileLocale));
    // Only when the profile's changes: switching from the menu saves the profile too.
  }, [profileLocale]);
  const extensions = useExtensions();
  useExtensionEvents();
  const [searchOpen, setSearchOpen] = useState(false);
  const pathname = useRouterState({ select: (state) => state.location.pathname });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        setSearchOpen((open) => !open);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const pluginItems = (extensions.data ?? []).flatMap((plugin) => plugin.navigation.map((item) => ({ ...item, plugin: plugin.id })));
  return (
    <div className="app">
      <nav className="sidebar" aria-label={t('nav.objects')}>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">R</span>
          {t('app.name')}
        </Link>
        <Link to="/" className="nav-link" data-status={pathname === '/' ? 'active' : undefined}>
          <House size={16} aria-hidden="true" />
          {t('home.title')}
        </Link>
        <div className="nav-section">{t('nav.objects')}</div>
        {(objects.data ?? []).map((object) => (
          <Link key={object.name} to="/objects/$object" params={{ object: object.name }} className="nav-link" data-status={pathname.startsWith(`/objects/${object.name}`) ? 'active' : undefined}>
            <Icon name={object.icon} />
            {l(object.labels.plural)}
          </Link>
        ))}
        {pluginItems.length > 0 ? <div className="nav-section">{t('nav.plugins')}</div> : null}
        {pluginItems.map((item) => (
          <Link key={`${item.plugin}:${item.id}`} to="/p/$pluginId/$" params={{ pluginId: item.plugin, _splat: item.path }} activeOptions={{ exact: true }} className="nav-link" data-status={pathname === `/p/${item.plugin}/${item.path}`.replace(/\/$/, '') || pathname === `/p/${item.plugin}/${item.path}` ? 'active' : undefined}>
            <Icon name={item.icon} />
            {l(item.label)}
          </Link>
        ))}
        <div className="sidebar-footer">
          <Link to="/settings" className="nav-link" data-status={pathname.startsWith('/settings') ? 'active' : undefined}>
            <Settings size={16} aria-hidden="true" />
            {t('nav.settings')}
          </Link>
        </div>
      </nav>
      <div className="main">
        <header className="topbar">
          <button type="button" className="search-trigger" onClick={() => setSearchOpen(true)}>
            <Search size={15} aria-hidden="true" />
            {t('nav.search')}
            <kbd>Ctrl K</kbd>
          </button>
          <div className="topbar-spacer" />
          <NotificationsBell />
          <UserMenu />
        </header>
        <main className="content">
          <PluginContext>
            <FieldRenderersProvider>
              <Outlet />
            </FieldRenderersProvider>
          </PluginContext>
        </main>
      </div>
      {searchOpen ? (
        <Suspense fallback={null}>
          <CommandPalette onClose={() => setSearchOpen(false)} />
        </Suspense>
      ) : null}
    </div>
  );
}
