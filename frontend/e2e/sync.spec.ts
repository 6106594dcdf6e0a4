import { createServer } from 'node:net';
import { completeSetup, expect, openAdminSection, screens, test } from './fixtures';

/** closedPort returns a loopback port that nothing listens on. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

const TOKEN = 'rst_e2e-token-never-shown-0123456789';

test('Sync: connecting refuses an unencrypted address and says when the server cannot be reached', async ({
  page,
}) => {
  await completeSetup(page);
  await openAdminSection(page, 'Sync');
  await expect(page.getByRole('heading', { name: 'Directory server' })).toBeVisible();
  await screens(page, 'sync-settings');

  // Over plain http the token would travel unencrypted: refused at the field, nothing sent.
  await page.getByLabel('Server address').fill('http://roster.example.com');
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(
    page.getByText(/over http:\/\/ the API token and your organisation’s data would travel unencrypted/),
  ).toBeVisible();
  await expect(page.getByLabel('Server address')).toHaveAttribute('aria-invalid', 'true');

  // http is fine on this computer; nothing listens there: the form's alert says so.
  const url = `http://127.0.0.1:${await closedPort()}`;
  await page.getByLabel('Server address').fill(url);
  await page.getByRole('button', { name: 'Connect' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Cannot connect' });
  await expect(alert).toContainText(`The directory server at ${url} cannot be reached.`);
  await screens(page, 'sync-unreachable');
  // The token stays in its field for another try, and in no message.
  await expect(alert).not.toContainText(TOKEN);
  // Nothing was kept: the section still offers to connect.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Directory server' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Connected' })).toHaveCount(0);
});
