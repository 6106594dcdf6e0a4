import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { completeSetup, expect, screenshot, test } from './fixtures';
import { findMail, useMailpit, waitForMail } from './mailpit';

async function openUsers(page: Page) {
  // 1. Click on your name at the bottom left. 2. Select Admin Settings. 3. Navigate to the Users section.
  await page.getByRole('button', { name: /^Account menu of/ }).click();
  await page.getByRole('menuitem', { name: 'Admin Settings' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
}

test('Invite multiple users: template, upload, preview with marked errors, correction, Send invitations', async ({
  page,
  roster,
}) => {
  await completeSetup(page);
  await useMailpit(page);
  await openUsers(page);

  // 1. Click Invite user. 2. Select Invite multiple users.
  await page.getByRole('button', { name: 'Invite user' }).click();
  await page.getByRole('menuitem', { name: 'Invite multiple users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite multiple users' });
  await expect(dialog).toBeVisible();
  await screenshot(page, 'invite-multiple');

  // 3. Download the CSV template (the dev build saves it into the test's dialog directory).
  await dialog.getByRole('button', { name: 'Download the CSV template' }).click();
  await expect(page.getByText(/The template was saved as/)).toBeVisible();
  const template = readFileSync(path.join(roster.exportsDir, readTemplateName(roster.exportsDir)), 'utf8');
  expect(template.replace(/^\uFEFF/, '').trim()).toBe('email,role');

  // 4. Fill in the template, without changing its columns (errors on purpose: a bad
  // address, an unknown role, a duplicate, an existing member). 5. Upload it.
  const csv = path.join(roster.dir, 'colleagues.csv');
  writeFileSync(
    csv,
    `${template.trim()}\r\ngrace@example.org,User\r\nlinus@example.org,Administrator\r\n` +
      'margaret.example.org,User\r\nbarbara@example.org,Owner\r\nGRACE@example.org,User\r\nada@example.com,User\r\n',
  );
  await dialog.locator('input[type="file"]').setInputFiles(csv);

  // 6. Review the preview: incorrect entries are marked, each with its reason.
  await expect(dialog.getByText('colleagues.csv')).toBeVisible();
  await expect(dialog.getByText('2 ready to send')).toBeVisible();
  await expect(dialog.getByText('4 need attention')).toBeVisible();
  await expect(
    dialog.getByText('An email address needs an @ followed by a domain, like jane@example.com.'),
  ).toBeVisible();
  await expect(dialog.getByText('“Owner” is not a role. Use one of: User, Administrator.')).toBeVisible();
  await expect(dialog.getByText('This address is already in row 2 of the file.')).toBeVisible();
  await expect(dialog.getByText('This person is already a member.')).toBeVisible();
  await screenshot(page, 'invite-multiple-preview');
  const axe = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  // A row can be corrected in the preview and is checked again at once.
  await dialog.getByRole('button', { name: 'Correct row 4' }).click();
  await dialog.getByRole('textbox', { name: 'Email address of row 4' }).fill('margaret@example.org');
  await dialog.getByRole('button', { name: 'Check again' }).click();
  await expect(dialog.getByText('3 ready to send')).toBeVisible();

  // 7. Click Send invitations.
  await dialog.getByRole('button', { name: 'Send 3 invitations' }).click();
  await expect(dialog.getByText('Invitations sent')).toBeVisible();
  await expect(dialog.getByText('3 invitations were stored and their emails queued.')).toBeVisible();
  await expect(dialog.getByText('3 rows were not sent:')).toBeVisible();
  await screenshot(page, 'invite-multiple-sent');

  // The invited people receive an email with a registration link.
  for (const to of ['grace@example.org', 'linus@example.org', 'margaret@example.org']) {
    const mail = await waitForMail(to);
    expect(mail.Text).toMatch(/https:\/\/chat\.example\.com\/invite\/[A-Za-z0-9_-]{43}/);
  }
  expect(await findMail('barbara@example.org')).toEqual([]);

  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByRole('row', { name: /linus@example\.org/ })).toBeVisible();
});

test('Invite multiple users: a file with other columns is refused as a whole, naming the columns', async ({
  page,
  roster,
}) => {
  await completeSetup(page);
  await openUsers(page);
  await page.getByRole('button', { name: 'Invite user' }).click();
  await page.getByRole('menuitem', { name: 'Invite multiple users' }).click();
  const dialog = page.getByRole('dialog', { name: 'Invite multiple users' });
  const csv = path.join(roster.dir, 'wrong.csv');
  writeFileSync(csv, 'E-Mail;Name;Rolle\r\ngrace@example.org;Grace;User\r\n');
  await dialog.locator('input[type="file"]').setInputFiles(csv);
  await expect(
    dialog.getByText(
      'The columns do not match the template. Expected the columns: email, role. Found: E-Mail, Name, Rolle. Download the template and do not change its columns.',
    ),
  ).toBeVisible();
  await screenshot(page, 'invite-multiple-refused');
});

function readTemplateName(dir: string): string {
  const name = readdirSync(dir).find((f) => f.endsWith('.csv'));
  if (!name) throw new Error(`no template in ${dir}`);
  return name;
}
