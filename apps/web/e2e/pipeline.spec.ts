import { expect, test } from '@playwright/test';
import { api, enablePlugin, signIn } from './helpers';

test('the pipeline board: sample deals, a drag to the next stage, a refused move rolled back, the stage history', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'pipeline');
  await page.goto('/');
  await page.getByRole('navigation').first().getByRole('link', { name: 'Pipeline', exact: true }).click();
  const existing = await api(page, 'GET', '/api/v1/records/opportunity?limit=1');
  if (existing.data.length === 0) await page.getByRole('button', { name: 'Add sample deals' }).click();
  const board = page.getByTestId('pipeline-board');
  await expect(board).toBeVisible();
  const lead = board.locator('[data-stage="lead"]');
  const qualified = board.locator('[data-stage="qualified"]');
  const proposal = board.locator('[data-stage="proposal"]');

  // A deal with no amount: moving it to Proposal is refused by the API's rule, and it goes back.
  const bare = await api(page, 'POST', '/api/v1/records/opportunity', { name: 'No amount yet', stage: 'lead' });
  await page.reload();
  const card = lead.locator('[data-deal="No amount yet"]');
  await expect(card).toBeVisible();
  await card.dragTo(proposal);
  await expect(page.getByRole('alert')).toContainText('amount: is required from the Proposal stage on');
  await expect(lead.locator('[data-deal="No amount yet"]')).toBeVisible();

  // To Qualified it goes, and stays after a reload.
  await lead.locator('[data-deal="No amount yet"]').dragTo(qualified);
  await expect(qualified.locator('[data-deal="No amount yet"]')).toBeVisible();
  await page.reload();
  await expect(qualified.locator('[data-deal="No amount yet"]')).toBeVisible();

  // The home page's sales widget reads the same deals.
  await page.goto('/');
  await expect(page.getByTestId('sales-kpis').locator('[data-kpi="weighted"]')).toContainText('€');

  // Its page shows the stages it went through.
  await page.goto(`/objects/opportunity/${bare.id}`);
  await expect(page.getByTestId('stage-history')).toContainText('lead');
  await expect(page.getByTestId('stage-history')).toContainText('qualified');
});
