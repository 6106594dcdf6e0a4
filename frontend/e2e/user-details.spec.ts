import type { Page } from '@playwright/test';
import { completeSetup, expect, openAdminSection, openInviteOne, screens, test } from './fixtures';
import { useMailpit, waitForMail } from './mailpit';

// Guide: "Under Admin Settings → Users, you'll see for each user: name and
// email address, assigned role, status (active/inactive), join date."

/** firstMember filters the Users list to active members with the role and returns the first row's name and email. */
async function firstMember(page: Page, role: string) {
  await page.getByRole('combobox', { name: 'Filter by role' }).click();
  await page.getByRole('option', { name: role, exact: true }).click();
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Active', exact: true }).click();
  const row = page
    .getByRole('table', { name: 'Users and invitations' })
    .locator('tbody tr[data-kind="user"]')
    .nth(1);
  await expect(row).toContainText(role);
  const name = (await row.locator('td').nth(0).textContent()) ?? '';
  const email = (await row.locator('td').nth(1).textContent()) ?? '';
  // Find exactly that one again, with the filters cleared.
  await page.getByRole('combobox', { name: 'Filter by role' }).click();
  await page.getByRole('option', { name: role, exact: true }).click();
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Active', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search users' }).fill(email);
  await expect(page.getByTestId('users-count')).toHaveText('1 entry');
  return { name, email, row: page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) }) };
}

