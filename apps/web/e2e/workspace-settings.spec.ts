import { expect, test } from '@playwright/test';
import { api, signIn } from './helpers';

test('workspace settings: a bad trash period is refused next to its field, a good one is kept', async ({ page }) => {
  await signIn(page);
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Workspace' }).click();
  await expect(page.getByRole('heading', { name: 'Workspace' })).toBeVisible();
  const days = page.getByLabel('Days in the trash');
  await expect(days).toHaveValue('30');
  await days.fill('0');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  expect((await api(page, 'GET', '/api/v1/settings/workspace')).trashDays).toBe(30);
  await days.fill('45');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Workspace settings saved')).toBeVisible();
  expect((await api(page, 'GET', '/api/v1/settings/workspace')).trashDays).toBe(45);
  await api(page, 'PATCH', '/api/v1/settings/workspace', { trashDays: 30 });
});
