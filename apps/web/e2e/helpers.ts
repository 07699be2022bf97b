import { expect, type Page } from '@playwright/test';

export const ADMIN = { email: 'admin@rapport.local', password: 'Tuile-Verte-9481-e2e' };

export async function signIn(page: Page, user: { email: string; password: string } = ADMIN) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('navigation').first()).toBeVisible();
}

/** The API with this page's session (its cookies and CSRF token), for setting up what a test needs. */
export async function api(page: Page, method: string, path: string, body?: unknown) {
  const cookies = await page.context().cookies();
  const csrf = cookies.find((cookie) => cookie.name === 'rapport_csrf')?.value;
  const response = await page.request.fetch(path, { method, data: body, headers: csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : {} });
  if (!response.ok()) throw new Error(`${method} ${path} answered ${response.status()}: ${await response.text()}`);
  return response.status() === 204 ? undefined : response.json();
}

/** Enables a plugin, and first the plugins it requires. */
export async function enablePlugin(page: Page, id: string) {
  const plugins = (await api(page, 'GET', '/api/v1/plugins')).data as { id: string; status: string; requires: Record<string, string> }[];
  const plugin = plugins.find((candidate) => candidate.id === id);
  if (plugin?.status === 'enabled') return;
  for (const required of Object.keys(plugin?.requires ?? {})) await enablePlugin(page, required);
  await api(page, 'POST', `/api/v1/plugins/${id}/enable`);
}