test.describe('with demo data', () => {
  test.use({ demoData: 200 });

  test('Change a role: click the user, change the role via the dropdown, confirm', async ({ page }) => {
    // Three pictures in two schemes, each checked by axe, and the Audit log twice.
    test.setTimeout(180_000);
    await openAdminSection(page, 'Users');
    const { name, email, row } = await firstMember(page, 'User');

    // 1. Click on the user in the list
    await row.click();
    const details = page.getByRole('dialog', { name: 'User details' });
    await expect(details).toContainText(name);
    await expect(details).toContainText(email);
    await expect(details).toContainText('Active');
    await expect(details).toContainText('Join date');
    await screens(page, 'user-details');

    // 2. Change the role via the dropdown menu
    await details
      .getByRole('textbox', { name: 'Role' })
      .or(details.getByRole('combobox', { name: 'Role' }))
      .click();
    await page.getByRole('option', { name: 'Support' }).click();
    const confirm = page.getByRole('dialog', { name: 'Change the role?' });
    await expect(confirm).toContainText(`${name} will have the role Support instead of User`);
    await screens(page, 'user-role-confirm');
    // Cancelling keeps the old role.
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await expect(
      details.getByRole('textbox', { name: 'Role' }).or(details.getByRole('combobox', { name: 'Role' })),
    ).toHaveValue('User');

    await details
      .getByRole('textbox', { name: 'Role' })
      .or(details.getByRole('combobox', { name: 'Role' }))
      .click();
    await page.getByRole('option', { name: 'Support' }).click();
    // 3. Confirm the change
    await page
      .getByRole('dialog', { name: 'Change the role?' })
      .getByRole('button', { name: 'Change role' })
      .click();
    await expect(page.getByText(`${name} now has the role Support.`)).toBeVisible();
    await expect(
      details.getByRole('textbox', { name: 'Role' }).or(details.getByRole('combobox', { name: 'Role' })),
    ).toHaveValue('Support');
    // The details keep the user's own history, newest first, and say honestly
    // that the last sign-in is not known on this computer.
    const history = details.getByRole('list', { name: `History of ${name}` });
    await expect(history.getByRole('listitem').first()).toContainText('Role changed');
    await expect(history.getByRole('listitem').first()).toContainText('Ada Admin');
    await expect(details.getByTestId('last-sign-in')).toHaveText(
      'Not known on this computer: members sign in on the directory server.',
    );
    await history.scrollIntoViewIfNeeded();
    await screens(page, 'user-details-history');
    await page.keyboard.press('Escape');
    await expect(row).toContainText('Support');

    await openAdminSection(page, 'Audit log');
    const entry = page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) }).first();
    await expect(entry).toContainText('Role changed');
    await entry.getByRole('button', { name: /View changes/ }).click();
    const changes = page.getByRole('dialog', { name: 'Changes' });
    const roleRow = changes.getByRole('row', { name: /Role/ });
    await expect(roleRow).toContainText('User');
    await expect(roleRow).toContainText('Support');
    await page.keyboard.press('Escape');

    // "Show all in Audit log" opens the log filtered to this user.
    await openAdminSection(page, 'Users');
    await page.getByRole('searchbox', { name: 'Search users' }).fill(email);
    await expect(page.getByTestId('users-count')).toHaveText('1 entry');
    await row.click();
    await details.getByRole('link', { name: 'Show all in Audit log' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
    await expect(page.getByTestId('audit-subject')).toHaveText(`About ${name}`);
    const rows = page.getByRole('table', { name: 'Audit log' }).locator('tbody tr');
    await expect(rows.first()).toContainText('Role changed');
    const about = await rows.count();
    await page.getByTestId('audit-subject').click();
    await expect(page.getByTestId('audit-subject')).toHaveCount(0);
    await expect.poll(() => rows.count()).toBeGreaterThan(about);
  });

  test('Send password reset: click the user, select Send password reset', async ({ page }) => {
    await useMailpit(page);
    await openAdminSection(page, 'Users');
    const { email, row } = await firstMember(page, 'User');
    // 1. Click on the user in the list
    await row.click();
    const details = page.getByRole('dialog', { name: 'User details' });
    // 2. Select Send password reset
    await details.getByRole('button', { name: 'Send password reset' }).click();
    // 3. The user will receive an email with a link to reset their password.
    await expect(
      page.getByText(`${email} will receive an email with a link to reset their password`),
    ).toBeVisible();
    const mail = await waitForMail(email);
    expect(mail.Text).toMatch(/https:\/\/chat\.example\.com\/reset\/[A-Za-z0-9_-]{43}/);
    await screens(page, 'user-reset-sent');
    await page.keyboard.press('Escape');
    await openAdminSection(page, 'Audit log');
    await expect(
      page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) }).first(),
    ).toContainText('Password reset sent');
  });

  test('Remove a user: click the user, select Remove, confirm; access is blocked', async ({ page }) => {
    await openAdminSection(page, 'Users');
    const { name, email, row } = await firstMember(page, 'User');
    // 1. Click on the user in the list
    await row.click();
    const details = page.getByRole('dialog', { name: 'User details' });
    // 2. Select Remove
    await details.getByRole('button', { name: 'Remove' }).click();
    const confirm = page.getByRole('dialog', { name: `Remove ${name}?` });
    await expect(confirm).toContainText(
      `${name} loses access to the platform immediately. This cannot be undone`,
    );
    await screens(page, 'user-remove-confirm');
    // 3. Confirm the action
    await confirm.getByRole('button', { name: 'Remove user' }).click();
    await expect(page.getByText(`${name} was removed. Their access is blocked.`)).toBeVisible();
    await expect(details).toBeHidden();
    await expect(page.getByText('No users match')).toBeVisible();

    await openAdminSection(page, 'Audit log');
    const entry = page.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) }).first();
    await expect(entry).toContainText('User removed');
    // The address may be invited again later.
    await openAdminSection(page, 'Users');
    const dialog = await openInviteOne(page);
    await dialog.getByLabel('Email address').fill(email);
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await expect(dialog).toBeHidden();
  });

  test('Deactivate and Activate a user', async ({ page }) => {
    await openAdminSection(page, 'Users');
    const { name, row } = await firstMember(page, 'Support');
    await row.click();
    const details = page.getByRole('dialog', { name: 'User details' });
    await details.getByRole('button', { name: 'Deactivate' }).click();
    await page
      .getByRole('dialog', { name: `Deactivate ${name}?` })
      .getByRole('button', { name: 'Deactivate user' })
      .click();
    await expect(page.getByText(`${name} is inactive and can no longer sign in.`)).toBeVisible();
    await expect(details).toContainText('Inactive');
    // An inactive member cannot get a password reset; the panel says why.
    await expect(details.getByRole('button', { name: 'Send password reset' })).toBeDisabled();
    await expect(details).toContainText(
      `${name} is inactive. Activate them before sending a password reset.`,
    );
    await screens(page, 'user-inactive');
    await details.getByRole('button', { name: 'Activate' }).click();
    await expect(page.getByText(`${name} is active and can sign in again.`)).toBeVisible();
    await expect(details.getByRole('button', { name: 'Send password reset' })).toBeEnabled();
  });
});

test('the last administrator cannot be demoted, deactivated or removed, and the panel says why', async ({
  page,
}) => {
  await completeSetup(page);
  await openAdminSection(page, 'Users');
  await page.getByRole('row', { name: /ada@example\.com/ }).click();
  const details = page.getByRole('dialog', { name: 'User details' });
  await expect(details).toContainText('The only active Administrator');
  await expect(details).toContainText(
    'Ada Admin is the only active Administrator, so their role cannot be changed and they cannot be deactivated or removed.',
  );
  await expect(
    details.getByRole('textbox', { name: 'Role' }).or(details.getByRole('combobox', { name: 'Role' })),
  ).toBeDisabled();
  await expect(details.getByRole('button', { name: 'Deactivate' })).toBeDisabled();
  await expect(details.getByRole('button', { name: 'Remove' })).toBeDisabled();
  // A password reset is still possible.
  await expect(details.getByRole('button', { name: 'Send password reset' })).toBeEnabled();
  await screens(page, 'user-last-admin');
});
