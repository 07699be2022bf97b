import { expect, test } from '@playwright/test';
import { api, enablePlugin, signIn } from './helpers';

// A browser that would write mm/dd/yyyy and AM/PM in its own date inputs.
test.use({ locale: 'en-US', timezoneId: 'Europe/Paris' });

const fields = [
  { name: 'e2eFoundedOn', type: 'date', labels: { en: 'Founded on', fr: 'Fondée le' } },
  { name: 'e2eMetAt', type: 'datetime', labels: { en: 'Met at', fr: 'Rencontrée le' } },
];

test.beforeEach(async ({ page }) => {
  await signIn(page);
  const existing = (await api(page, 'GET', '/api/v1/metadata/objects/company')).fields as { name: string }[];
  for (const field of fields) if (!existing.some((candidate) => candidate.name === field.name)) await api(page, 'POST', '/api/v1/metadata/objects/company/fields', field);
});

test.afterEach(async ({ page }) => {
  await api(page, 'PATCH', '/api/v1/me', { locale: 'en' });
  await page.evaluate(() => localStorage.setItem('rapport.locale', 'en'));
});

test('days are written in the user’s language, not the browser’s: typed, picked in the calendar, or refused on the field', async ({ page }) => {
  const company = await api(page, 'POST', '/api/v1/records/company', { name: 'Dates Test Co', e2eFoundedOn: '2024-03-05' });
  await api(page, 'PATCH', '/api/v1/me', { locale: 'fr' });
  await page.goto(`/objects/company/${company.id}`);
  const founded = page.locator('[data-field="e2eFoundedOn"]');
  await expect(founded).toContainText('5 mars 2024');

  // Typed the French way, day first, with dots.
  await founded.getByRole('button', { name: 'Modifier: Fondée le' }).click();
  const day = founded.getByLabel('Fondée le');
  await expect(day).toHaveValue('05/03/2024');
  await expect(day).toHaveAttribute('placeholder', 'jj/mm/aaaa');
  await day.fill('14.7.2025');
  await day.press('Enter');
  await expect(founded).toContainText('14 juil. 2025');
  expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).e2eFoundedOn).toBe('2025-07-14');

  // Picked in the calendar, which speaks French and starts its weeks on Monday.
  await founded.getByRole('button', { name: 'Modifier: Fondée le' }).click();
  await founded.getByRole('button', { name: 'Choisir une date' }).click();
  const calendar = page.locator('.r-calendar-popover');
  await expect(calendar.locator('.rdp-weekday').first()).toHaveText('lu');
  await calendar.locator('[data-day="2025-07-21"] button').click();
  await expect(calendar).toHaveCount(0);
  await expect(day).toHaveValue('21/07/2025');
  await day.press('Enter');
  await expect(founded).toContainText('21 juil. 2025');
  expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).e2eFoundedOn).toBe('2025-07-21');

  // No such day: the server refuses it on the field, and the record keeps its day.
  await founded.getByRole('button', { name: 'Modifier: Fondée le' }).click();
  await day.fill('31/02/2025');
  await expect(day).toHaveAttribute('aria-invalid', 'true');
  await day.press('Enter');
  await expect(founded.getByRole('alert')).toBeVisible();
  expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).e2eFoundedOn).toBe('2025-07-21');
});

test('a moment is a day in the user’s language and a 24-hour time; a task’s due time too', async ({ page }) => {
  const company = await api(page, 'POST', '/api/v1/records/company', { name: 'Moments Test Co' });
  await page.goto(`/objects/company/${company.id}`);
  const met = page.locator('[data-field="e2eMetAt"]');
  await met.getByRole('button', { name: 'Edit: Met at' }).click();
  await met.getByLabel('Met at', { exact: true }).fill('06/01/2027');
  await met.getByLabel('Met at – time').fill('14:30');
  await met.getByLabel('Met at – time').press('Enter');
  await expect(met).toContainText('6 Jan 2027, 14:30');
  // 14:30 in Paris, in winter.
  expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).e2eMetAt).toBe('2027-01-06T13:30:00.000Z');

  await enablePlugin(page, 'activities');
  await api(page, 'PATCH', '/api/v1/me', { locale: 'fr' });
  await page.goto(`/objects/company/${company.id}`);
  const panel = page.getByTestId('activities');
  await panel.getByLabel('Nouvelle tâche').fill('Relancer le devis');
  await panel.getByLabel('Échéance', { exact: true }).fill('08/01/2027');
  await panel.getByLabel('Échéance – heure').fill('9h15');
  await panel.getByRole('button', { name: 'Ajouter' }).click();
  await expect(panel.locator('[data-activity="Relancer le devis"]')).toContainText('8 janv. 2027, 09:15');
});

test('the calendar works inside the new-record dialog, over the page that the dialog makes inert', async ({ page }) => {
  await page.goto('/objects/company');
  await page.getByRole('button', { name: 'New company' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill('Calendar Dialog Co');
  await dialog.getByRole('button', { name: 'Choose a date' }).first().click();
  const calendar = dialog.locator('.r-calendar-popover');
  const month = await calendar.locator('[data-day]:not([data-outside])').first().getAttribute('data-day');
  const fifteenth = `${month!.slice(0, 8)}15`;
  await calendar.locator(`[data-day="${fifteenth}"] button`).click();
  await expect(dialog.getByLabel('Founded on')).toHaveValue(`15/${fifteenth.slice(5, 7)}/${fifteenth.slice(0, 4)}`);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toHaveCount(0);
  const { data } = await api(page, 'GET', `/api/v1/records/company?filter=${encodeURIComponent(JSON.stringify({ field: 'name', op: 'eq', value: 'Calendar Dialog Co' }))}`);
  expect(data[0].e2eFoundedOn).toBe(fifteenth);
});

test('a filter on a day takes it in the user’s language, and picking it in the calendar leaves the filter open', async ({ page }) => {
  await api(page, 'POST', '/api/v1/records/company', { name: 'Filtered Day Co', e2eFoundedOn: '2019-04-12' });
  await page.goto('/objects/company');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.getByLabel('Field').selectOption('e2eFoundedOn');
  await page.getByLabel('Operator').selectOption('eq');
  await page.getByLabel('Value').fill('11/04/2019');
  await page.getByRole('button', { name: 'Choose a date' }).click();
  await page.locator('.r-calendar-popover [data-day="2019-04-12"] button').click();
  await expect(page.getByLabel('Value')).toHaveValue('12/04/2019');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('row')).toHaveCount(2);
  await expect(page.getByRole('gridcell').filter({ hasText: 'Filtered Day Co' })).toBeVisible();
});
