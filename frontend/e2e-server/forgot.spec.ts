import { expect, test } from '@playwright/test';
import { waitForMail } from '../e2e/mailpit';
import { expectAccessible, type RosterServer, type Storage, startServer } from './server';
import { choosePassword, setUpOrganisation } from './setup';

// The passwords of the test: long enough, not common.
const firstPassword = 'amber lanterns drift over quiet docks';
const newPassword = 'brass kettle under orange moss';

let server: RosterServer;

test.beforeAll(async () => {
  server = await startServer(test.info().project.name as Storage);
});

test.afterAll(async () => {
  await server?.stop();
});

test('a member who forgot their password gets a link by email from the sign-in page', async ({ page }) => {
  // Each project's run has an address of its own: both send to one mailpit.
  const email = `forgot.${server.storage}@example.com`;
  await choosePassword(page, setUpOrganisation(server, { email, name: 'Fern Forgetful' }), firstPassword);
  await expect(page).toHaveURL(`${server.base}/login`);

  // Fern forgot it: the sign-in page leads to the form that sends a link.
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page).toHaveURL(`${server.base}/forgot`);
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  const send = page.getByRole('button', { name: 'Send reset link' });
  await page.getByLabel('Email address').fill('fern.example.com');
  await send.click();
  await expect(page.getByRole('alert')).toContainText('There is a problem');
  // axe-core checks the page in the SQLite run only (as in account-life.spec.ts), with its error summary.
  if (server.storage === 'sqlite') await expectAccessible(page, 'the forgot-password page with an error');
  await page.getByLabel('Email address').fill(email);
  await send.click();
  await expect(page.getByRole('status')).toHaveText(
    'If an account exists for that address, we have sent a link to reset its password. The link is valid for 24 hours.',
  );

  // The server's outbox sends the same email as the desktop's reset.
  const mail = await waitForMail(email, /Reset your password for Example Ltd/);
  expect(mail.To.map((t) => t.Address)).toEqual([email]);
  const prefix = `${server.base}/reset/`;
  const link = mail.Text.match(/http:\/\/\S+\/reset\/[A-Za-z0-9_-]{43}/)?.[0] ?? '';
  expect(link.startsWith(prefix), `a ${prefix} link in the email`).toBe(true);
  expect(mail.HTML).toContain(`href="${link}"`);
  expect(server.logs()).not.toContain(link.slice(prefix.length));

  await choosePassword(page, link, newPassword);
  await expect(page.getByText('Your password has been changed')).toBeVisible();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(newPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${server.base}/account`);
});
