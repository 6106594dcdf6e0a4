import type { Page } from '@playwright/test';
import { expect, screens, test } from './fixtures';

// Every screen in German, light and dark, each checked by axe-core.

test.use({ demoData: 200 });
// A dozen pictures per test, each checked by axe: more than the default minute on a busy machine.
test.setTimeout(180_000);
// The two halves are independent (each with a Roster of its own): they may run side by side.
test.describe.configure({ mode: 'parallel' });

async function section(page: Page, name: string, heading: string) {
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** toGerman switches the window to German and returns on the overview. */
async function toGerman(page: Page) {
  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { name: 'Willkommen, Ada Admin' })).toBeVisible();
}

/** adminSettings opens Admin Settings (on Users) from the account menu, in German. */
async function adminSettings(page: Page) {
  await page.getByRole('button', { name: 'Kontomenü von Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Admin-Einstellungen' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Benutzer' })).toBeVisible();
}

test('the overview, Users and its dialogs in German, light and dark', async ({ page }) => {
  await toGerman(page);
  await screens(page, 'de-overview');

  await adminSettings(page);
  await expect(page.getByTestId('users-count')).toHaveText('361 Einträge');
  await expect(page.getByRole('columnheader', { name: 'Beitrittsdatum' })).toBeVisible();
  await screens(page, 'de-users');

  await page.getByRole('button', { name: 'Benutzer einladen' }).click();
  await page.getByRole('menuitem', { name: 'Einen Benutzer einladen' }).click();
  const invite = page.getByRole('dialog', { name: 'Einen Benutzer einladen' });
  await invite.getByLabel('E-Mail-Adresse').fill('x@localhost');
  await invite.getByRole('button', { name: 'Einladung senden' }).click();
  await expect(
    invite.getByText('Die Domain „localhost“ braucht einen Punkt, etwa example.com.'),
  ).toBeVisible();
  await screens(page, 'de-invite-one');
  await invite.getByRole('button', { name: 'Abbrechen' }).click();

  await page
    .getByRole('table', { name: 'Benutzer und Einladungen' })
    .locator('tbody tr[data-kind="user"]')
    .nth(1)
    .click();
  const details = page.getByRole('dialog', { name: 'Benutzerdetails' });
  await expect(details.getByRole('button', { name: 'Passwort zurücksetzen' })).toBeVisible();
  await screens(page, 'de-user-details');
  await details.getByRole('button', { name: 'Entfernen' }).click();
  await expect(page.getByRole('dialog', { name: /entfernen\?$/ })).toBeVisible();
  await screens(page, 'de-user-remove');
  await page.getByRole('button', { name: 'Abbrechen' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('row', { name: /ada@example\.com/ }).click();
  await expect(page.getByRole('dialog', { name: 'Benutzerdetails' })).toContainText('Das sind Sie.');
  await screens(page, 'de-user-self');
});

test('Invitations, Roles and the Audit log in German, light and dark', async ({ page }) => {
  await toGerman(page);
  await adminSettings(page);
  await section(page, 'Einladungen', 'Einladungen');
  await expect(page.getByRole('columnheader', { name: 'Zustellung' })).toBeVisible();
  await screens(page, 'de-invitations');
  await page.getByRole('row').nth(1).getByRole('button', { name: 'Löschen' }).click();
  await expect(page.getByRole('dialog', { name: 'Einladung löschen?' })).toContainText(
    'wird sofort ungültig',
  );
  await screens(page, 'de-invitation-delete');
  await page.getByRole('button', { name: 'Abbrechen' }).click();

  await section(page, 'Rollen', 'Rollen');
  await expect(page.getByText('Kann chatten, Skills nutzen und eigene erstellen')).toBeVisible();
  await screens(page, 'de-roles');
  await page.getByRole('button', { name: 'Neue Rolle' }).click();
  await expect(page.getByRole('dialog', { name: 'Neue Rolle' })).toBeVisible();
  await screens(page, 'de-role-new');
  await page.getByRole('button', { name: 'Abbrechen' }).click();

  await section(page, 'Protokoll', 'Protokoll');
  await expect(
    page.getByRole('table', { name: 'Protokoll' }).getByText('Organisation eingerichtet'),
  ).toBeVisible();
  await screens(page, 'de-audit');
});
