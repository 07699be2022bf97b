import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { api, enablePlugin, signIn } from './helpers';

test('the data-ops plugin exports a selection, then the whole filtered list, as CSV from the list toolbar', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'data-ops');
  await page.goto('/objects/company');
  await page.getByRole('row').nth(1).getByRole('checkbox').check();
  await page.getByRole('row').nth(2).getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Export 2' }).click();
  const [selection] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
  expect(selection.suggestedFilename()).toMatch(/^company-\d{4}-\d{2}-\d{2}\.csv$/);
  const selected = parse(fs.readFileSync(await selection.path(), 'utf8'), { bom: true }) as string[][];
  expect(selected).toHaveLength(3);
  expect(selected[0]).toContain('Name');

  await page.getByRole('button', { name: 'Clear selection' }).click();
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByLabel('Field').selectOption('employees');
  await page.getByLabel('Operator').selectOption('gte');
  await page.getByLabel('Value').fill('1000');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('button', { name: '1 filters' })).toBeVisible();
  const filter = encodeURIComponent(JSON.stringify({ and: [{ field: 'employees', op: 'gte', value: 1000 }] }));
  const shown = (await api(page, 'GET', `/api/v1/records/company?limit=500&filter=${filter}`)).data.length;
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const [whole] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
  const rows = parse(fs.readFileSync(await whole.path(), 'utf8'), { bom: true }) as string[][];
  expect(rows.length - 1).toBe(shown);
  const employees = rows[0]!.indexOf('Employees');
  expect(employees).toBeGreaterThan(-1);
  for (const row of rows.slice(1)) expect(Number(row[employees])).toBeGreaterThanOrEqual(1000);
});
