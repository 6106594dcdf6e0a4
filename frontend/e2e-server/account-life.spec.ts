import { expect, type Page, test } from '@playwright/test';
import { type MailMessage, waitForMail } from '../e2e/mailpit';
import { type Desktop, startDesktop } from './desktop';
import { adminAPI, expectAccessible, type RosterServer, type Storage, startServer } from './server';
import { choosePassword, setUpOrganisation } from './setup';

// The passwords of the test: long enough, not common.
const adminPassword = 'amber lanterns drift over quiet docks';
const firstPassword = 'violet tractor mumbles softly';
const secondPassword = 'seven quiet herons fold maps';

// The test runs once per project: on a SQLite file and on PostgreSQL
// (playwright.config.ts). Both send to one mailpit, so each run's people
// have addresses of their own.
let server: RosterServer;
let desktop: Desktop | undefined;

test.beforeAll(async () => {
  server = await startServer(test.info().project.name as Storage);
});

test.afterAll(async () => {
  desktop?.close();
  await server?.stop();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** linkIn returns the invitation or reset link in an email, the same in its text and its HTML, and its token. */
function linkIn(mail: MailMessage, kind: 'invite' | 'reset') {
  const prefix = `${server.base}/${kind}/`;
  const found = mail.Text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[A-Za-z0-9_-]+`));
  expect(found, `a ${prefix} link in the email "${mail.Subject}"`).not.toBeNull();
  const link = found?.[0] ?? '';
  expect(mail.HTML).toContain(`href="${link}"`);
  return { link, token: link.slice(prefix.length) };
}

test('an account lives its whole life through the admin API, real email and the invitee’s browser', async ({
  page,
  browser,
}) => {
  const storage = server.storage;
  const address = (name: string) => `${name}.${storage}@example.com`;
  // axe-core checks the pages in the SQLite run only: they are the same on
  // either storage, and each check takes seconds of the runs' time budget.
  const expectPageAccessible = async (what: string) => {
    if (storage === 'sqlite') await expectAccessible(page, what);
  };

  // The operator sets up the server; the first Administrator chooses a
  // password at the printed link and gets an API token for the desktop.
  const setupLink = setUpOrganisation(server, { email: 'ada@example.com', name: 'Ada Admin' });
  await choosePassword(page, setupLink, adminPassword);
  await expect(page).toHaveURL(`${server.base}/login`);
  const created = JSON.parse(server.run('token', 'create', '--email', 'ada@example.com', '--json'));
  const api = adminAPI(server.base, created.token);
  const ada = startDesktop(server.base, created.token, { name: 'Ada Admin', email: 'ada@example.com' });
  desktop = ada;

  const description = await (await fetch(`${server.base}/api/v1/openapi.json`)).json();
  expect(description.openapi).toBe('3.1.0');

  // Ada's desktop invites Sam: it mints the token, sends only its hash to
  // the server, and its outbox emails the link. Two more invitations will
  // be deleted and expire.
  const samEmail = address('sam');
  const invite = async (email: string) => {
    const id = ada.invite(email, 'user');
    const mail = await waitForMail(email, /invited you to join Example Ltd/);
    expect(mail.To.map((t) => t.Address)).toEqual([email]);
    const { link, token } = linkIn(mail, 'invite');
    const shown = await api('GET', `/invitations/${id}`);
    expect(shown.status, shown.text).toBe(200);
    expect(shown.body.email).toBe(email);
    expect(shown.text).not.toContain(token);
    return { id, link, token };
  };
  const sam = await invite(samEmail);
  const deleted = await invite(address('gone'));
  const expired = await invite(address('late'));
  expect((await api('DELETE', `/invitations/${deleted.id}`)).status).toBe(204);
  server.expireInvitation(expired.id);

  // Sam follows the link in the email, registers and lands on the account page.
  await page.goto(sam.link);
  await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
  await expectPageAccessible('the invitation page');
  await page.getByLabel('Your name').fill('Sam Member');
  await page.getByLabel('Password', { exact: true }).fill(firstPassword);
  await page.getByLabel('Repeat the password').fill(firstPassword);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(`${server.base}/account`);
  await expect(page.getByText('Welcome, Sam Member!')).toBeVisible();
  const role = page.locator('.badge');
  await expect(role).toHaveText('User');
  await expectPageAccessible('the account page');
  // The desktop learns that Sam joined (later the sync's job): it can send
  // a reset only to a member of its own.
  ada.joined(sam.link, 'Sam Member');

  // Used, deleted and expired links are refused.
  const stranger = await browser.newPage();
  for (const link of [sam.link, deleted.link]) {
    await stranger.goto(link);
    await expect(stranger.getByRole('heading', { name: 'This invitation link is not valid' })).toBeVisible();
  }
  await stranger.goto(expired.link);
  await expect(stranger.getByRole('heading', { name: 'This invitation has expired' })).toBeVisible();

  // The desktop changes Sam's role; the page shows it.
  const found = await api('GET', `/users?search=${encodeURIComponent(samEmail)}`);
  expect(found.body.total).toBe(1);
  const samID = found.body.entries[0].id as string;
  const changed = await api('PATCH', `/users/${samID}`, { roleId: 'administrator' });
  expect(changed.status, changed.text).toBe(200);
  await page.reload();
  await expect(role).toHaveText('Administrator');

  // The desktop emails Sam a reset link, whose hash the server gets. It
  // sets a new password; the old one fails, the new one works, and the
  // server's own outbox tells Sam, without a link.
  ada.reset(samEmail, samID);
  const reset = linkIn(await waitForMail(samEmail, /Reset your password for Example Ltd/), 'reset');
  await choosePassword(stranger, reset.link, secondPassword);
  await expect(stranger.getByText('Your password has been changed')).toBeVisible();
  const notice = await waitForMail(samEmail, /Your password for Example Ltd was changed/);
  expect(notice.To.map((t) => t.Address)).toEqual([samEmail]);
  for (const body of [notice.Text, notice.HTML]) {
    expect(body).not.toContain(reset.token);
    expect(body).not.toContain(sam.token);
    expect(body).not.toContain('/reset/');
    expect(body).not.toContain('/invite/');
  }
  await stranger.goto(reset.link);
  await expect(stranger.getByRole('heading', { name: 'This password link is not valid' })).toBeVisible();
  await signIn(page, samEmail, firstPassword);
  await expect(page.getByText('The email address or the password is not correct.')).toBeVisible();
  await expectPageAccessible('the sign-in page');
  await signIn(page, samEmail, secondPassword);
  await expect(page).toHaveURL(`${server.base}/account`);
  await expect(role).toHaveText('Administrator');

  // The desktop removes Sam: the open session is refused on its next
  // request, and signing in fails.
  expect((await api('DELETE', `/users/${samID}`)).status).toBe(204);
  await page.reload();
  await expect(page).toHaveURL(`${server.base}/login`);
  await expect(page.getByText('Your session has ended. Please sign in again.')).toBeVisible();
  await signIn(page, samEmail, secondPassword);
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
    expired.token,
    adminPassword,
    firstPassword,
    secondPassword,
  ]) {
    expect(logs).not.toContain(secret);
  }
});
