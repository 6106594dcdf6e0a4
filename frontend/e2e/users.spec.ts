import { readFileSync } from 'node:fs';
import path from 'node:path';
import { completeSetup, expect, openAdminSection, screens, test } from './fixtures';

// Guide: "Click on your name at the bottom left, select Admin Settings, navigate
// to the Users section. You'll now see an overview of all current users and
// pending invitations."

test.describe('with demo data', () => {
  test.use({ demoData: 200 });

  test('Admin Settings → Users shows every current user and pending invitation', async ({ page }) => {
    // 1. Click on your name at the bottom left
    await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
    // 2. Select Admin Settings
    await page.getByRole('menuitem', { name: 'Admin Settings' }).click();
    // 3. Navigate to the Users section
    const sections = page.getByRole('link').filter({ hasText: /^(Users|Invitations|Roles|Audit log)$/ });
    await expect(sections).toHaveText(['Users', 'Invitations', 'Roles', 'Audit log']);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();

    const table = page.getByRole('table', { name: 'Users and invitations' });
    await expect(table.getByRole('columnheader')).toHaveText([
      'Name',
      'Email address',
      'Role',
      'Status',
      'Join date',
    ]);
    // Members and invitations in one list, with role badges and statuses.
    const ada = table.getByRole('row', { name: /ada@example\.com/ });
    await expect(ada).toContainText('Ada Admin');
    await expect(ada).toContainText('Administrator');
    await expect(ada).toContainText('Active');
    await expect(page.getByRole('button', { name: 'Invite user' })).toBeVisible();
    // 200 members and the 160 open invitations, plus Ada.
    await expect(page.getByTestId('users-count')).toHaveText('361 entries');

    // Only the rows in view exist in the page, not all 361.
    const rendered = await table.locator('tbody tr[data-index]').count();
    expect(rendered).toBeLessThan(60);

    // Pending invitations are in the same list.
    await page.getByRole('combobox', { name: 'Filter by status' }).click();
    await page.getByRole('option', { name: 'Pending' }).click();
    const pending = table.locator('tbody tr[data-kind="invitation"]').first();
    await expect(pending).toContainText(/Invited \d/);
    await expect(pending).toContainText('Pending');
    await expect(table.locator('tbody tr[data-kind="user"]')).toHaveCount(0);
    await screens(page, 'users-pending');
    await page.getByRole('combobox', { name: 'Filter by status' }).click();
    await page.getByRole('option', { name: 'Expired' }).click();
    await expect(table.locator('tbody tr[data-kind="invitation"]').first()).toContainText('Expired');

    // Clear the status filter; filter by role.
    await page.getByRole('combobox', { name: 'Filter by status' }).click();
    await page.getByRole('option', { name: 'Expired' }).click(); // a second click clears it
    await page.getByRole('combobox', { name: 'Filter by role' }).click();
    await page.getByRole('option', { name: 'Support' }).click();
    await expect(table.locator('tbody tr[data-index="0"]')).toContainText('Support');
    const roleBadges = await table.locator('tbody tr[data-kind] td:nth-child(3)').allTextContents();
    expect(new Set(roleBadges)).toEqual(new Set(['Support']));
    await page.getByRole('combobox', { name: 'Filter by role' }).click();
    await page.getByRole('option', { name: 'Support' }).click();
    await expect(page.getByTestId('users-count')).toHaveText('361 entries');
    await screens(page, 'users');
  });

  test('the Users list sorts by any column, searches, and exports CSV and XLSX', async ({ page, roster }) => {
    await openAdminSection(page, 'Users');
    const table = page.getByRole('table', { name: 'Users and invitations' });
    const nameHeader = table.getByRole('columnheader', { name: 'Name' });
    await expect(nameHeader).toHaveAttribute('aria-sort', 'ascending');

    const column = (n: number) => table.locator(`tbody tr[data-kind] td:nth-child(${n})`).allTextContents();
    const firstRow = table.locator('tbody tr[data-index="0"]');

    // Email, descending after a second click.
    const emailHeader = table.getByRole('columnheader', { name: 'Email address' });
    await emailHeader.getByRole('button').click();
    await expect(emailHeader).toHaveAttribute('aria-sort', 'ascending');
    await expect(nameHeader).toHaveAttribute('aria-sort', 'none');
    await expect(firstRow).toContainText('@example.com');
    let emails = await column(2);
    expect(emails.slice(0, 10)).toEqual([...emails.slice(0, 10)].sort((a, b) => a.localeCompare(b)));
    await emailHeader.getByRole('button').click();
    await expect(emailHeader).toHaveAttribute('aria-sort', 'descending');
    await expect(firstRow).toContainText(/^.*z/i);
    emails = await column(2);
    expect(emails.slice(0, 10)).toEqual([...emails.slice(0, 10)].sort((a, b) => b.localeCompare(a)));

    // Join date, newest first.
    const joinHeader = table.getByRole('columnheader', { name: 'Join date' });
    await joinHeader.getByRole('button').click();
    await joinHeader.getByRole('button').click();
    await expect(joinHeader).toHaveAttribute('aria-sort', 'descending');
    // Role and status sort too.
    await table.getByRole('columnheader', { name: 'Role' }).getByRole('button').click();
    await expect(table.getByRole('columnheader', { name: 'Role' })).toHaveAttribute('aria-sort', 'ascending');
    await expect(firstRow).toContainText('Administrator');
    await table.getByRole('columnheader', { name: 'Status' }).getByRole('button').click();
    await expect(table.getByRole('columnheader', { name: 'Status' })).toHaveAttribute(
      'aria-sort',
      'ascending',
    );

    // Search (debounced) by part of a name or address.
    await page.getByRole('searchbox', { name: 'Search users' }).fill('ada@exa');
    await expect(page.getByTestId('users-count')).toHaveText('1 entry');
    await expect(table.locator('tbody tr[data-kind]')).toHaveCount(1);
    await expect(table.locator('tbody tr[data-kind]')).toContainText('Ada Admin');
    await page.getByRole('searchbox', { name: 'Search users' }).fill('nobody-has-this-name');
    await expect(page.getByText('No users match')).toBeVisible();
    await screens(page, 'users-no-match');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page.getByTestId('users-count')).toHaveText('361 entries');

    // Export: the file lands where the save dialog said, and the notification says where.
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'CSV file (.csv)' }).click();
    await expect(page.getByText(/Saved to .*roster-users-.*\.csv/)).toBeVisible();
    const csvName = (await page.getByText(/Saved to /).textContent())?.replace('Saved to ', '') ?? '';
    const csv = readFileSync(csvName, 'utf8');
    expect(path.dirname(csvName)).toBe(roster.exportsDir);
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toContain('name,email,role,status');
    expect(lines).toHaveLength(362);
    expect(csv).toContain('ada@example.com');

    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'Excel workbook (.xlsx)' }).click();
    await expect(page.getByText(/Saved to .*roster-users-.*\.xlsx/)).toBeVisible();
    const xlsxName = (await page.getByText(/\.xlsx$/).textContent())?.replace('Saved to ', '') ?? '';
    expect(readFileSync(xlsxName).subarray(0, 2).toString()).toBe('PK');
  });

  test('the Users list works with the keyboard alone', async ({ page }) => {
    await openAdminSection(page, 'Users');
    const table = page.getByRole('table', { name: 'Users and invitations' });
    await expect(table.locator('tbody tr[data-index="0"]')).toContainText('@example.com');
    // Tab from the last header button into the rows: one row is in the tab order.
    await table.getByRole('columnheader', { name: 'Join date' }).getByRole('button').focus();
    await page.keyboard.press('Tab');
    await expect(table.locator('tbody tr[data-index="0"]')).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(table.locator('tbody tr[data-index="2"]')).toBeFocused();
    await page.keyboard.press('End');
    await expect(table.locator('tbody tr[data-index="360"]')).toBeFocused();
    await page.keyboard.press('Home');
    const first = table.locator('tbody tr[data-index="0"]');
    await expect(first).toBeFocused();
    await screens(page, 'users-keyboard');
    const email = await first.locator('td').nth(1).textContent();
    await page.keyboard.press('Enter');
    const details = page.getByRole('dialog', { name: /User details|Invitation/ });
    await expect(details).toBeVisible();
    await expect(details).toContainText(email ?? '');
    await page.keyboard.press('Escape');
    await expect(details).toBeHidden();
  });
});

test('a new organisation shows its administrator and an invitation to invite others', async ({ page }) => {
  await completeSetup(page);
  await openAdminSection(page, 'Users');
  await expect(page.getByTestId('users-count')).toHaveText('1 entry');
  await expect(page.getByRole('row', { name: /ada@example\.com/ })).toBeVisible();
  await expect(page.getByText('Only you so far')).toBeVisible();
  await screens(page, 'users-empty');
  await page.getByRole('button', { name: 'Invite a colleague' }).click();
  await expect(page.getByRole('dialog', { name: 'Invite one user' })).toBeVisible();
});
