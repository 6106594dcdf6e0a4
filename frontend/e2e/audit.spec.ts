import { readFileSync } from 'node:fs';
import { expect, openAdminSection, screens, test } from './fixtures';

test.use({ demoData: 200 });

test('Audit log: newest first, actions in words, filters, changes and export', async ({ page }) => {
  // Make a few entries.
  await openAdminSection(page, 'Roles');
  await page.getByRole('button', { name: 'New role' }).click();
  const dialog = page.getByRole('dialog', { name: 'New role' });
  await dialog.getByLabel('Name').fill('Auditor');
  await dialog.getByRole('button', { name: 'Create role' }).click();
  await expect(dialog).toBeHidden();
  await page
    .getByRole('row', { name: /Auditor/ })
    .getByRole('button', { name: 'Delete' })
    .click();
  await page
    .getByRole('dialog', { name: 'Delete the role Auditor?' })
    .getByRole('button', { name: 'Delete role' })
    .click();
  await expect(page.getByText('The role Auditor was deleted.')).toBeVisible();

  await openAdminSection(page, 'Audit log');
  const table = page.getByRole('table', { name: 'Audit log' });
  await expect(table.getByRole('columnheader')).toHaveText([
    'Time',
    'Administrator',
    'Action',
    'Target',
    'Changes',
  ]);
  const rows = table.locator('tbody tr');
  // Newest first.
  await expect(rows.nth(0)).toContainText('Role deleted');
  await expect(rows.nth(0)).toContainText('Auditor');
  await expect(rows.nth(0)).toContainText('Ada Admin');
  await expect(rows.nth(1)).toContainText('Role created');
  await screens(page, 'audit');

  // Before and after.
  await rows
    .nth(0)
    .getByRole('button', { name: /View changes/ })
    .click();
  const changes = page.getByRole('dialog', { name: 'Changes' });
  await expect(changes.getByRole('row', { name: /Name/ })).toContainText('Auditor');
  await expect(changes.getByRole('row', { name: /Permissions/ })).toContainText('Chat');
  await screens(page, 'audit-changes');
  await page.keyboard.press('Escape');

  // Filter by action and search.
  await page
    .getByRole('textbox', { name: 'Filter by action' })
    .or(page.getByRole('combobox', { name: 'Filter by action' }))
    .click();
  await page.getByRole('option', { name: 'Role created' }).click();
  await expect(rows).toHaveCount(3);
  for (const text of await rows.locator('td:nth-child(3)').allTextContents())
    expect(text).toBe('Role created');
  await page.getByRole('searchbox', { name: 'Search the audit log' }).fill('Audit');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText('1–1 of 1')).toBeVisible();

  // A date range that ends yesterday has nothing from today.
  // Dates are typed as the window writes them (en-GB here: dd/mm/yyyy).
  const day = (d: Date) =>
    `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}/${d.getFullYear()}`;
  const yesterday = new Date(Date.now() - 24 * 3600 * 1000);
  await page.getByLabel('To', { exact: true }).fill(day(yesterday));
  await expect(page.getByText('No entries match')).toBeVisible();
  await page.getByLabel('To', { exact: true }).fill(day(new Date()));
  await page.getByLabel('From', { exact: true }).fill(day(new Date()));
  await expect(rows).toHaveCount(1);

  // Export as filtered.
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'CSV file (.csv)' }).click();
  await expect(page.getByText(/Saved to .*roster-audit-log-.*\.csv/)).toBeVisible();
  const file = (await page.getByText(/Saved to /).textContent())?.replace('Saved to ', '') ?? '';
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain('role.created');
  expect(lines[1]).toContain('Auditor');
});
