import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { completeSetup, expect, openAdminSection, root, screens, test } from './fixtures';

// The Sync section against a real roster-server (built from this tree, or
// ROSTER_SERVER_BINARY) on a free loopback port with its own SQLite file.

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

interface Server {
  url: string;
  token: string;
  run: (...args: string[]) => string;
  stop: () => Promise<void>;
}

async function startServer(): Promise<Server> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-sync-e2e-'));
  let binary = process.env.ROSTER_SERVER_BINARY ?? '';
  if (!binary) {
    binary = path.join(dir, 'roster-server');
    execFileSync('go', ['build', '-tags', 'sqlite_fts5', '-o', binary, './cmd/roster-server'], {
      cwd: root,
      timeout: 300_000,
    });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env, ROSTER_SERVER_DB: path.join(dir, 'server.db'), ROSTER_SERVER_BASE_URL: url };
  const run = (...args: string[]) => execFileSync(binary, args, { env, encoding: 'utf8' });
  run(
    'init',
    '--organisation',
    'Server Org',
    '--admin-email',
    'ada@example.com',
    '--admin-name',
    'Ada Admin',
    '--json',
  );
  const token = JSON.parse(run('token', 'create', '--email', 'ada@example.com', '--json')).token as string;
  const proc: ChildProcess = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env });
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => undefined);
    if (res?.ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    token,
    run,
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('Sync: connect to a real directory server, and refuse one of another organisation', async ({ page }) => {
  test.setTimeout(300_000);
  const server = await startServer();
  try {
    await completeSetup(page);
    await openAdminSection(page, 'Sync');
    await page.getByLabel('Server address').fill(server.url);
    await page.getByLabel('API token').fill('rst_not-a-token-of-this-server');
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByText(/refused the API token/)).toBeVisible();

    // A server holding nothing but its administrators takes this organisation.
    await page.getByLabel('API token').fill(server.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    const card = page.getByRole('region', { name: 'Connected' });
    await expect(card).toContainText('Ada Admin (ada@example.com)');
    await expect(card).toContainText('Saved in the keyring');
    await expect(card.getByText('The server is empty')).toBeVisible();
    expect(await page.content()).not.toContain(server.token);
    await screens(page, 'sync-connected');

    await card.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disconnect' }).click();
    await expect(card).toHaveCount(0);

    // Once the server holds a member, it is another organisation's: refused, nothing kept.
    server.run('invite', '--email', 'ben@example.com', '--role', 'user');
    await page.getByLabel('API token').fill(server.token);
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Cannot connect' })).toContainText(
      'manages another organisation, “Server Org”; this Roster manages “Example Ltd”. Nothing was changed.',
    );
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Directory server' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Connected' })).toHaveCount(0);
  } finally {
    await server.stop();
  }
});
