import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { completeSetup, expect, screenshot, test } from './fixtures';
import { mailpitServer, waitForMail } from './mailpit';

async function openEmailSettings(page: Page) {
  await completeSetup(page);
  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Admin Settings' }).click();
  await page.getByRole('link', { name: 'Email', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Email', level: 1 })).toBeVisible();
}

/** choose picks an option of a segmented control by its visible label. */
async function choose(page: Page, group: string, option: string) {
  await page.getByRole('radiogroup', { name: group }).getByText(option, { exact: true }).click();
}

async function fillServer(page: Page, port: string) {
  const { host } = mailpitServer();
  await page.getByLabel('Host').fill(host);
  await page.getByLabel('Port').fill(port);
  await choose(page, 'Security', 'None');
  await page.getByLabel('User name').fill('roster');
  await page.getByLabel('Password', { exact: true }).fill('mailpit-accepts-any');
  await page.getByLabel('Sender name').fill('Example Ltd');
  await page.getByLabel('Sender address').fill('no-reply@example.com');
  await page.getByLabel('Platform address').fill('https://chat.example.com');
}

test('Email: set up the mail server, keep the password out of the window, send a test email', async ({
  page,
}) => {
  await openEmailSettings(page);
  await screenshot(page, 'email-settings-empty');

  // A field the server refuses is explained under it.
  await fillServer(page, mailpitServer().port);
  await page.getByLabel('Platform address').fill('ftp://chat.example.com');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(
    page.getByText(
      'The platform address must start with https:// (http:// only for a platform on this computer).',
    ),
  ).toBeVisible();

  await page.getByLabel('Platform address').fill('https://chat.example.com');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Email settings saved.')).toBeVisible();
  // The password went to the keyring: the form shows that one is saved, never the password.
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute(
    'placeholder',
    'Saved in the keyring; leave empty to keep it',
  );
  expect(await page.content()).not.toContain('mailpit-accepts-any');

  await page.getByLabel('Send to').fill('ada@example.com');
  await page.getByRole('button', { name: 'Send test email' }).click();
  await expect(page.getByText('A test email was sent to ada@example.com.')).toBeVisible();
  const mail = await waitForMail('ada@example.com');
  expect(mail.Text.length).toBeGreaterThan(0);
  await screenshot(page, 'email-settings-saved');

  // The template preview is a sandboxed email, not Roster's interface: axe checks its title, not its inside.
  const axe = await new AxeBuilder({ page }).options({ iframes: false }).setLegacyMode(true).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
});

test('Email: a server that does not answer is named with the reason', async ({ page }) => {
  await openEmailSettings(page);
  // Port 9 (discard) has nothing listening on loopback here.
  await fillServer(page, '9');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Email settings saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Send test email' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The test email was not sent' });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('Nothing answers at');
  await screenshot(page, 'email-test-failed');
});

test('Email: the invitation, password reset and password changed templates can be previewed in both languages', async ({
  page,
}) => {
  await openEmailSettings(page);
  const frame = page.frameLocator('iframe[title="Preview of the formatted email"]');
  await expect(page.getByText(/Subject:/)).toBeVisible();
  await expect(frame.locator('body')).toContainText('/invite/');
  await page.getByRole('tab', { name: 'Password reset' }).click();
  await expect(frame.locator('body')).toContainText('/reset/');
  await choose(page, 'Language', 'German');
  await page.getByRole('tab', { name: 'Plain text' }).click();
  await expect(page.locator('pre').filter({ hasText: '/reset/' })).toContainText('Passwort');
  // The directory server's notice after a password change uses the same settings.
  await page.getByRole('tab', { name: 'Password changed' }).click();
  await expect(page.locator('p').filter({ hasText: 'Subject:' })).toContainText('wurde geändert');
  await screenshot(page, 'email-template-preview');
});
