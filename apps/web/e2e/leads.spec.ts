import { expect, test } from '@playwright/test';
import { api, enablePlugin, signIn } from './helpers';

test('a lead is scored, then converted from its page into a person, a company and an opportunity', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'pipeline');
  await enablePlugin(page, 'leads');
  const lead = await api(page, 'POST', '/api/v1/records/lead', { lastName: 'Lefèvre', firstName: 'Inès', jobTitle: 'Directrice des achats', email: 'ines@lefevre-conseil.fr', companyName: 'Lefèvre Conseil', source: 'referral' });
  await page.goto(`/objects/lead/${lead.id}`);
  await expect(page.getByTestId('lead-score')).toContainText('+15 Referral', { timeout: 15_000 });
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await page.getByRole('dialog').getByLabel('Also create an opportunity named (optional)').fill('Lefèvre — audit');
  await page.getByRole('dialog').getByRole('button', { name: 'Convert' }).click();
  await expect(page).toHaveURL(/\/objects\/person\//);
  await expect(page.getByRole('heading', { name: 'Lefèvre' })).toBeVisible();
  await expect(page.locator('[data-field="company"]')).toContainText('Lefèvre Conseil');
});
