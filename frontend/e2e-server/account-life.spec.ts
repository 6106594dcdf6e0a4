import { expect, type Page, test } from '@playwright/test';
import { adminAPI, expectAccessible, expireInvitation, mint, type RosterServer, startServer } from './server';

// The passwords of the test: long enough, not common.
const adminPassword = 'amber lanterns drift over quiet docks';
const firstPassword = 'violet tractor mumbles softly';
const secondPassword = 'seven quiet herons fold maps';

let server: RosterServer;

test.beforeAll(async () => {
  server = await startServer();
});

test.afterAll(async () => {
  await server?.stop();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('an account lives its whole life through the admin API and the invitee’s browser', async ({
  page,
  browser,
}) => {
  // The operator sets up the server; the first Administrator chooses a
  // password at the printed link and gets an API token for the desktop.
  const setup = JSON.parse(
    server.run(
      'init',
      '--organisation',
      'Example Ltd',
      '--admin-email',
      'ada@example.com',
      '--admin-name',
      'Ada Admin',
      '--json',
    ),
  );
  await page.goto(setup.link);
  await page.getByLabel('New password').fill(adminPassword);
  await page.getByLabel('Repeat the password').fill(adminPassword);
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page).toHaveURL(`${server.base}/login`);
  const created = JSON.parse(server.run('token', 'create', '--email', 'ada@example.com', '--json'));
  const api = adminAPI(server.base, created.token);

  const description = await (await fetch(`${server.base}/api/v1/openapi.json`)).json();
  expect(description.openapi).toBe('3.1.0');

  // The desktop invites Sam: it mints the token, sends only its hash, and
  // would email the link. Two more invitations will be deleted and expire.
  const invite = async (email: string) => {
    const link = mint();
    const res = await api('POST', '/invitations', { email, role: 'user', tokenHash: link.hash });
    expect(res.status, res.text).toBe(201);
    expect(res.text).not.toContain(link.token);
    return { ...link, id: res.body.id as string };
  };
  const sam = await invite('sam@example.com');
  const deleted = await invite('gone@example.com');
  const expired = await invite('late@example.com');
  expect((await api('DELETE', `/invitations/${deleted.id}`)).status).toBe(204);
  expireInvitation(server.dbPath, expired.id);

  // Sam follows the link, registers and lands on the account page.
  await page.goto(`${server.base}/invite/${sam.token}`);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await expectAccessible(page, 'the invitation page');
  await page.getByLabel('Your name').fill('Sam Member');
  await page.getByLabel('Password', { exact: true }).fill(firstPassword);
  await page.getByLabel('Repeat the password').fill(firstPassword);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(`${server.base}/account`);
  await expect(page.getByText('Welcome, Sam Member!')).toBeVisible();
  const role = page.locator('.badge');
  await expect(role).toHaveText('User');
  await expectAccessible(page, 'the account page');

  // Used, deleted and expired links are refused.
  const stranger = await browser.newPage();
  for (const token of [sam.token, deleted.token]) {
    await stranger.goto(`${server.base}/invite/${token}`);
    await expect(stranger.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
  }
  await stranger.goto(`${server.base}/invite/${expired.token}`);
  await expect(stranger.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible();

  // The desktop changes Sam's role; the page shows it.
  const found = await api('GET', '/users?search=sam%40example.com');
  expect(found.body.total).toBe(1);
  const samID = found.body.entries[0].id as string;
  const changed = await api('PATCH', `/users/${samID}`, { roleId: 'administrator' });
  expect(changed.status, changed.text).toBe(200);
  await page.reload();
  await expect(role).toHaveText('Administrator');

  // A reset link sets a new password; the old one fails, the new one works.
  const reset = mint();
  const issued = await api('POST', `/users/${samID}/password-resets`, { tokenHash: reset.hash });
  expect(issued.status, issued.text).toBe(201);
  await stranger.goto(`${server.base}/reset/${reset.token}`);
  await stranger.getByLabel('New password').fill(secondPassword);
  await stranger.getByLabel('Repeat the password').fill(secondPassword);
  await stranger.getByRole('button', { name: 'Save password' }).click();
  await expect(stranger.getByText('Your password has been changed')).toBeVisible();
  await stranger.goto(`${server.base}/reset/${reset.token}`);
  await expect(stranger.getByRole('heading', { name: 'This password link is not valid' })).toBeVisible();
  await signIn(page, 'sam@example.com', firstPassword);
  await expect(page.getByText('The email address or the password is not correct.')).toBeVisible();
  await expectAccessible(page, 'the sign-in page');
  await signIn(page, 'sam@example.com', secondPassword);
  await expect(page).toHaveURL(`${server.base}/account`);
  await expect(role).toHaveText('Administrator');

  // The desktop removes Sam: the open session is refused on its next
  // request, and signing in fails.
  expect((await api('DELETE', `/users/${samID}`)).status).toBe(204);
  await page.reload();
  await expect(page).toHaveURL(`${server.base}/login`);
  await expect(page.getByText('Your session has ended. Please sign in again.')).toBeVisible();
  await signIn(page, 'sam@example.com', secondPassword);
  await expect(page.getByText('The email address or the password is not correct.')).toBeVisible();

  // The server's audit log says which Administrator did each of it.
  const audit = await api('GET', '/audit?limit=100');
  const byAda = new Set(
    audit.body.entries
      .filter((e: { actorName: string }) => e.actorName === 'Ada Admin')
      .map((e: { action: string }) => e.action),
  );
  for (const action of [
    'invitation.created',
    'invitation.deleted',
    'user.role_changed',
    'user.password_reset_sent',
    'user.removed',
  ]) {
    expect(byAda, action).toContain(action);
  }

  // A revoked token is refused at once.
  server.run('token', 'revoke', created.id);
  const refused = await api('GET', '/users');
  expect(refused.status).toBe(401);
  expect(refused.headers.get('WWW-Authenticate')).toContain('Bearer');
  expect(refused.body.error.key).toBe('api_token.invalid');

  // No token or password reached the server's log.
  const logs = server.logs();
  expect(logs).toContain('"client":"Roster desktop (end-to-end test)"');
  for (const secret of [
    created.token,
    sam.token,
    reset.token,
    deleted.token,
    adminPassword,
    firstPassword,
    secondPassword,
  ]) {
    expect(logs).not.toContain(secret);
  }
});
