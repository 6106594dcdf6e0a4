import type { Locator } from '@playwright/test';
import { completeSetup, expect, openAdminSection, openInviteOne, screens, test } from './fixtures';
import { useMailpit, waitForMail } from './mailpit';

// Honest states: until a mail server is set up, Roster says that invitations
// are stored and their emails wait, instead of promising an email. Once Email
// is set up, the waiting email leaves, and the screens say so.

/** overlaps tells whether two elements' boxes on the screen share any point. */
async function overlaps(a: Locator, b: Locator): Promise<boolean> {
  const [p, q] = [await a.boundingBox(), await b.boundingBox()];
  if (!p || !q) throw new Error('an element has no box');
  return p.x < q.x + q.width && q.x < p.x + p.width && p.y < q.y + q.height && q.y < p.y + p.height;
}

test('without a mail server: stored invitations, a banner, a checklist, named confirmations', async ({
  page,
}) => {
  // Six pictures in two schemes, each checked by axe (the details now with their history).
  test.setTimeout(180_000);
  await completeSetup(page);

  // The overview: a short set-up checklist, nothing done yet.
  const checklist = page.getByTestId('setup-checklist');
  await expect(page.getByRole('heading', { name: 'Getting started' })).toBeVisible();
  await expect(page.getByText('0 of 3 done')).toBeVisible();
  await expect(checklist.locator('[data-step="mail"]')).toContainText('Set up a mail server');
  await expect(
    checklist.locator('[data-step="mail"]').getByRole('link', { name: 'Set up Email' }),
  ).toBeVisible();
  await expect(checklist.locator('[data-step="invite"]')).toContainText('Invite your first colleagues');
  await expect(
    checklist.locator('[data-step="sync"]').getByRole('link', { name: 'Open Sync' }),
  ).toHaveAttribute('href', '#/admin/sync');
  await screens(page, 'console-overview');

  // Users: a banner says emails cannot be sent, with a link to Email.
  await openAdminSection(page, 'Users');
  const banner = page.getByTestId('mail-setup-banner');
  await expect(banner).toContainText('Emails cannot be sent yet');
  await banner.getByRole('link', { name: 'Set up Email' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Email' })).toBeVisible();
  await page.getByRole('link', { name: 'Users', exact: true }).click();

  // Invite one user says what really happens.
  const dialog = await openInviteOne(page);
  await expect(dialog).toContainText('The invitation is stored now. No mail server is set up yet');
  await expect(dialog).not.toContainText('receives an email');
  await screens(page, 'console-invite-one-no-mail');
  await dialog.getByLabel('Email address').fill('grace@example.com');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();
  const notice = page.locator('.mantine-Notification-root', { hasText: 'is stored' });
  await expect(notice).toContainText(
    'The invitation for grace@example.com is stored. Its email waits until a mail server is set up under Email.',
  );
  await expect(page.getByText('will receive an email')).toHaveCount(0);
  // A notification never covers a dialog's primary button or its form: open
  // the dialog again while it shows (it closes itself after 6 seconds).
  const again = await openInviteOne(page);
  await expect(notice).toBeVisible();
  expect(await overlaps(notice, again.getByRole('button', { name: 'Send invitation' }))).toBe(false);
  expect(await overlaps(notice, again.getByLabel('Email address'))).toBe(false);
  await again.getByRole('button', { name: 'Cancel' }).click();

  // The list shows when it was invited, not a join date.
  const row = page.getByRole('row', { name: /grace@example\.com/ });
  await expect(row).toContainText(/Invited \d+ \w+ \d{4}/);
  await expect(row.getByRole('cell').nth(4)).toHaveText('—');

  // Invitations: the banner, an Invited date, and the email waiting.
  await openAdminSection(page, 'Invitations');
  await expect(page.getByTestId('mail-setup-banner')).toBeVisible();
  const table = page.getByRole('table', { name: 'Invitations' });
  await expect(table.getByRole('columnheader', { name: 'Invited by', exact: true })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: 'Sent' })).toHaveCount(0);
  const inv = table.locator('tbody tr[data-state]').first();
  await expect(inv).toContainText('Queued');
  await expect(inv).toContainText('Waits for Email set-up');
  await screens(page, 'console-invitations-no-mail');

  // The details explain how the invitee becomes a member.
  await inv.click();
  const details = page.getByRole('dialog', { name: 'Invitation', exact: true });
  const next = details.getByRole('alert').filter({ hasText: 'How grace@example.com becomes a member' });
  await expect(next).toContainText('has not been sent: no mail server is set up');
  await expect(next).toContainText('the link works until');
  await expect(next).toContainText('appear in Users as Active with the role User');
  await expect(details).not.toContainText('Email sent');
  await screens(page, 'console-invitation-details-no-mail');

  // Delete: the confirmation is named after its action, red, and does not
  // claim a link was sent.
  await details.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the invitation?' });
  await expect(confirm).toContainText('The invitation for grace@example.com is withdrawn');
  const button = confirm.getByRole('button', { name: 'Delete invitation' });
  await expect(button).toHaveAttribute('data-destructive', 'true');
  const bg = await button.evaluate((b) => getComputedStyle(b).backgroundColor);
  const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
  expect(r, `red button, got ${bg}`).toBeGreaterThan((g ?? 0) + 80);
  expect(r).toBeGreaterThan((b ?? 0) + 80);
  await screens(page, 'console-delete-confirm');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await page.keyboard.press('Escape');

  // The first invitation ticks the checklist's second step.
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(page.getByText('1 of 3 done')).toBeVisible();
  await expect(page.getByTestId('setup-checklist').locator('[data-step="invite"]')).toHaveAttribute(
    'data-done',
    'true',
  );
});

