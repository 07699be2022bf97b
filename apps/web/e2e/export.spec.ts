import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { api, signIn } from './helpers';

test('the data-ops plugin exports a selection, then the whole filtered list, as CSV from the list toolbar', async ({ page }) => {
  await signIn(page);
  const plugins = await api(page, 'GET', '/api/v1/plugins');
  if (plugins.data.find((plugin: { id: string; status: string }) => plugin.id === 'data-ops').status !== 'enabled') await api(page, 'POST', '/api/v1/plugins/data-ops/enable');
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
  const shown = await page.locator('[role="gridcell"][data-field="employees"]').count();
  await page.getByRole('button', { name: 'Export', exact: true }).click();
  const [whole] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV' }).click()]);
  const rows = parse(fs.readFileSync(await whole.path(), 'utf8'), { bom: true }) as string[][];
  expect(rows.length - 1).toBe(shown);
  const employees = rows[0]!.indexOf('Employees');
  expect(employees).toBeGreaterThan(-1);
  for (const row of rows.slice(1)) expect(Number(row[employees])).toBeGreaterThanOrEqual(1000);
});
