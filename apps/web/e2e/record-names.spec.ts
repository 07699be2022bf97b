import { expect, test } from '@playwright/test';
import { api, signIn } from './helpers';

test('an admin chooses the fields that name an object’s records; a wrong choice is refused under it, and French too', async ({ page }) => {
  await signIn(page);
  await api(page, 'POST', '/api/v1/metadata/objects', {
    name: 'meetingRoom',
    labels: { singular: { en: 'Meeting room', fr: 'Salle' }, plural: { en: 'Meeting rooms', fr: 'Salles' } },
    fields: [
      { name: 'code', type: 'text', labels: { en: 'Code' }, required: true },
      { name: 'building', type: 'text', labels: { en: 'Building', fr: 'Bâtiment' } },
    ],
  });
  const room = await api(page, 'POST', '/api/v1/records/meetingRoom', { code: 'B12', building: 'Nord' });

  await page.goto('/settings/objects/meetingRoom');
  await expect(page.getByTestId('record-names')).toContainText('Records are named by Code, found and sorted by Code.');
  await page.getByRole('button', { name: 'Change how records are named' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name, part 1').selectOption('building');
  await dialog.getByLabel('Name, part 2').selectOption('building');
  await dialog.getByRole('button', { name: 'Save' }).click();
  // The same field twice: refused under the second part, nothing changed.
  await expect(dialog.getByText('"building" is already in the list')).toBeVisible();
  expect((await api(page, 'GET', '/api/v1/metadata/objects/meetingRoom')).titleFields).toEqual(['code']);

  await dialog.getByLabel('Name, part 2').selectOption('code');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Record names saved')).toBeVisible();
  await expect(page.getByTestId('record-names')).toContainText('Records are named by Building + Code');
  expect((await api(page, 'GET', '/api/v1/metadata/objects/meetingRoom')).titleFields).toEqual(['building', 'code']);

  await page.goto(`/objects/meetingRoom/${room.id}`);
  await expect(page.getByRole('heading', { name: 'Nord B12', exact: true })).toBeVisible();

  await api(page, 'PATCH', '/api/v1/me', { locale: 'fr' });
  await page.goto('/settings/objects/meetingRoom');
  await expect(page.getByTestId('record-names')).toContainText('Les fiches sont nommées par Bâtiment + Code, recherchées et triées par Code.');
  await api(page, 'PATCH', '/api/v1/me', { locale: 'en' });
});
