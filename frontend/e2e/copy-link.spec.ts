import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { completeSetup, expect, logFile, openAdminSection, openInviteOne, screens, test } from './fixtures';
import { findMail, useMailpit, waitForMail } from './mailpit';

// Issue 14: "Copy invitation link" for an invitation whose email was lost.
// Roster keeps only the hash of a link's token, so it makes a new link.

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex').toUpperCase();

test('Copy a new invitation link: the old link stops working, no email, audited', async ({
  page,
  context,
  roster,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: roster.url });
  await completeSetup(page);
  await useMailpit(page);
  await openAdminSection(page, 'Users');
  const invite = await openInviteOne(page);
  await invite.getByLabel('Email address').fill('sam@example.com');
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(invite).toBeHidden();
  const sent = await waitForMail('sam@example.com');
  const oldToken = /\/invite\/([A-Za-z0-9_-]+)/.exec(sent.Text)?.[1] ?? '';
  expect(oldToken).not.toBe('');

  await openAdminSection(page, 'Invitations');
  await page
    .getByRole('table', { name: 'Invitations' })
    .getByRole('row', { name: /sam@example\.com/ })
    .locator('td')
    .nth(2)
    .click();
  const details = page.getByRole('dialog', { name: 'Invitation', exact: true });
  await details.getByRole('button', { name: 'Copy a new invitation link' }).click();
  const confirm = page.getByRole('dialog', { name: 'Copy a new invitation link?' });
  await expect(confirm).toContainText('No email is sent. The link sent earlier stops working.');
  await confirm.getByRole('button', { name: 'Copy new link' }).click();
  await expect(confirm).toBeHidden();
  const notice = page.getByText(
    /^The link for sam@example\.com is on the clipboard, valid until .+\. Pass it on/,
  );
  await expect(notice).toBeVisible();
  await notice.hover(); // keeps it open for the pictures
  await screens(page, 'invitation-link-copied');

  // The clipboard holds the new link; only its hash is stored, in place of the old one's.
  const link = await page.evaluate(() => navigator.clipboard.readText());
  const token = /^https:\/\/chat\.example\.com\/invite\/([A-Za-z0-9_-]{43})$/.exec(link)?.[1] ?? '';
  expect(token).not.toBe('');
  expect(token).not.toBe(oldToken);
  const stored = execFileSync(
    'sqlite3',
    [roster.dbPath, "SELECT hex(token_hash) FROM invitations WHERE email = 'sam@example.com'"],
    { encoding: 'utf8' },
  ).trim();
  expect(stored).toBe(sha256(token));
  expect(stored).not.toBe(sha256(oldToken));
  // No email carries the new link, and the window never shows it.
  expect(await findMail('sam@example.com')).toHaveLength(1);
  expect(await page.content()).not.toContain(token);
  expect(readFileSync(logFile(roster.dir), 'utf8')).not.toContain(token);

  // The details say that no email carries the new link.
  await expect(details).toContainText('No email carries the current link');
  await expect(details).toContainText('DeliveryNo email');
  await expect(
    details.getByRole('list', { name: 'History of sam@example.com' }).getByRole('listitem').first(),
  ).toContainText('New invitation link copied');
  // The notice sits over the account menu: close it, then the details.
  await page.locator('.mantine-Notification-root').getByRole('button', { name: 'Close' }).click();
  await expect(notice).toBeHidden();
  await page.keyboard.press('Escape');
  await openAdminSection(page, 'Audit log');
  const entry = page.getByRole('row', { name: /sam@example\.com/ }).first();
  await expect(entry).toContainText('New invitation link copied');
  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  await expect(entry).toContainText('Neuer Einladungslink kopiert');
});
