import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { parse } from 'csv-parse/sync';
import { api, enablePlugin, signIn } from './helpers';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../plugins/data-ops/test/fixtures');
const fixture = path.join(fixtures, 'contacts-fr.csv');

test('an import from the shell: upload a French file, check the mapping and the preview, run it, get the rejected rows, undo it', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'data-ops');
  await page.goto('/');
  await page.getByRole('navigation').getByRole('link', { name: 'Imports' }).click();
  await expect(page).toHaveURL(/\/p\/data-ops\/imports$/);

  const form = page.getByRole('form', { name: 'New import' });
  await form.getByLabel('Into').selectOption('person');
  // A bad file is refused with its reason (the built server must recognise the plugin's problems).
  await form.getByLabel('File').setInputFiles(path.join(fixtures, 'ragged.csv'));
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect(form.getByRole('alert')).toHaveText('file: Line 3 has 4 columns where the header has 2');
  await form.getByLabel('File').setInputFiles(fixture);
  await form.getByRole('button', { name: 'Upload' }).click();
  await expect(page).toHaveURL(/\/p\/data-ops\/imports\/[0-9a-f-]{36}$/);
  await expect(page.getByText('CSV · utf-8 · separator “;” · 8 rows')).toBeVisible();

  // The columns were recognised from their French names.
  await expect(page.getByLabel('Field for Prénom')).toHaveValue('firstName');
  await expect(page.getByLabel('Field for Codepostal')).toHaveValue('address.postalCode');
  await expect(page.getByLabel('Field for Notes')).toHaveValue('');
  const preview = page.getByTestId('import-preview');
  await expect(preview.getByRole('row').nth(1)).toContainText('Dupont');
  await expect(preview.getByRole('row').nth(1)).toContainText('+33612345678');
  await expect(page.getByText('1 row(s) will be rejected:')).toBeVisible();
  await expect(page.getByTestId('failing-rows')).toContainText('Line 7');

  // Leave the phone column out: the preview follows once applied.
  await page.getByLabel('Field for Téléphone').selectOption('');
  await page.getByRole('button', { name: 'Apply changes to the preview' }).click();
  await expect(page.getByTestId('failing-rows')).not.toContainText('Téléphone');

  await page.getByRole('button', { name: 'Import 8 rows' }).click();
  await expect(page.getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  const totals = page.getByTestId('import-totals');
  await expect(totals).toContainText('5');
  await expect(page.getByTestId('import-progress')).toContainText('8 of 8 rows');
  // Every row not created says why: the duplicates skipped (with the record they match), the row rejected.
  const decisions = page.getByTestId('import-decisions');
  await expect(decisions.getByRole('row')).toHaveCount(4);
  await expect(decisions).toContainText('Skipped, duplicate of this record (100 % · email)');
  await expect(decisions).toContainText('Rejected: Email: "eloise.durand@@exemple.fr" is not a valid email address');
  const people = await api(page, 'GET', `/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: 'zoe.lefevre@exemple.fr' }))}`);
  expect(people.data).toHaveLength(1);
  expect(people.data[0].phone).toBeNull();

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the rejected rows' }).click()]);
  const rejected = parse(fs.readFileSync(await download.path(), 'utf8'), { bom: true, delimiter: ';' }) as string[][];
  expect(rejected).toHaveLength(2);
  expect(rejected[1]![0]).toBe('Durand');

  await page.getByRole('button', { name: 'Undo this import' }).click();
  await expect(page.getByText('Undone', { exact: true })).toBeVisible({ timeout: 30_000 });
  expect((await api(page, 'GET', `/api/v1/records/person?filter=${encodeURIComponent(JSON.stringify({ field: 'email', op: 'eq', value: 'zoe.lefevre@exemple.fr' }))}`)).data).toHaveLength(0);

  await page.getByRole('link', { name: '← All imports' }).click();
  await expect(page.getByRole('table').getByRole('link', { name: 'contacts-fr.csv' }).first()).toBeVisible();
  // The object it went into by its label, not its API name.
  await expect(page.getByRole('table').getByRole('row').filter({ hasText: 'contacts-fr.csv' }).first()).toContainText('People');
});
