import { completeSetup, expect, expectAccessible, screens, screenshot, test } from './fixtures';

test('first run: set up the organisation, then open Admin Settings from the name at the bottom left', async ({
  page,
  roster,
}) => {
  await expect(page.getByRole('heading', { name: 'Welcome to Roster' })).toBeVisible();
  await screens(page, 'setup');

  // A mistake is explained under its field by the backend's rule.
  await page.getByLabel('Organisation name').fill('Example Ltd');
  await page.getByLabel('Your name').fill('Ada Admin');
  await page.getByLabel('Your email address').fill('ada@localhost');
  await page.getByRole('button', { name: 'Set up Roster' }).click();
  await expect(page.getByText('The domain “localhost” needs a dot, like example.com.')).toBeVisible();
  await screenshot(page, 'setup-error');

  await completeSetup(page);
  await expect(page.getByRole('heading', { name: 'Welcome, Ada Admin' })).toBeVisible();
  await expect(page.getByText(roster.dbPath)).toBeVisible();
  await screens(page, 'overview');

  // The name sits at the bottom left of the sidebar.
  const account = page.getByRole('button', { name: 'Account menu of Ada Admin' });
  const box = await account.boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport && box.x < 100 && box.y > viewport.height - 120).toBeTruthy();

  await account.click();
  await expect(page.getByRole('menuitem', { name: 'Admin Settings' })).toBeVisible();
  await expectAccessible(page, 'the account menu');
  await page.getByRole('menuitem', { name: 'Admin Settings' }).click();
  // Admin Settings opens on its first section, Users; the sidebar lists them all.
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByText('Admin Settings', { exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await screenshot(page, 'admin-settings');

  // The setup is stored: a reload (or a restart) does not ask again.
  await page.reload();
  await expect(page.getByRole('button', { name: 'Account menu of Ada Admin' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Welcome to Roster' })).toHaveCount(0);
});

test('the language can be switched to German and is kept', async ({ page }) => {
  await completeSetup(page);
  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { name: 'Willkommen, Ada Admin' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Willkommen, Ada Admin' })).toBeVisible();
  await page.getByRole('button', { name: 'Kontomenü von Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Admin-Einstellungen' }).click();
  await expect(
    page.getByRole('navigation', { name: 'Hauptmenü' }).getByText('Admin-Einstellungen', { exact: true }),
  ).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'Benutzer' })).toBeVisible();
  await screenshot(page, 'admin-settings-de');
});
