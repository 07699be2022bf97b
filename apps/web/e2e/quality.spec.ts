import { expect, test } from '@playwright/test';
import { api, enablePlugin, signIn } from './helpers';

test('data quality: figures of an object, a recorded day on the chart, an alert told in the app', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'data-ops');
  // Two people typed twice: whatever else the database holds, the object has duplicates now.
  const email = `twin.${Date.now()}@quality.test`;
  await api(page, 'POST', '/api/v1/records/person', { firstName: 'Léa', lastName: 'Quality-Twin', email });
  await api(page, 'POST', '/api/v1/records/person', { lastName: 'Quality-Twin', email: email.toUpperCase() });
  const live = await api(page, 'GET', '/api/v1/plugins/data-ops/quality/person');
  expect(live.metrics.duplicates).toBeGreaterThanOrEqual(2);

  await page.getByRole('link', { name: 'Data quality' }).click();
  await expect(page).toHaveURL(/\/p\/data-ops\/quality$/);
  await expect(page.getByTestId('quality-total')).toContainText(String(live.metrics.total));
  await expect(page.getByTestId('quality-duplicates')).toContainText(String(live.metrics.duplicates));
  await expect(page.getByRole('meter', { name: 'Email' })).toBeVisible();

  const alerts = page.getByRole('region', { name: 'My alerts' });
  await alerts.getByLabel('Metric').selectOption('duplicates');
  await alerts.getByLabel('When it goes').selectOption('above');
  await alerts.getByLabel('Threshold').fill('1');
  await alerts.getByRole('button', { name: 'Add the alert' }).click();
  await expect(alerts.getByTestId('quality-alerts')).toContainText('Duplicates above 1');

  await page.getByRole('button', { name: 'Record today’s figures' }).click();
  await expect(page.getByTestId('quality-history-chart').locator('canvas')).toBeVisible();
  await expect(alerts.getByText('Crossed')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: /Notifications \(\d+ unread\)/ })).toBeVisible();
  await page.getByRole('button', { name: /Notifications/ }).click();
  await expect(page.getByText(/Duplicates of person: \d+, above your threshold of 1/).first()).toBeVisible();
  const created = await api(page, 'GET', '/api/v1/plugins/data-ops/quality-alerts');
  for (const alert of created.data) await api(page, 'DELETE', `/api/v1/plugins/data-ops/quality-alerts/${alert.id}`);
});
