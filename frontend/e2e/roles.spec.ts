import { expect, openAdminSection, openInviteOne, screens, test } from './fixtures';

test.use({ demoData: 200 });

test('Roles: built-in User and Administrator with the guide’s permissions, and custom roles', async ({
  page,
}) => {
  await openAdminSection(page, 'Roles');
  const table = page.getByRole('table', { name: 'Roles' });
  const user = table.locator('tr[data-role="user"]');
  const admin = table.locator('tr[data-role="administrator"]');
  await expect(user).toContainText('Built-in');
  await expect(user).toContainText('Can chat, use skills, and create their own');
  await expect(admin).toContainText('Built-in');
  await expect(admin).toContainText('Additionally: Manage users, change settings, configure models');
  await expect(user.getByRole('button')).toHaveCount(0);
  await expect(admin.getByRole('button')).toHaveCount(0);
  const support = table.getByRole('row', { name: /Support/ });
  await expect(support).toContainText('Can: Chat, Use skills');
  // In use: Delete is disabled, and says why.
  const deleteSupport = support.getByRole('button', { name: 'Delete' });
  await expect(deleteSupport).toHaveAttribute('aria-disabled', 'true');
  await expect(deleteSupport).toHaveAccessibleDescription(/In use by \d+ members and \d+ open invitations/);
  await deleteSupport.hover();
  await expect(page.getByRole('tooltip')).toContainText('Give them another role before deleting it.');
  await screens(page, 'roles');

  // Create a role.
  await page.getByRole('button', { name: 'New role' }).click();
  const dialog = page.getByRole('dialog', { name: 'New role' });
  await dialog.getByLabel('Name').fill('support');
  await dialog.getByLabel('Configure models').check();
  await screens(page, 'role-new');
  await dialog.getByRole('button', { name: 'Create role' }).click();
  // The name is taken (case-insensitive): said under the field.
  await expect(dialog.getByText('A role named “support” exists already.')).toBeVisible();
  await dialog.getByLabel('Name').fill('Model curator');
  // Without any permission the dialog asks for one.
  await dialog.getByLabel('Chat').uncheck();
  await dialog.getByLabel('Configure models').uncheck();
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await expect(dialog.getByText('Give the role at least one permission.')).toBeVisible();
  await dialog.getByLabel('Chat').check();
  await dialog.getByLabel('Configure models').check();
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await expect(page.getByText('The role Model curator was created.')).toBeVisible();
  const curator = table.getByRole('row', { name: /Model curator/ });
  await expect(curator).toContainText('Can: Chat, Configure models');

  // Edit it.
  await curator.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit the role Model curator' });
  await expect(edit.getByLabel('Configure models')).toBeChecked();
  await edit.getByLabel('Use skills').check();
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(curator).toContainText('Can: Chat, Use skills, Configure models');

  // It is offered when inviting, and counts the invitation.
  await openAdminSection(page, 'Users');
  const invite = await openInviteOne(page);
  await invite.getByLabel('Email address').fill('curator@example.com');
  await invite
    .getByRole('textbox', { name: 'Role' })
    .or(invite.getByRole('combobox', { name: 'Role' }))
    .click();
  await page.getByRole('option', { name: 'Model curator' }).click();
  await invite.getByRole('button', { name: 'Send invitation' }).click();
  await expect(invite).toBeHidden();
  await openAdminSection(page, 'Roles');
  await expect(curator.locator('td').nth(3)).toHaveText('1');
  await expect(curator.getByRole('button', { name: 'Delete' })).toHaveAttribute('aria-disabled', 'true');

  // Once nobody has it, it can be deleted.
  await openAdminSection(page, 'Invitations');
  await page
    .getByRole('row', { name: /curator@example\.com/ })
    .getByRole('button', { name: 'Delete' })
    .click();
  await page
    .getByRole('dialog', { name: 'Delete the invitation?' })
    .getByRole('button', { name: 'Delete invitation' })
    .click();
  await openAdminSection(page, 'Roles');
  await curator.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('dialog', { name: 'Delete the role Model curator?' })
    .getByRole('button', { name: 'Delete role' })
    .click();
  await expect(page.getByText('The role Model curator was deleted.')).toBeVisible();
  await expect(curator).toHaveCount(0);
});
