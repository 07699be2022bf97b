import { expect, test } from '@playwright/test';
import { api, enablePlugin, signIn } from './helpers';

test('activities: a task added on a company page shows in My tasks, done in one click, and in the timeline', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'activities');
  const company = await api(page, 'POST', '/api/v1/records/company', { name: 'Activities Test Co' });
  await page.goto(`/objects/company/${company.id}`);
  const panel = page.getByTestId('activities');
  await expect(panel).toContainText('Nothing to do.');
  await panel.getByLabel('New task').fill('Send the e2e proposal');
  await panel.getByRole('button', { name: 'Add' }).click();
  await expect(panel.locator('[data-activity="Send the e2e proposal"]')).toBeVisible();
  await expect(page.locator('.timeline')).toContainText('Task: Send the e2e proposal');

  await page.getByRole('navigation').first().getByRole('link', { name: 'My tasks' }).click();
  const mine = page.getByTestId('activities');
  await expect(mine.locator('[data-activity="Send the e2e proposal"]')).toBeVisible();
  // click, not check(): a done task leaves the list at once, and check() then waits, until its timeout,
  // for the box it clicked to show as checked (seen on a fresh clone: the task was done, the test timed out).
  await mine.getByRole('checkbox', { name: 'Done: Send the e2e proposal' }).click();
  await expect(mine.locator('[data-activity="Send the e2e proposal"]')).toHaveCount(0);
});
