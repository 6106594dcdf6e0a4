import type { Page } from '@playwright/test';
import type { RosterServer } from './server';

/**
 * setUpOrganisation runs `init` for Example Ltd with admin as its first
 * Administrator and returns the link where they choose a password.
 */
export function setUpOrganisation(server: RosterServer, admin: { email: string; name: string }): string {
  const setup = JSON.parse(
    server.run(
      'init',
      '--organisation',
      'Example Ltd',
      '--admin-email',
      admin.email,
      '--admin-name',
      admin.name,
      '--json',
    ),
  );
  return setup.link;
}

/** choosePassword opens a setup or reset link in page and saves password there. */
export async function choosePassword(page: Page, link: string, password: string) {
  await page.goto(link);
  await page.getByLabel('New password').fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Save password' }).click();
}
