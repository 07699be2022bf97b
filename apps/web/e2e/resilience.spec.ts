import { expect, test } from '@playwright/test';
import { generate } from 'otplib';
import { api, signIn } from './helpers';

test('two-step sign-in: the password, then a TOTP code from the enrolled app', async ({ page, browser }) => {
  await signIn(page);
  const user = { email: `mfa-${Date.now()}@example.com`, password: 'Colline-Bleue-5521' };
  await api(page, 'POST', '/api/v1/users', { email: user.email, name: 'Mfa User', password: user.password, role: 'sales_rep' });

  const context = await browser.newContext({ locale: 'en-GB' });
  const own = await context.newPage();
  await signIn(own, user);
  const { secret } = await api(own, 'POST', '/api/v1/me/mfa/enrol');
  await api(own, 'POST', '/api/v1/me/mfa/confirm', { code: await generate({ secret }) });
  await context.close();

  const fresh = await browser.newContext({ locale: 'en-GB' });
  const next = await fresh.newPage();
  await next.goto('/sign-in');
  await next.getByLabel('Email').fill(user.email);
  await next.getByLabel('Password').fill(user.password);
  await next.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(next.getByRole('heading', { name: 'Two-step verification' })).toBeVisible();
  await next.getByLabel('Code').fill('000000');
  await next.getByRole('button', { name: 'Verify' }).click();
  await expect(next.getByRole('alert')).toBeVisible();
  // The next time step: the code that confirmed the enrolment cannot be replayed.
  await next.getByLabel('Code').fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
  await next.getByRole('button', { name: 'Verify' }).click();
  await expect(next.getByRole('heading', { name: 'Welcome, Mfa User' })).toBeVisible();
  await fresh.close();
});

test('the network failing shows a retry, never a blank page, and the retry works', async ({ page }) => {
  await signIn(page);
  let fail = true;
  await page.route('**/api/v1/records/person**', (route) => (fail ? route.abort('connectionrefused') : route.continue()));
  await page.goto('/objects/person');
  await expect(page.getByRole('heading', { name: "Can't reach the server" })).toBeVisible({ timeout: 20_000 });
  fail = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('row').nth(1)).toBeVisible();
});

test('signing out ends the session: the shell goes back to sign-in', async ({ page }) => {
  await signIn(page);
  await page.getByRole('button', { name: 'Admin' }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/objects/company');
  await expect(page).toHaveURL(/\/sign-in\?redirect=/);
});
