import '@rapport/ui/styles.css';
import './shell/shell.css';
import { ToastProvider } from '@rapport/ui';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiProblem, setUnauthorizedHandler } from './api/client';
import { keys } from './api/queries';
import { I18nProvider } from './i18n/i18n';
import { createAppRouter } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // A problem the server answered will not change by asking again; a network failure might.
      retry: (count, error) => !(error instanceof ApiProblem) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});
const router = createAppRouter(queryClient);

setUnauthorizedHandler(() => {
  queryClient.removeQueries({ queryKey: keys.me });
  if (!router.state.location.pathname.startsWith('/sign-in')) void router.navigate({ to: '/sign-in', search: { redirect: router.state.location.href } });
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <ToastProvider>
          <RouterProvider router={router} />
        </ToastProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
