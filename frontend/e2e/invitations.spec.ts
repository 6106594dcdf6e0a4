import { expect, openAdminSection, openInviteOne, screens, test } from './fixtures';

// Guide: "In the Invitations section, you'll see all invitations that haven't
// been accepted yet."

test.use({ demoData: 200 });

test('Invitations lists every invitation not yet accepted, with its delivery', async ({ page, roster }) => {
  await openAdminSection(page, 'Invitations');
  const table = page.getByRole('table', { name: 'Invitations' });
  await expect(table.getByRole('columnheader')).toHaveText([
    'Email address',
    'Role',
    'Invited by',
    'Expires',
    'Delivery',
    'Actions',
  ]);
  // 160 open ones (pending and expired); accepted and deleted ones are not listed.
  await expect(page.getByText('1–50 of 160')).toBeVisible();
  await expect(table.locator('tbody tr[data-state="accepted"], tbody tr[data-state="deleted"]')).toHaveCount(
    0,
  );
  // Failed mail shows the mail server's answer.
  await page.getByRole('columnheader', { name: 'Delivery' }).getByRole('button').click();
  await expect(table.locator('tbody tr').first()).toContainText('Failed');
  // The answer takes the line under its invitation.
  await expect(table.locator('tbody tr').nth(1)).toContainText(/Mail server: 550 5\.1\.1/);
  await screens(page, 'invitations');

  // Expired ones carry an Expired badge; the filter shows only them.
  await page.getByText('Expired', { exact: true }).first().click();
  await expect(page.getByText('1–20 of 20')).toBeVisible();
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toContainText('Expired');
  expect(await table.locator('tbody tr[data-state="expired"]').count()).toBe(20);
  await screens(page, 'invitations-expired');
  await page.getByText('Pending', { exact: true }).first().click();
  await expect(page.getByText('1–50 of 140')).toBeVisible();

  // Search and paging.
  await page.getByText('All', { exact: true }).click();
  await page.getByRole('button', { name: 'Page 2' }).click();
  await expect(page.getByText('51–100 of 160')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search invitations' }).fill('invited12');
  await expect(page.getByText(/^1–\d+ of \d+$/)).toBeVisible();
  // The pager starts on page 1 before the filtered rows arrive: wait for them.
  await expect(table.locator('tbody tr').first()).toContainText('invited12');
  for (const email of await table.locator('tbody tr[data-state] td:first-child').allTextContents()) {
    expect(email).toContain('invited12');
  }

  // A row opens the invitation's details, by mouse or keyboard.
  const first = table.locator('tbody tr[data-state]').first();
  const firstEmail = (await first.locator('td').first().textContent()) ?? '';
  await first.locator('td').nth(2).click();
  const details = page.getByRole('dialog', { name: 'Invitation', exact: true });
  await expect(details).toContainText(firstEmail);
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();
  await first.focus();
  await page.keyboard.press('Enter');
  await expect(details).toContainText(firstEmail);
  await page.keyboard.press('Escape');

  // Export of the list as filtered.
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'CSV file (.csv)' }).click();
  await expect(page.getByText(/Saved to .*roster-invitations-.*\.csv/)).toBeVisible();
  expect(roster.exportsDir).toBeTruthy();
});

test('Delete an invitation: its link becomes invalid immediately', async ({ page }) => {
  await openAdminSection(page, 'Invitations');
  await page.getByText('Pending', { exact: true }).first().click();
  // 1. Find the invitation in the list
  const row = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr[data-state]').first();
  const email = (await row.locator('td').first().textContent()) ?? '';
  expect(email).toContain('@example.com');
  // 2. Click Delete
  await row.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete the invitation?' });
  // 3. The invitation link becomes invalid immediately — the dialog says so.
  await expect(confirm).toContainText(
    `The invitation for ${email} is withdrawn and its link becomes invalid immediately. This cannot be undone`,
  );
  await screens(page, 'invitation-delete');
  await confirm.getByRole('button', { name: 'Delete invitation' }).click();
  await expect(
    page.getByText(`The invitation for ${email} was deleted. Its link no longer works.`),
  ).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })).toHaveCount(0);
  await expect(page.getByText('1–50 of 139')).toBeVisible();

  // It is gone from the Users list too, and the audit log recorded it.
  await openAdminSection(page, 'Users');
  await page.getByRole('searchbox', { name: 'Search users' }).fill(email);
  await expect(page.getByText('No users match')).toBeVisible();
  await openAdminSection(page, 'Audit log');
  const entry = page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) });
  await expect(entry).toContainText('Invitation deleted');
});

test('An expired invitation: delete it, then invite the same address again', async ({ page }) => {
  await openAdminSection(page, 'Invitations');
  await page.getByText('Expired', { exact: true }).first().click();
  const row = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr[data-state]').first();
  await expect(row).toContainText('Expired');
  const email = (await row.locator('td').first().textContent()) ?? '';

  // 1. Delete the existing invitation
  await row.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: 'Delete the invitation?' })
    .getByRole('button', { name: 'Delete invitation' })
    .click();
  await expect(page.getByText(`The invitation for ${email} was deleted.`, { exact: false })).toBeVisible();

  // 2. Create a new invitation for the same email address
  await openAdminSection(page, 'Users');
  const dialog = await openInviteOne(page);
  await dialog.getByLabel('Email address').fill(email);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();

  await openAdminSection(page, 'Invitations');
  await page.getByRole('searchbox', { name: 'Search invitations' }).fill(email);
  const fresh = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr[data-state]');
  await expect(fresh).toHaveCount(1);
  await expect(fresh).toHaveAttribute('data-state', 'pending');
  await expect(fresh).not.toContainText('Expired');
});

test('Resend gives an expired invitation a new link, valid 7 more days', async ({ page }) => {
  await openAdminSection(page, 'Invitations');
  await page.getByText('Expired', { exact: true }).first().click();
  const row = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr[data-state]').first();
  const email = (await row.locator('td').first().textContent()) ?? '';
  await row.getByRole('button', { name: 'Resend' }).click();
  await expect(page.getByText(`${email} will receive a new link, valid until`)).toBeVisible();
  await expect(page.getByText('1–19 of 19')).toBeVisible();
  await page.getByText('All', { exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search invitations' }).fill(email);
  const resent = page.getByRole('table', { name: 'Invitations' }).locator('tbody tr[data-state]');
  await expect(resent).toHaveCount(1);
  await expect(resent).toHaveAttribute('data-state', 'pending');
  const week = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  const expected = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium' }).format(week);
  await expect(resent.locator('td').nth(3)).toHaveText(expected);
});

test('an invitation opened from the Users list offers Resend and Delete', async ({ page }) => {
  await openAdminSection(page, 'Users');
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Pending' }).click();
  const row = page
    .getByRole('table', { name: 'Users and invitations' })
    .locator('tbody tr[data-kind]')
    .first();
  const email = (await row.locator('td').nth(1).textContent()) ?? '';
  await row.click();
  const details = page.getByRole('dialog', { name: 'Invitation', exact: true });
  await expect(details).toContainText(email);
  await expect(details).toContainText('Invited by Ada Admin');
  await expect(details.getByRole('button', { name: 'Resend' })).toBeVisible();
  await screens(page, 'invitation-details');
  await details.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: 'Delete the invitation?' })
    .getByRole('button', { name: 'Delete invitation' })
    .click();
  await expect(details).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) })).toHaveCount(0);
});
