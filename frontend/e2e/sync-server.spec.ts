import { startServer } from './directoryServer';
import { completeSetup, expect, openAdminSection, screens, test } from './fixtures';

// The Sync section against a real roster-server (directoryServer.ts).

test('Sync: join the directory server at first run, see its members and sync now', async ({ page }) => {
  test.setTimeout(300_000);
  const server = await startServer();
  try {
    server.run('invite', '--email', 'ben@example.com', '--role', 'user');
    await page.getByRole('radio', { name: 'Connect to your organisation’s directory server' }).check();
    await page.getByLabel('Server address').fill(server.url);
    await page.getByLabel('API token').fill('rst_not-a-token-of-this-server');
    await page.getByRole('button', { name: 'Connect and copy' }).click();
    await expect(page.getByText(/refused the API token/)).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Welcome to Roster' })).toBeVisible();

    await page.getByLabel('API token').fill(server.token);
    await screens(page, 'setup-join');
    await page.getByRole('button', { name: 'Connect and copy' }).click();
    // The window opens on Users with the server's administrator and invitation.
    await expect(page.getByRole('heading', { level: 1, name: 'Users', exact: true })).toBeVisible({
      timeout: 30_000,
    });
    await expect(page).toHaveURL(/#\/admin\/users$/);
    await expect(page.getByRole('main')).toContainText('ada@example.com');
    await expect(page.getByRole('main')).toContainText('ben@example.com');
    await expect(page.getByTestId('sync-indicator')).toBeVisible();
    expect(await page.content()).not.toContain(server.token);

    await page.getByRole('link', { name: 'Sync', exact: true }).click();
    const card = page.getByRole('region', { name: 'Connected' });
    await expect(card).toContainText('Server Org');
    await expect(card).toContainText('Ada Admin (ada@example.com)');
    await expect(card).toContainText('Saved in the keyring');
    const status = page.getByRole('region', { name: 'Status' });
    await status.getByRole('button', { name: 'Sync now' }).click();
    await expect(status).toContainText(/Last synced (now|\d+ seconds? ago)/);
    await expect(status).toContainText('No changes waiting');
    await screens(page, 'sync-connected');

    // In German too.
    await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
    await page.getByRole('menuitem', { name: 'Deutsch' }).click();
    const statusDe = page.getByRole('region', { name: 'Status' });
    await expect(statusDe.getByRole('button', { name: 'Jetzt synchronisieren' })).toBeVisible();
    await expect(statusDe).toContainText('Keine Änderungen warten');
    await expect(page.getByTestId('sync-indicator')).toContainText('Synchronisiert');
    await screens(page, 'de-sync-connected');
  } finally {
    await server.stop();
  }
});

test('Sync: refuse a server of another organisation, empty or not', async ({ page }) => {
  test.setTimeout(300_000);
  const server = await startServer();
  try {
    await completeSetup(page);
    await openAdminSection(page, 'Sync');
    await page.getByLabel('Server address').fill(server.url);
    await page.getByLabel('API token').fill('rst_not-a-token-of-this-server');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByText(/refused the API token/)).toBeVisible();

    // A server holding nothing but its administrators is still another organisation's.
    await page.getByLabel('API token').fill(server.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Cannot connect' });
    await expect(alert).toContainText(
      '“Server Org”, which is still empty; this Roster manages “Example Ltd”.',
    );
    await expect(alert).toContainText('Connect to your organisation’s directory server');
    await expect(page.getByRole('region', { name: 'Connected' })).toHaveCount(0);
    await expect(page.getByTestId('sync-indicator')).toHaveCount(0);
    await screens(page, 'sync-refused-empty');
    await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
    await page.getByRole('menuitem', { name: 'Deutsch' }).click();
    await page.getByRole('button', { name: 'Verbinden' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Verbindung nicht möglich' })).toContainText(
      'die noch leer ist',
    );
    await screens(page, 'de-sync-refused-empty');
    await page.getByRole('button', { name: 'Kontomenü von Ada Admin' }).click();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await expect(page.getByRole('heading', { name: 'Directory server' })).toBeVisible();

    // Once the server holds a member, it is another organisation's: refused, nothing kept.
    server.run('invite', '--email', 'ben@example.com', '--role', 'user');
    await page.getByLabel('API token').fill(server.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(alert).toContainText(
      'manages another organisation, “Server Org”; this Roster manages “Example Ltd”. Nothing was changed.',
    );
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Directory server' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Connected' })).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
