import { expect, test } from '@playwright/test';
import { api, signIn } from './helpers';

// The server of the browser suites runs in a folder where this plugin was installed from its packed
// tarball (playwright.config.ts, e2e/npm-host.ts): built JavaScript, after the shell was built.
test('a plugin installed from its npm package appears in the shell with no rebuild: page, object and record panel', async ({ page }) => {
  await signIn(page);
  const offered = (await api(page, 'GET', '/api/v1/plugins')).data.find((plugin: { id: string }) => plugin.id === 'example-visits');
  expect(offered).toMatchObject({ version: '1.0.0', status: 'available' });
  await page.goto('/settings/plugins');
  const card = page.locator('[data-plugin="example-visits"]');
  const nav = page.getByRole('navigation').first();
  const visitsLink = nav.getByRole('link', { name: 'Field visits', exact: true });
  await expect(visitsLink).toHaveCount(0);
  await card.getByRole('button', { name: 'Enable' }).click();
  await expect(card.getByRole('button', { name: 'Disable' })).toBeVisible();
  await expect(visitsLink).toBeVisible();

  const person = await api(page, 'POST', '/api/v1/records/person', { firstName: 'Nora', lastName: 'Terrain' });
  await api(page, 'POST', '/api/v1/records/visit', { title: 'Warehouse walk-through', person: person.id, visitedOn: new Date().toISOString().slice(0, 10), outcome: 'positive' });
  await visitsLink.click();
  const visits = page.getByTestId('visits-page');
  await expect(visits.locator('[data-visit="Warehouse walk-through"]')).toContainText('Nora Terrain');
  await visits.getByLabel('Title').fill('Follow-up at the depot');
  await visits.getByLabel('Outcome').selectOption('neutral');
  await visits.getByRole('button', { name: 'Log the visit' }).click();
  await expect(visits.locator('[data-visit="Follow-up at the depot"]')).toBeVisible();
  await expect(page.getByTestId('visits-summary')).toContainText('1 positive');

  await page.goto(`/objects/person/${person.id}`);
  await expect(page.getByTestId('person-visits')).toHaveText('1 field visits');

  await page.goto('/settings/plugins');
  await card.getByRole('button', { name: 'Disable' }).click();
  await expect(visitsLink).toHaveCount(0);
});
