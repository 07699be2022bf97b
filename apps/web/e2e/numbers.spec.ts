import { expect, test } from '@playwright/test';
import { api, signIn } from './helpers';

// A browser whose own number inputs would drop a French decimal comma: 12,5 became 125.
test.use({ locale: 'en-US' });

test('a number is typed the user’s way: a French decimal comma and grouped thousands are kept, not dropped', async ({ page }) => {
  await signIn(page);
  const existing = (await api(page, 'GET', '/api/v1/metadata/objects/company')).fields as { name: string }[];
  if (!existing.some((field) => field.name === 'e2eRatio')) await api(page, 'POST', '/api/v1/metadata/objects/company/fields', { name: 'e2eRatio', type: 'number', labels: { en: 'Ratio', fr: 'Ratio' } });
  const company = await api(page, 'POST', '/api/v1/records/company', { name: 'Numbers Test Co', e2eRatio: 2.5 });
  await api(page, 'PATCH', '/api/v1/me', { locale: 'fr' });
  try {
    await page.goto(`/objects/company/${company.id}`);
    const ratio = page.locator('[data-field="e2eRatio"]');
    await ratio.getByRole('button', { name: 'Modifier: Ratio' }).click();
    const input = ratio.getByLabel('Ratio');
    await expect(input).toHaveValue('2,5');
    await input.fill('1 234,75');
    await input.press('Enter');
    await expect(ratio).toContainText('1 234,75');
    expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).e2eRatio).toBe(1234.75);

    // What is no number is refused on the field, and the record keeps its value.
    await ratio.getByRole('button', { name: 'Modifier: Ratio' }).click();
    await input.fill('12,5,3');
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await input.press('Enter');
    await expect(ratio.getByRole('alert')).toBeVisible();
    expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).e2eRatio).toBe(1234.75);

    // An amount too: its thousands grouped by spaces, its cents after a comma.
    const revenue = page.locator('[data-field="annualRevenue"]');
    await revenue.getByRole('button', { name: "Modifier: Chiffre d'affaires annuel" }).click();
    await revenue.getByLabel("Chiffre d'affaires annuel").fill('1 500 000,50');
    await revenue.getByLabel("Chiffre d'affaires annuel").press('Enter');
    await expect(revenue).toContainText('1 500 000,50');
    expect((await api(page, 'GET', `/api/v1/records/company/${company.id}`)).annualRevenue.amountMinor).toBe(150_000_050);
  } finally {
    await api(page, 'PATCH', '/api/v1/me', { locale: 'en' });
    await page.evaluate(() => localStorage.setItem('rapport.locale', 'en'));
  }
});

test('a phone number is shown grouped the way its country writes it, and dialled as stored', async ({ page }) => {
  await signIn(page);
  const person = await api(page, 'POST', '/api/v1/records/person', { firstName: 'Paul', lastName: 'Phone-Shown', phone: '+33611223344' });
  await page.goto(`/objects/person/${person.id}`);
  const phone = page.locator('[data-field="phone"] a');
  await expect(phone).toHaveText('+33 6 11 22 33 44');
  await expect(phone).toHaveAttribute('href', 'tel:+33611223344');
});
