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

test('an admin edits the scoring rules in Settings; every lead is scored again by them', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'leads');
  const before = (await api(page, 'GET', '/api/v1/plugins/leads/settings')).values;
  try {
    const lead = await api(page, 'POST', '/api/v1/records/lead', { lastName: 'Garnier', jobTitle: 'Responsable des achats', source: 'web' });
    await page.goto('/settings');
    await page.getByRole('link', { name: 'Lead scoring' }).click();
    const form = page.getByTestId('scoring-settings');
    await expect(form.locator('[data-rule-row]')).toHaveCount(before.rules.length);
    await form.getByRole('button', { name: 'Add a field rule' }).click();
    const added = form.locator('[data-rule-row]').last();
    await added.getByLabel('Field').selectOption('jobTitle');
    await added.getByLabel('Condition').selectOption('contains');
    // A mistake first: a "contains" rule with nothing to look for is refused, naming the rule.
    await added.getByLabel('Points').fill('20');
    await added.getByLabel('Shown as').fill('Buyer');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('alert')).toContainText(`rules.${before.rules.length}.value`);
    await added.getByLabel('Value').fill('achats');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toContainText('Saved.');
    // Applied to the leads there are, with no change of theirs (in the background: the page shows the lead as it is when opened).
    await expect.poll(async () => (await api(page, 'GET', `/api/v1/records/lead/${lead.id}`)).scoreReasons ?? '', { timeout: 20_000 }).toContain('+20 Buyer');
    await page.goto(`/objects/lead/${lead.id}`);
    await expect(page.getByTestId('lead-score')).toContainText('+20 Buyer', { timeout: 20_000 });
  } finally {
    await api(page, 'PUT', '/api/v1/plugins/leads/settings', before);
  }
});
