import { expect, type Page, type Response, test } from '@playwright/test';
import { type RelyingParty, startRP } from './rp';
import { adminAPI, expectAccessible, freePort, type RosterServer, type Storage, startServer } from './server';
import { setUpOrganisation } from './setup';

// The directory server as a chat platform's OpenID Connect provider, seen
// only from outside: a relying party on an independent library
// (scripts/oidc-rp: coreos/go-oidc + golang.org/x/oauth2) runs the code flow
// with PKCE; Chromium fills in Roster's sign-in form. It runs once per
// project (playwright.config.ts); on PostgreSQL a second server process on
// the same database removes the member, and the first refuses them.

const memberPassword = 'copper kettles hum at dawn';

let server: RosterServer;
let second: RosterServer | undefined;
let rp: RelyingParty | undefined;

test.beforeAll(async () => {
  const storage = test.info().project.name as Storage;
  server = await startServer(storage);
  if (storage === 'postgresql') second = await startServer(storage, { sameDatabaseAs: server });
});

test.afterAll(async () => {
  await rp?.stop();
  await second?.stop();
  await server?.stop();
});

const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** callbackOf waits for the browser's arrival at the relying party's callback and returns the relying party's JSON. */
async function callbackOf(page: Page, base: string, navigate: () => Promise<unknown>) {
  const arrived = page.waitForResponse((r: Response) => r.url().startsWith(`${base}/callback`));
  await navigate();
  const res = await arrived;
  return { status: res.status(), body: await res.json() };
}

