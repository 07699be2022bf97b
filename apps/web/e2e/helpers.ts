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

/** Enables a plugin (and leaves it so) if it is not already. */
export async function enablePlugin(page: Page, id: string) {
  const plugins = await api(page, 'GET', '/api/v1/plugins');
  if (plugins.data.find((plugin: { id: string; status: string }) => plugin.id === id)?.status !== 'enabled') await api(page, 'POST', `/api/v1/plugins/${id}/enable`);
}
