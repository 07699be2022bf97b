import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { ApiProblem, api, unwrap } from './api/client';
import { keys } from './api/queries';
import { SignInPage } from './auth/sign-in-page';
import { ListPage } from './records/list-page';
import { AppLayout } from './shell/app-layout';
import { ErrorScreen, NotFound } from './shell/error-screen';
import { HomePage } from './shell/home-page';

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: ErrorScreen,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>) => ({ redirect: typeof search.redirect === 'string' && search.redirect.startsWith('/') ? search.redirect : undefined }),
  component: SignInPage,
});

/** Everything behind sign-in: no session, back to the sign-in page with the way back. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    try {
      await context.queryClient.ensureQueryData({ queryKey: keys.me, queryFn: () => unwrap(api.GET('/api/v1/me')) });
    } catch (error) {
      if (error instanceof ApiProblem && error.status === 401) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
      throw error;
    }
  },
  component: AppLayout,
});

const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });
const listRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/objects/$object',
  validateSearch: (search: Record<string, unknown>): { view?: string } => (typeof search.view === 'string' ? { view: search.view } : {}),
  component: ListPage,
});
const recordRoute = createRoute({ getParentRoute: () => appRoute, path: '/objects/$object/$id', component: lazyRouteComponent(() => import('./records/record-page'), 'RecordPage') });
const settingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings', component: lazyRouteComponent(() => import('./settings/settings-layout'), 'SettingsLayout') });
const settingsIndex = createRoute({ getParentRoute: () => settingsRoute, path: '/', beforeLoad: () => { throw redirect({ to: '/settings/profile' }); } });
const profileRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'profile', component: lazyRouteComponent(() => import('./settings/profile-settings'), 'ProfileSettings') });
const workspaceRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'workspace', component: lazyRouteComponent(() => import('./settings/workspace-settings'), 'WorkspaceSettings') });
const objectsRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'objects', component: lazyRouteComponent(() => import('./settings/objects-settings'), 'ObjectsSettings') });
const objectFieldsRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'objects/$object', component: lazyRouteComponent(() => import('./settings/object-fields-settings'), 'ObjectFieldsSettings') });
const pluginsRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'plugins', component: lazyRouteComponent(() => import('./settings/plugins-settings'), 'PluginsSettings') });
const usersRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'users', component: lazyRouteComponent(() => import('./settings/users-settings'), 'UsersSettings') });
const rolesRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'roles', component: lazyRouteComponent(() => import('./settings/roles-settings'), 'RolesSettings') });
const jobsRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'jobs', component: lazyRouteComponent(() => import('./settings/jobs-settings'), 'JobsSettings') });
const pluginSettingsRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'plugin/$pluginId/$pageId', component: lazyRouteComponent(() => import('./settings/plugin-settings-page'), 'PluginSettingsPage') });
const apiKeysRoute = createRoute({ getParentRoute: () => settingsRoute, path: 'api-keys', component: lazyRouteComponent(() => import('./settings/api-keys-settings'), 'ApiKeysSettings') });
const pluginRoute = createRoute({ getParentRoute: () => appRoute, path: '/p/$pluginId/$', component: lazyRouteComponent(() => import('./plugins/plugin-page'), 'PluginPage') });

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([
    homeRoute,
    listRoute,
    recordRoute,
    settingsRoute.addChildren([
      settingsIndex,
      profileRoute,
      workspaceRoute,
      objectsRoute,
      objectFieldsRoute,
      pluginsRoute,
      usersRoute,
      apiKeysRoute,
      rolesRoute,
      jobsRoute,
      pluginSettingsRoute,
    ]),
    pluginRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({ routeTree, context: { queryClient }, defaultPreload: 'intent', scrollRestoration: true });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
