import { completeSetup, expect, openAdminSection, openInviteOne, screens, test } from './fixtures';
import { useMailpit, waitForMail } from './mailpit';

// Guide: "Click on Invite user, select Invite one user, enter your colleague's
// email address, select a role, click Send invitation."

test('Invite one user: email address, role, Send invitation', async ({ page }) => {
  await completeSetup(page);
  await useMailpit(page);
  await openAdminSection(page, 'Users');

  // 1. Click on Invite user  2. Select Invite one user
  await page.getByRole('button', { name: 'Invite user' }).click();
  await expect(page.getByRole('menuitem')).toHaveText(['Invite one user', 'Invite multiple users']);
  await screens(page, 'invite-menu');
  await page.getByRole('menuitem', { name: 'Invite one user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite one user' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Email address')).toBeFocused();

  // The role select offers User and Administrator, and explains them as the guide does.
  const role = dialog
    .getByRole('textbox', { name: 'Role' })
    .or(dialog.getByRole('combobox', { name: 'Role' }));
  await expect(role).toHaveValue('User');
  await expect(dialog).toContainText('Can chat, use skills, and create their own');
  await screens(page, 'invite-one');

  // A mistake is explained under the field, in the backend's words.
  await dialog.getByLabel('Email address').fill('grace@localhost');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByText('The domain “localhost” needs a dot, like example.com.')).toBeVisible();
  await expect(dialog.getByLabel('Email address')).toHaveAttribute('aria-invalid', 'true');
  // So is inviting someone who is a member already.
  await dialog.getByLabel('Email address').fill('ADA@example.com');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByText('ada@example.com is already a member.')).toBeVisible();
  await screens(page, 'invite-one-error');

  // 3. Enter your colleague's email address  4. Select a role  5. Click Send invitation
  await dialog.getByLabel('Email address').fill('grace.hopper@example.com');
  await role.click();
  await page.getByRole('option', { name: 'Administrator' }).click();
  await expect(dialog).toContainText('Additionally: Manage users, change settings, configure models');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();

  await expect(dialog).toBeHidden();
  await expect(
    page.getByText('grace.hopper@example.com will receive an email with a registration link.'),
  ).toBeVisible();
  // The list shows the invitation at once, pending, with its role.
  const row = page.getByRole('row', { name: /grace\.hopper@example\.com/ });
  await expect(row).toContainText(/Invited \d/);
  await expect(row).toContainText('Administrator');
  await expect(row).toContainText('Pending');
  await expect(page.getByTestId('users-count')).toHaveText('2 entries');
  await expect(page.getByText('Only you so far')).toBeHidden();
  // The invited person receives an email with a registration link.
  const mail = await waitForMail('grace.hopper@example.com');
  expect(mail.Subject).toContain('Example Ltd');
  expect(mail.Text).toMatch(/https:\/\/chat\.example\.com\/invite\/[A-Za-z0-9_-]{43}/);
  expect(mail.Text).toContain('Administrator');
  expect(mail.Text).toContain('Ada Admin');
  expect(mail.HTML).toMatch(/href="https:\/\/chat\.example\.com\/invite\//);

  // Inviting the same address again says it has been invited already.
  await openInviteOne(page);
  await dialog.getByLabel('Email address').fill('grace.hopper@example.com');
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByText('grace.hopper@example.com has been invited already.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The Invitations section lists it with who sent it and its delivery.
  await openAdminSection(page, 'Invitations');
  const inv = page.getByRole('row', { name: /grace\.hopper@example\.com/ });
  await expect(inv).toContainText('Administrator');
  await expect(inv).toContainText('Ada Admin');
  await expect(inv).toContainText(/Queued|Sending|Sent|Failed/);
});

// Issue 9: an address whose domain mixes alphabets (a Cyrillic а in
// "exаmple") looks exactly like a member's; it is shown beside its punycode
// form and is invited only when the administrator confirms it.
test('Invite one user: a look-alike address needs confirming', async ({ page }) => {
  const fake = 'ada@ex\u0430mple.com';
  await completeSetup(page);
  await openAdminSection(page, 'Users');
  const dialog = await openInviteOne(page);
  await dialog.getByLabel('Email address').fill(fake);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();

  const warning = dialog.getByRole('alert', { name: 'This address can look like another one' });
  await expect(warning).toBeVisible();
  await expect(warning.getByText(fake, { exact: true })).toBeVisible();
  await expect(warning.getByText('ada@xn--exmple-4nf.com', { exact: true })).toBeVisible();
  await screens(page, 'invite-one-lookalike');

  // Sending again without ticking the box asks for it; nothing is stored.
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog.getByText('Tick the box to invite this address, or correct it.')).toBeVisible();
  await expect(page.getByTestId('users-count')).toHaveText('1 entry');

  // Editing the address drops the warning; the real address goes through.
  await dialog.getByLabel('Email address').fill('grace@example.com');
  await expect(warning).toBeHidden();
  await dialog.getByLabel('Email address').fill(fake);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(warning).toBeVisible();
  const confirm = dialog.getByRole('checkbox', { name: 'I have checked this address and want to invite it' });
  await expect(confirm).not.toBeChecked();
  await confirm.check();
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /ada@ex\u0430mple\.com/ });
  await expect(row).toContainText('Pending');
  await expect(page.getByTestId('users-count')).toHaveText('2 entries');
});

test.describe('with demo data', () => {
  test.use({ demoData: 200 });

  test('the role select offers the custom roles too', async ({ page }) => {
    await openAdminSection(page, 'Users');
    const dialog = await openInviteOne(page);
    await dialog
      .getByRole('textbox', { name: 'Role' })
      .or(dialog.getByRole('combobox', { name: 'Role' }))
      .click();
    await expect(page.getByRole('option')).toHaveText(['User', 'Administrator', 'Support', 'Team lead']);
    await page.getByRole('option', { name: 'Support' }).click();
    await expect(dialog).toContainText('Can: Chat, Use skills');
    await dialog.getByLabel('Email address').fill('  new.support@example.com ');
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('searchbox', { name: 'Search users' }).fill('new.support');
    const row = page.getByRole('row', { name: /new\.support@example\.com/ });
    await expect(row).toContainText('Support');
  });
});
