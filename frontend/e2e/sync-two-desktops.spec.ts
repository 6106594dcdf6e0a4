import { connect, createServer, type Socket } from 'node:net';
import type { Browser, Page } from '@playwright/test';
import { freePort, type Server, startServer } from './directoryServer';
import { expect, openAdminSection, openInviteOne, screens, startRoster, test } from './fixtures';
import { useMailpit as emailThroughMailpit, findMail, waitForMail } from './mailpit';

// Issue 12's end-to-end test: two desktops (two dev binaries, two databases)
// against one roster-server. Desktop B reaches the server through a TCP
// proxy that the test switches off; both invite the same address while B is
// offline; A syncs first, then B reconnects: the server keeps one
// invitation, B's window shows the conflict, and one email goes out.

// The passwords of the test: long enough, not common.
const beaPassword = 'amber lanterns drift over quiet docks';
const samPassword = 'violet tractor mumbles softly';
const samEmail = 'sam.two-desktops@example.com';

/** Proxy forwards a loopback port to the server while it is on; off refuses and cuts every connection. */
interface Proxy {
  url: string;
  setOn: (on: boolean) => void;
  close: () => Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const { hostname, port: targetPort } = new URL(target);
  let on = true;
  const open = new Set<Socket>();
  const proxy = createServer((client) => {
    if (!on) {
      client.destroy();
      return;
    }
    const server = connect(Number(targetPort), hostname);
    for (const s of [client, server]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    client.pipe(server).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    setOn: (v) => {
      on = v;
      if (!v) for (const s of open) s.destroy();
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of open) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}

/** register follows an invitation link on the server and creates the account. */
async function register(page: Page, link: string, name: string, password: string) {
  await page.goto(link);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByText(`Welcome, ${name}!`)).toBeVisible();
}

/** join connects a desktop at first run to the server at url with token. */
async function join(page: Page, url: string, token: string, name: string) {
  await page.getByRole('radio', { name: 'Connect to your organisation’s directory server' }).check();
  await page.getByLabel('Server address').fill(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Connect and copy' }).click();
  await expect(page.getByRole('button', { name: `Account menu of ${name}` })).toBeVisible({
    timeout: 30_000,
  });
}

/** invite sends one invitation from the Users screen. */
async function invite(page: Page, name: string, email: string) {
  await openAdminSection(page, 'Users', name);
  const dialog = await openInviteOne(page);
  await dialog.getByLabel('Email address').fill(email);
  await dialog.getByRole('button', { name: 'Send invitation' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('row', { name: new RegExp(email.replace(/[.]/g, '\\.')) })).toBeVisible();
}

/** syncNow presses Sync now in Admin Settings → Sync and waits until that sync has ended well and nothing waits. */
async function syncNow(page: Page, name: string) {
  await openAdminSection(page, 'Sync', name);
  const status = page.getByRole('region', { name: 'Status' });
  const button = status.getByRole('button', { name: 'Sync now' });
  await button.click();
  await expect(button).toBeEnabled({ timeout: 30_000 });
  await expect(status.getByRole('status')).toHaveCount(0, { timeout: 30_000 });
  await expect(status).toContainText('No changes waiting');
  await expect(status).not.toContainText('The last sync failed');
}

/** openInvitations asks the server's admin API for the invitations to email. */
async function openInvitations(server: Server, email: string) {
  const res = await fetch(`${server.url}/api/v1/invitations?search=${encodeURIComponent(email)}`, {
    headers: { Authorization: `Bearer ${server.token}` },
  });
  expect(res.status).toBe(200);
  const page = (await res.json()) as { entries: { email: string; state: string }[] };
  return page.entries.filter((e) => e.email === email && e.state === 'pending');
}

async function newPage(browser: Browser, url?: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  if (url) await page.goto(url);
  return page;
}

test('Sync: two desktops invite the same address, one offline: one invitation, one conflict, one email', async ({
  page: a,
  browser,
}) => {
  test.setTimeout(180_000);
  const server = await startServer();
  const stops: (() => Promise<void>)[] = [server.stop];
  try {
    // A second Administrator, Bea, registers at her link; each gets an API token.
    const beaLink = JSON.parse(
      server.run('invite', '--email', 'bea@example.com', '--role', 'Administrator', '--json'),
    ).link as string;
    const web = await newPage(browser);
    await register(web, beaLink, 'Bea Admin', beaPassword);
    const beaToken = JSON.parse(server.run('token', 'create', '--email', 'bea@example.com', '--json'))
      .token as string;

    // Desktop A (the test's own) joins directly; desktop B through the proxy.
    const proxy = await startProxy(server.url);
    stops.unshift(proxy.close);
    const [rosterB, stopB] = await startRoster();
    stops.unshift(stopB);
    const b = await newPage(browser, rosterB.url);
    await join(a, server.url, server.token, 'Ada Admin');
    await join(b, proxy.url, beaToken, 'Bea Admin');
    await emailThroughMailpit(a, server.url);
    await emailThroughMailpit(b, server.url);

    // B goes offline and invites Sam; then A invites Sam and syncs.
    proxy.setOn(false);
    await invite(b, 'Bea Admin', samEmail);
    await invite(a, 'Ada Admin', samEmail);
    await syncNow(a, 'Ada Admin');
    await expect.poll(async () => (await openInvitations(server, samEmail)).length).toBe(1);

    // B reconnects and syncs: the server refuses its invitation.
    proxy.setOn(true);
    await syncNow(b, 'Bea Admin');
    await b.getByRole('link', { name: '1 conflict' }).click();
    await expect(b.getByRole('heading', { level: 1, name: 'Conflicts', exact: true })).toBeVisible();
    const conflict = b.getByRole('region', { name: 'Invited a user' });
    await expect(conflict).toHaveCount(1);
    await expect(conflict).toContainText(`${samEmail} has been invited already.`);
    await expect(conflict.getByRole('button', { name: 'Discard mine' })).toBeVisible();
    await expect(conflict.getByRole('button', { name: 'Apply again' })).toBeVisible();
    await screens(b, 'sync-two-desktops-conflict');

    // One invitation on the server and one email: A's. B's held email was dropped.
    expect(await openInvitations(server, samEmail)).toHaveLength(1);
    const mail = await waitForMail(samEmail);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 400));
      expect(await findMail(samEmail)).toHaveLength(1);
    }

    // Sam registers at the emailed link and signs in on the server.
    const link = mail.Text.match(/http:\/\/127\.0\.0\.1:\d+\/invite\/[A-Za-z0-9_-]+/)?.[0] ?? '';
    expect(link, 'the server’s invitation link in the email').toMatch(`${server.url}/invite/`);
    const sam = await newPage(browser);
    await register(sam, link, 'Sam Member', samPassword);
    const login = await newPage(browser, `${server.url}/login`);
    await login.getByLabel('Email address').fill(samEmail);
    await login.getByLabel('Password').fill(samPassword);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await expect(login).toHaveURL(`${server.url}/account`);

    // After Sync now, A lists Sam as Active with a last sign-in.
    await syncNow(a, 'Ada Admin');
    await openAdminSection(a, 'Users', 'Ada Admin');
    const row = a.getByRole('row', { name: /sam\.two-desktops@example\.com/ });
    await expect(row).toContainText('Active');
    await row.click();
    const details = a.getByRole('dialog', { name: 'User details' });
    await expect(details).toContainText('Sam Member');
    await expect(details.getByTestId('last-sign-in')).toHaveText(/\d{4}/);
    await expect(details.getByTestId('last-sign-in')).not.toContainText('Not signed in yet');
  } finally {
    for (const stop of stops) await stop();
  }
});
