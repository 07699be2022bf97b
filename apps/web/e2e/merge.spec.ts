import { expect, test } from '@playwright/test';
import { api, enablePlugin, signIn } from './helpers';

test('merging duplicates from a record page: pick the values, the activity follows, undo puts both back', async ({ page }) => {
  await signIn(page);
  await enablePlugin(page, 'data-ops');
  await enablePlugin(page, 'activities');
  const keep = await api(page, 'POST', '/api/v1/records/person', { firstName: 'Camille', lastName: 'Rousseau-Merge', phone: '+33611223344' });
  const company = await api(page, 'POST', '/api/v1/records/company', { name: 'Rousseau Conseil' });
  const twin = await api(page, 'POST', '/api/v1/records/person', { firstName: 'Camile', lastName: 'Rousseau-Merge', phone: '+33611223344', email: 'camille.rousseau@merge.test', jobTitle: 'Directrice', company: company.id });
  const call = await api(page, 'POST', '/api/v1/records/activity', { subject: 'Rappeler Camille', kind: 'call', person: twin.id });

  await page.goto(`/objects/person/${keep.id}`);
  // A person is named by first and last name.
  await expect(page.getByRole('heading', { name: 'Camille Rousseau-Merge', exact: true })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select Camile Rousseau-Merge' }).check();
  await page.getByRole('button', { name: 'Merge 2 records…' }).click();
  await expect(page).toHaveURL(new RegExp(`/p/data-ops/merge/person/${keep.id},${twin.id}$`));

  const table = page.getByTestId('merge-table');
  // The kept record's values by default, the other's where it has none; the same phone offers no choice.
  await expect(table.getByRole('radio', { name: 'First name: Camille' })).toBeChecked();
  await expect(table.getByRole('radio', { name: 'Email: camille.rousseau@merge.test' })).toBeChecked();
  await expect(table.getByRole('radio', { name: /^Phone/ })).toHaveCount(0);
  // Values as the shell shows them: the phone both records share, grouped.
  await expect(table).toContainText('+33 6 11 22 33 44');
  // A related record by its name.
  await expect(table.getByRole('radio', { name: 'Company: Rousseau Conseil' })).toBeChecked();
  await table.getByRole('radio', { name: 'Job title: —' }).check();
  await page.getByRole('button', { name: 'Merge into “Camille Rousseau-Merge”' }).click();

  await expect(page).toHaveURL(new RegExp(`/objects/person/${keep.id}$`));
  await expect(page.getByTestId('merge-done')).toContainText('1 record merged into this one');
  const merged = await api(page, 'GET', `/api/v1/records/person/${keep.id}`);
  expect(merged).toMatchObject({ firstName: 'Camille', email: 'camille.rousseau@merge.test', jobTitle: null });
  expect((await api(page, 'GET', `/api/v1/records/activity/${call.id}`)).person).toBe(keep.id);
  await expect(page.locator('.timeline')).toContainText('Rappeler Camille');

  await page.getByRole('button', { name: 'Undo merge' }).click();
  await expect(page.getByTestId('merge-done')).toHaveCount(0);
  expect(await api(page, 'GET', `/api/v1/records/person/${twin.id}`)).toMatchObject({ email: 'camille.rousseau@merge.test', jobTitle: 'Directrice' });
  expect((await api(page, 'GET', `/api/v1/records/person/${keep.id}`)).email).toBeNull();
  expect((await api(page, 'GET', `/api/v1/records/activity/${call.id}`)).person).toBe(twin.id);
});
