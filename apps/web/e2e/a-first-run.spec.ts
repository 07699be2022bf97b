import { expect, test } from '@playwright/test';
import { api, signIn } from './helpers';

// Runs first (file order): the server of the browser suites is a fresh first start with demo data.
test('a first start with demo data shows a living CRM: sales plugins on, deals on the board, tasks, scored leads', async ({ page }) => {
  await signIn(page);
  const plugins = (await api(page, 'GET', '/api/v1/plugins')).data as { id: string; status: string }[];
  expect(plugins.filter((plugin) => plugin.status === 'enabled').map((plugin) => plugin.id).sort()).toEqual(['activities', 'data-ops', 'leads', 'pipeline']);
  expect((await api(page, 'GET', '/api/v1/records/opportunity?limit=100')).data.length).toBeGreaterThan(0);
  expect((await api(page, 'GET', '/api/v1/records/activity?limit=100')).data.length).toBeGreaterThan(0);
  await expect.poll(async () => (await api(page, 'GET', '/api/v1/records/lead?limit=100')).data.every((lead: { score: number | null }) => lead.score !== null)).toBe(true);
  // The demo's activities are about deals and a lead: their last-activity dates are kept, the meeting counts in the score.
  await expect.poll(async () => (await api(page, 'GET', '/api/v1/records/opportunity?limit=100')).data.filter((deal: { lastActivityAt?: string | null }) => deal.lastActivityAt).length).toBeGreaterThan(0);
  await expect.poll(async () => (await api(page, 'GET', '/api/v1/records/lead?limit=100')).data.find((lead: { lastName: string }) => lead.lastName === 'Roux')?.scoreReasons ?? '').toContain('Meeting in 30 days');
  await expect(page.getByTestId('sales-kpis').locator('[data-kpi="win-rate"]')).not.toContainText('—');
  // The demo's records were made through a key: their timeline names the admin behind it, not an id.
  const [deal] = (await api(page, 'GET', '/api/v1/records/opportunity?limit=1')).data;
  await page.goto(`/objects/opportunity/${deal.id}`);
  await expect(page.locator('.timeline')).toContainText('Admin (API key “first-run demo”) created this record');
  const keys = (await api(page, 'GET', '/api/v1/api-keys')).data as { name: string; revokedAt: string | null }[];
  expect(keys.filter((key) => key.name === 'first-run demo').every((key) => key.revokedAt !== null)).toBe(true);
});