test('once Email is set up, the waiting invitation leaves and the screens say so', async ({ page }) => {
  await completeSetup(page);
  await openAdminSection(page, 'Users');
  const dialog = await openInviteOne(page);
  await dialog.getByLabel('Email address').fill('ines@example.com');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();

  await useMailpit(page);
  await page.reload();
  // The email that waited goes out.
  const mail = await waitForMail('ines@example.com');
  expect(mail.Subject).toContain('Example Ltd');
  await openAdminSection(page, 'Invitations');
  await expect(page.getByTestId('mail-setup-banner')).toHaveCount(0);
  const inv = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr[data-state]').first();
  // The outbox marks the email sent just after the server took it.
  await expect(async () => {
    await page.reload();
    await expect(inv).toContainText('Sent', { timeout: 2_000 });
  }).toPass();
  await inv.click();
  const details = page.getByRole('dialog', { name: 'Invitation', exact: true });
  await expect(details).toContainText('Email sent');
  await expect(details.getByRole('alert').filter({ hasText: 'becomes a member' })).toContainText(
    'The email with a personal registration link went out on',
  );
  await page.keyboard.press('Escape');
  // Nothing left to set up: the checklist is gone.
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(page.getByRole('heading', { name: /Welcome, Ada Admin/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Getting started' })).toHaveCount(0);
});

test('Invite one user takes several pasted addresses, each checked like an import row', async ({ page }) => {
  await completeSetup(page);
  await openAdminSection(page, 'Users');
  const dialog = await openInviteOne(page);
  await dialog
    .getByLabel('Email address')
    .fill(
      'lin@example.com\nmia@example.com, noor@example.com; MIA@example.com\nada@example.com\nbad@localhost',
    );
  await dialog.getByRole('button', { name: 'Send invitation' }).click();

  // Each address with what is wrong with it; only the good ones are sent.
  await expect(dialog).toContainText('3 of 6 addresses can be invited');
  const list = dialog.getByTestId('pasted-addresses');
  await expect(list.locator('li')).toHaveCount(6);
  await expect(list.locator('li[data-valid]')).toHaveCount(3);
  await expect(list.locator('li', { hasText: /MIA@example\.com/ })).toContainText(
    'Already in this list as address 2 (mia@example.com).',
  );
  await expect(list.locator('li', { hasText: 'ada@example.com' })).toContainText('already a member');
  await expect(list.locator('li', { hasText: 'bad@localhost' })).not.toHaveAttribute('data-valid');
  await expect(list.locator('li', { hasText: 'bad@localhost' })).toContainText('localhost');
  await screens(page, 'console-invite-pasted');

  await dialog.getByRole('button', { name: 'Send 3 invitations' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page.getByText('3 invitations are stored. Their emails wait until a mail server is set up under Email.'),
  ).toBeVisible();
  await expect(page.getByTestId('users-count')).toHaveText('4 entries');
  for (const email of ['lin@example.com', 'mia@example.com', 'noor@example.com']) {
    await expect(page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })).toContainText(
      'Pending',
    );
  }

  // A pasted check that is not sent leaves nothing behind: Back returns to the
  // field, and Invite multiple users has no unfinished import.
  const again = await openInviteOne(page);
  await again.getByLabel('Email address').fill('zoe@example.com, yan@example.com');
  await again.getByRole('button', { name: 'Send invitation' }).click();
  await expect(again).toContainText('2 of 2 addresses can be invited');
  await again.getByRole('button', { name: 'Back' }).click();
  await expect(again.getByLabel('Email address')).toHaveValue('zoe@example.com, yan@example.com');
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('users-count')).toHaveText('4 entries');
});
