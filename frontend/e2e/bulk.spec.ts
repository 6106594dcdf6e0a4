import type { Locator, Page } from '@playwright/test';
import { expect, openAdminSection, screens, screenshot, test } from './fixtures';

// Issue 14: select rows in the Users and Invitations lists (checkboxes,
// Shift-click, select all that match) and act on them at once, with one
// confirmation that says how many and a summary of what failed and why.

test.use({ demoData: 200 });

/** checkbox is the selection checkbox of a list row. */
function checkbox(row: Locator): Locator {
  return row.getByRole('checkbox', { name: /^Select / });
}

/** count reads the number in the Users list's count ("181 entries"). */
async function usersCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('users-count').textContent()) ?? '';
  return Number(text.replace(/\D/g, ''));
}

test('Users: select with checkboxes, Shift-click and all that match; change role; remove with a failure', async ({
  page,
}) => {
  await openAdminSection(page, 'Users');
  const table = page.getByRole('table', { name: 'Users and invitations' });
  const bar = page.getByRole('region', { name: 'Selected users' });
  const row = (i: number) => table.locator(`tbody tr[data-index="${i}"]`);

  // Members only (invitations are managed under Invitations).
  await page.getByRole('combobox', { name: 'Filter by status' }).click();
  await page.getByRole('option', { name: 'Active', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search users' }).fill('example.com');
  await expect(row(0)).toBeVisible();
  await expect(bar).toBeHidden();

  // A click, then a Shift-click four rows further: five rows.
  await checkbox(row(1)).click();
  await expect(bar).toContainText('1 selected');
  await checkbox(row(5)).click({ modifiers: ['Shift'] });
  await expect(bar).toContainText('5 selected');
  for (const i of [1, 2, 3, 4, 5]) await expect(checkbox(row(i))).toBeChecked();
  await expect(checkbox(row(0))).not.toBeChecked();
  const header = table.getByRole('checkbox', { name: 'Select all users shown' });
  await expect(header).toHaveAttribute('data-indeterminate', 'true');

  // The header selects the rows loaded; then every member that matches.
  await header.click();
  await expect(bar).toContainText('100 selected');
  await bar.getByRole('button', { name: 'Select all that match' }).click();
  const matching = await usersCount(page);
  expect(matching).toBeGreaterThan(100);
  await expect(bar).toContainText(`${matching} selected`);
  await expect(bar).toContainText(`All ${matching} that match are selected.`);
  await screens(page, 'bulk-users-selected');

  // A new search starts the selection again.
  const search = page.getByRole('searchbox', { name: 'Search users' });
  await search.fill('Ada');
  await expect(bar).toBeHidden();
  await expect(row(0)).toContainText('Ada');

  // Change the role of three members (not Ada Admin, who is you).
  const ada = table.getByRole('row', { name: /ada@example\.com/ });
  const adaIndex = Number(await ada.getAttribute('data-index'));
  const others = [0, 1, 2, 3].filter((i) => i !== adaIndex).slice(0, 3);
  const emails: string[] = [];
  for (const i of others) {
    await checkbox(row(i)).click();
    emails.push((await row(i).locator('td').nth(1).textContent()) ?? '');
  }
  await bar.getByRole('button', { name: 'Change role…' }).click();
  const change = page.getByRole('dialog', { name: 'Change the role of 3 users?' });
  await expect(change.getByRole('button', { name: 'Change role' })).toBeDisabled();
  await change.getByRole('combobox', { name: 'New role' }).click();
  await page.getByRole('option', { name: 'Support' }).click();
  await change.getByRole('button', { name: 'Change role' }).click();
  await expect(page.getByText('3 users now have the role Support.')).toBeVisible();
  await expect(bar).toBeHidden();
  for (const email of emails) {
    await expect(table.getByRole('row', { name: new RegExp(email.replace(/[.]/g, '\\.')) })).toContainText(
      'Support',
    );
  }

  // Remove three, Ada Admin among them: she cannot remove herself.
  await checkbox(row(0)).click();
  await checkbox(row(Math.max(2, adaIndex))).click({ modifiers: ['Shift'] });
  const selected = Math.max(2, adaIndex) + 1;
  await expect(bar).toContainText(`${selected} selected`);
  const before = await usersCount(page);
  await bar.getByRole('button', { name: 'Remove' }).click();
  const remove = page.getByRole('dialog', { name: `Remove ${selected} users?` });
  await expect(remove).toContainText('This cannot be undone');
  const confirm = remove.getByRole('button', { name: `Remove ${selected} users` });
  await expect(confirm).toHaveAttribute('data-destructive', 'true');
  await screenshot(page, 'bulk-users-remove-confirm');
  await confirm.click();
  const summary = page.getByRole('dialog', { name: 'Not everything could be done' });
  await expect(summary).toContainText(`${selected - 1} of ${selected} done.`);
  const failed = summary.getByRole('table', { name: 'What failed' });
  await expect(failed.getByRole('row')).toHaveCount(2);
  await expect(failed.getByRole('row').nth(1)).toHaveText(/ada@example\.comYou cannot remove yourself\./);
  await screens(page, 'bulk-users-summary');
  await summary.getByRole('button', { name: 'Close' }).click();
  // The failed row stays selected, to try again; the removed ones left the list.
  await expect(bar).toContainText('1 selected');
  await expect(checkbox(ada)).toBeChecked();
  await expect(page.getByTestId('users-count')).toHaveText(`${before - selected + 1} entries`);

  // German labels of the bar.
  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  const barDe = page.getByRole('region', { name: 'Ausgewählte Benutzer' });
  await expect(barDe).toContainText('1 ausgewählt');
  for (const name of ['Rolle ändern…', 'Deaktivieren', 'Entfernen', 'Auswahl aufheben']) {
    await expect(barDe.getByRole('button', { name })).toBeVisible();
  }
  await screenshot(page, 'bulk-users-de');
  await barDe.getByRole('button', { name: 'Entfernen' }).click();
  const removeDe = page.getByRole('dialog', { name: '1 Benutzer entfernen?' });
  await expect(removeDe.getByRole('button', { name: '1 Benutzer entfernen' })).toBeVisible();
  await removeDe.getByRole('button', { name: 'Abbrechen' }).click();
  await barDe.getByRole('button', { name: 'Auswahl aufheben' }).click();
  await expect(barDe).toBeHidden();
});

test('Invitations: resend and delete several, select all that match, sort by who invited', async ({
  page,
}) => {
  await openAdminSection(page, 'Invitations');
  const table = page.getByRole('table', { name: 'Invitations' });
  const bar = page.getByRole('region', { name: 'Selected invitations' });
  const rows = table.locator('tbody tr[data-state]');
  await expect(page.getByText('1–50 of 160')).toBeVisible();

  // Who invited sorts the list again.
  await table.getByRole('button', { name: 'Invited by' }).click();
  await expect(table.getByRole('columnheader', { name: 'Invited' })).toHaveAttribute(
    'aria-sort',
    'ascending',
  );
  await table.getByRole('button', { name: 'Invited', exact: true }).click();

  // Resend two.
  await checkbox(rows.nth(0)).click();
  await checkbox(rows.nth(1)).click({ modifiers: ['Shift'] });
  await bar.getByRole('button', { name: 'Resend' }).click();
  const resend = page.getByRole('dialog', { name: 'Resend 2 invitations?' });
  await resend.getByRole('button', { name: 'Resend 2 invitations' }).click();
  await expect(page.getByText('2 invitations were sent again with new links.')).toBeVisible();

  // Delete three.
  await checkbox(rows.nth(2)).click();
  await checkbox(rows.nth(4)).click({ modifiers: ['Shift'] });
  await expect(bar).toContainText('3 selected');
  await screens(page, 'bulk-invitations-selected');
  await bar.getByRole('button', { name: 'Delete' }).click();
  const del = page.getByRole('dialog', { name: 'Delete 3 invitations?' });
  await expect(del).toContainText('This cannot be undone');
  await del.getByRole('button', { name: 'Delete 3 invitations' }).click();
  await expect(page.getByText('3 invitations were deleted. Their links no longer work.')).toBeVisible();
  await expect(page.getByText('1–50 of 157')).toBeVisible();
  await expect(bar).toBeHidden();

  // The page, then every invitation that matches.
  await table.getByRole('checkbox', { name: 'Select all invitations on this page' }).click();
  await expect(bar).toContainText('50 selected');
  await bar.getByRole('button', { name: 'Select all 157 that match' }).click();
  await expect(bar).toContainText('All 157 that match are selected.');
  await bar.getByRole('button', { name: 'Clear selection' }).click();
  await expect(bar).toBeHidden();

  // Acting on all that match reaches the rows of the other pages too.
  await table.getByRole('checkbox', { name: 'Select all invitations on this page' }).click();
  await bar.getByRole('button', { name: 'Select all 157 that match' }).click();
  await bar.getByRole('button', { name: 'Delete' }).click();
  const all = page.getByRole('dialog', { name: 'Delete 157 invitations?' });
  await all.getByRole('button', { name: 'Delete 157 invitations' }).click();
  await expect(page.getByText('157 invitations were deleted. Their links no longer work.')).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByText('No open invitations')).toBeVisible();
});
