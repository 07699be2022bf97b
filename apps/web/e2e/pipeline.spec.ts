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
  await expect(page.getByRole('alert')).toContainText('amount: is required in the stage "proposal"');
  await expect(lead.locator('[data-deal="No amount yet"]')).toBeVisible();

  // To Qualified it goes, and stays after a reload.
  await lead.locator('[data-deal="No amount yet"]').dragTo(qualified);
  await expect(qualified.locator('[data-deal="No amount yet"]')).toBeVisible();
  await page.reload();
  await expect(qualified.locator('[data-deal="No amount yet"]')).toBeVisible();

  // Changed by someone else after the board was loaded: the move is refused (412) and rolled back.
  await api(page, 'PATCH', `/api/v1/records/opportunity/${bare.id}`, { probability: 25 });
  await qualified.locator('[data-deal="No amount yet"]').dragTo(lead);
  await expect(page.getByRole('alert')).toContainText('Someone changed this deal meanwhile');
  await expect(qualified.locator('[data-deal="No amount yet"]')).toBeVisible();
  expect((await api(page, 'GET', `/api/v1/records/opportunity/${bare.id}`)).stage).toBe('qualified');

  // Filters: by name or company, by owner, by source; cleared in one click.
  const filters = page.getByTestId('board-filters');
  await filters.getByLabel('Find a deal').fill('no amount');
  await expect(board.locator('[data-deal]')).toHaveCount(1);
  await filters.getByRole('button', { name: 'Clear' }).click();
  await expect(board.locator('[data-deal]').nth(1)).toBeVisible();
  await filters.getByLabel('Source').selectOption('-');
  await expect(board.locator('[data-deal="No amount yet"]')).toBeVisible();
  await filters.getByLabel('Source').selectOption('partner');
  await expect(board.locator('[data-deal="No amount yet"]')).toHaveCount(0);
  await filters.getByRole('button', { name: 'Clear' }).click();

  // The home page's sales widget reads the same deals.
  await page.goto('/');
  await expect(page.getByTestId('sales-kpis').locator('[data-kpi="weighted"]')).toContainText('€');

  // Its page shows the stages it went through.
  await page.goto(`/objects/opportunity/${bare.id}`);
  await expect(page.getByTestId('stage-history')).toContainText('Lead: ');
  await expect(page.getByTestId('stage-history')).toContainText('Qualified: ');
});

test('pipelines set up by an admin: a second pipeline with its own stages, a rate, a board per pipeline with totals in euros', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'pipeline');
  const before = (await api(page, 'GET', '/api/v1/plugins/pipeline/settings')).values;
  let renewal: { id: string } | undefined;
  try {
    await page.goto('/settings');
    await page.getByRole('link', { name: 'Pipelines' }).click();
    const form = page.getByTestId('pipeline-settings');
    await expect(form.locator('[data-pipeline="sales"]')).toBeVisible();
    await form.getByRole('button', { name: 'Add a pipeline' }).click();
    const added = form.locator('fieldset').nth(1);
    await added.getByLabel('Key').fill('renewals');
    await added.getByLabel('Name (English)').fill('Renewals');
    await added.getByLabel('Name (French)').fill('Renouvellements');
    // Renewals skip the first stage, and qualified ones are at 60 %.
    await added.locator('[data-stage-row="lead"]').getByRole('button', { name: '✕' }).click();
    await added.locator('[data-stage-row="qualified"]').getByLabel('Probability (%)').fill('60');
    // A mistake first: a rate from a currency to itself is refused, naming the place.
    const rates = page.getByTestId('exchange-rates');
    await rates.getByRole('button', { name: 'Add a rate' }).click();
    await rates.getByLabel('From', { exact: true }).fill('EUR');
    await rates.getByLabel('To', { exact: true }).fill('EUR');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('alert')).toContainText('exchangeRates.0.to');
    await rates.getByLabel('From', { exact: true }).fill('USD');
    await rates.getByLabel('Rate').fill('0.5');
    await rates.getByLabel('From the date').fill('2020-01-01');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');

    const saved = (await api(page, 'GET', '/api/v1/plugins/pipeline/settings')).values;
    expect(saved.pipelines[1]).toMatchObject({ key: 'renewals', labels: { en: 'Renewals', fr: 'Renouvellements' } });
    expect(saved.pipelines[1].stages.map((stage: { stage: string }) => stage.stage)).toEqual(['qualified', 'proposal', 'negotiation', 'won', 'lost']);
    expect(saved.pipelines[1].stages[0].probability).toBe(60);

    renewal = await api(page, 'POST', '/api/v1/records/opportunity', { name: 'Dollar renewal', pipeline: 'renewals', stage: 'qualified', amount: { amountMinor: 2_000_000, currency: 'USD' } });
    await page.goto('/p/pipeline');
    await page.getByTestId('pipeline-choice').selectOption('renewals');
    const board = page.getByTestId('pipeline-board');
    await expect(board).toHaveAttribute('data-pipeline', 'renewals');
    await expect(board.locator('[data-stage="lead"]')).toHaveCount(0);
    const qualified = board.locator('[data-stage="qualified"]');
    await expect(qualified.locator('[data-deal="Dollar renewal"]')).toBeVisible();
    // 20,000 $ at 0.5: 10,000 € in the column's total.
    await expect(qualified.getByTestId('total-qualified')).toContainText(/10[\s\u202f,.]?000\s?€|€10,000/);
  } finally {
    if (renewal) await api(page, 'DELETE', `/api/v1/records/opportunity/${renewal.id}`);
    await api(page, 'PUT', '/api/v1/plugins/pipeline/settings', before);
  }
});

test('the sales figures: the period’s results, charts drawn, per owner and source, and the funnel once leads run', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'pipeline');
  await enablePlugin(page, 'leads');
  await page.goto('/');
  await page.getByRole('navigation').first().getByRole('link', { name: 'Sales figures' }).click();
  const figures = page.getByTestId('sales-figures');
  await expect(figures.locator('[data-kpi="weighted"]')).toContainText('€');
  // The charts load with the page (their own chunk) and draw bars.
  await expect(figures.getByRole('figure', { name: 'Forecast by close month' }).locator('svg .recharts-bar-rectangle').first()).toBeVisible();
  await expect(figures.getByTestId('by-owner')).toContainText('Admin');
  // The forecast per owner: one series each, named in the legend.
  await figures.getByLabel('Forecast by', { exact: true }).selectOption('owner');
  await expect(figures.getByRole('figure', { name: 'Forecast by close month' }).locator('.recharts-legend-item-text', { hasText: 'Admin' })).toBeVisible();
  await expect(figures.getByTestId('by-source')).toContainText('Win rate');
  await expect(figures.getByTestId('funnel-rates')).toContainText('Lead → opportunity');
  // A period with nothing in it says so rather than showing zeros.
  await figures.getByLabel('From').fill('1990-01-01');
  await figures.getByLabel('To').fill('1990-12-31');
  await expect(figures.locator('[data-kpi="win-rate"]')).toContainText('—');
});