async function fillSignIn(page: Page, email: string) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(memberPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('a chat platform signs a member in through OpenID Connect and loses them when removed', async ({
  page,
  browser,
}) => {
  const storage = server.storage;
  const email = `mo.${storage}@example.com`;

  // The organisation, an Administrator's API token, a custom role, and Mo,
  // invited with it, who registers in a browser of their own (so the
  // platform's browser has no Roster session yet).
  setUpOrganisation(server, { email: 'ada@example.com', name: 'Ada Admin' });
  const apiToken = JSON.parse(server.run('token', 'create', '--email', 'ada@example.com', '--json')).token;
  const api = adminAPI(server.addr, apiToken);
  const role = await api('POST', '/roles', { name: 'Moderator', permissions: ['chat', 'use_skills'] });
  expect(role.status, role.text).toBe(201);
  const invitation = JSON.parse(server.run('invite', '--email', email, '--role', 'Moderator', '--json'));
  const own = await browser.newPage();
  await own.goto(invitation.link);
  await own.getByLabel('Your name').fill('Mo Moderator');
  await own.getByLabel('Password', { exact: true }).fill(memberPassword);
  await own.getByLabel('Repeat the password').fill(memberPassword);
  await own.getByRole('button', { name: 'Create account' }).click();
  await expect(own).toHaveURL(`${server.base}/account`);
  await own.close();
  const found = await api('GET', `/users?search=${encodeURIComponent(email)}`);
  expect(found.body.total).toBe(1);
  const moID = found.body.entries[0].id as string;

  // The operator registers the platform as a confidential client; the
  // secret is shown once, never listed.
  const port = await freePort();
  const rpBase = `http://127.0.0.1:${port}`;
  const client = JSON.parse(
    server.run(
      'client',
      'create',
      '--name',
      'Chat',
      '--redirect-uri',
      `${rpBase}/callback`,
      '--post-logout-redirect-uri',
      `${rpBase}/logged-out`,
      '--json',
    ),
  );
  expect(client).toMatchObject({
    name: 'Chat',
    public: false,
    redirectUris: [`${rpBase}/callback`],
    postLogoutRedirectUris: [`${rpBase}/logged-out`],
  });
  expect(client.secret).toEqual(expect.any(String));
  expect(server.run('client', 'list', '--json')).not.toContain(client.secret);
  // The platform authenticates with client_secret_basic on SQLite, with client_secret_post on PostgreSQL.
  rp = await startRP(server.base, client.id, client.secret, port, storage === 'sqlite' ? 'basic' : 'post');
  const platform = rp;

  // The platform sends Mo to Roster's sign-in page; after it, Mo is back at
  // the platform with a code, and its ID token (verified against the JWKS,
  // nonce checked) says who Mo is and which role they hold.
  await page.goto(`${platform.base}/login`);
  await expect(page).toHaveURL(new RegExp(`^${escaped(server.base)}/login`));
  if (storage === 'sqlite') await expectAccessible(page, 'the sign-in page of an authorization request');
  const first = await callbackOf(page, platform.base, () => fillSignIn(page, email));
  expect(first.status, JSON.stringify(first.body)).toBe(200);
  expect(first.body.refreshToken).toBe(true);
  const claims = first.body.claims;
  expect(claims).toMatchObject({
    sub: moID,
    email,
    email_verified: true,
    name: 'Mo Moderator',
    iss: server.base,
  });
  expect(claims.sub).not.toContain('@');
  expect(claims.roles).toContain('Moderator');
  expect(claims.groups).toContain('Moderator');

  const info = await platform.userinfo();
  expect(info.body.status).toBe(200);
  expect(info.body.claims).toMatchObject({ sub: moID, email, email_verified: true, name: 'Mo Moderator' });
  expect(info.body.claims.roles).toContain('Moderator');
  const active = await platform.introspect();
  expect(active.body).toMatchObject({ status: 200, body: { active: true, sub: moID } });

  // With a Roster session, the next sign-in comes straight back: no form.
  const again = await callbackOf(page, platform.base, () => page.goto(`${platform.base}/login`));
  expect(again.status, JSON.stringify(again.body)).toBe(200);
  expect(again.body.claims.sub).toBe(moID);
  expect(await platform.codes()).toBe(2);

  // A role change reaches the platform at the next refresh, which rotates
  // the refresh token.
  expect((await api('PATCH', `/users/${moID}`, { roleId: 'user' })).status).toBe(200);
  const refreshed = await platform.refresh();
  expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200);
  expect(refreshed.body.rotated).toBe(true);
  expect(refreshed.body.claims).toMatchObject({ sub: moID, roles: ['User'], groups: ['User'] });
  expect((await platform.userinfo()).body.claims.roles).toEqual(['User']);

  // The refresh token before the rotation, used again, revokes the family:
  // it and the current one are refused.
  const reused = await platform.refresh('previous');
  expect(reused.body.error, JSON.stringify(reused.body)).toBe('invalid_grant');
  const family = await platform.refresh();
  expect(family.body.error, JSON.stringify(family.body)).toBe('invalid_grant');

  // Logging out at the platform ends the Roster session too.
  await page.goto(`${platform.base}/logout`);
  await expect(page).toHaveURL(new RegExp(`^${escaped(platform.base)}/logged-out\\?state=`));
  await page.goto(`${server.base}/account`);
  await expect(page).toHaveURL(`${server.base}/login`);

  // Mo signs in again; then an Administrator removes them (on PostgreSQL
  // through the other server process, which until then takes the first
  // one's tokens as well).
  await page.goto(`${platform.base}/login`);
  const third = await callbackOf(page, platform.base, () => fillSignIn(page, email));
  expect(third.status, JSON.stringify(third.body)).toBe(200);
  if (second) {
    expect((await platform.userinfo(second.addr)).body.status).toBe(200);
    expect((await platform.introspect(second.addr)).body.body.active).toBe(true);
  }
  const remover = second ? adminAPI(second.addr, apiToken) : api;
  expect((await remover('DELETE', `/users/${moID}`)).status).toBe(204);

  // From that moment the platform loses Mo: no refresh, no userinfo, an
  // inactive access token, and a new sign-in brings back no code.
  const refused = await platform.refresh();
  expect(refused.body.error, JSON.stringify(refused.body)).toBe('invalid_grant');
  const gone = await platform.userinfo();
  expect(gone.body.status).toBe(401);
  expect((await platform.introspect()).body).toMatchObject({ status: 200, body: { active: false } });
  if (second) {
    expect((await platform.userinfo(second.addr)).body.status).toBe(401);
    expect((await platform.introspect(second.addr)).body.body.active).toBe(false);
  }
  await page.goto(`${platform.base}/login`);
  await expect(page).toHaveURL(new RegExp(`^${escaped(server.base)}/login`));
  await fillSignIn(page, email);
  await expect(page.getByText('The email address or the password is not correct.')).toBeVisible();
  expect(await platform.codes()).toBe(3);

  // No password or secret reached the servers' logs.
  for (const logs of [server.logs(), second?.logs() ?? '']) {
    for (const secret of [memberPassword, client.secret, apiToken]) expect(logs).not.toContain(secret);
  }
});
