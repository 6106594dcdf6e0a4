import type { Page } from '@playwright/test';
import { expect, screens, test } from './fixtures';

// Admin Settings → Sync → Conflicts, and the lists' sync marks, light and
// dark, English and German, each checked by axe-core. A desktop gets
// conflicts only from a directory server (sync-server.spec.ts connects to
// one); for the pictures, the window's bindings answer the conflicts and
// the marks below, as Go would send them.

test.use({ demoData: 40 });
test.setTimeout(180_000);

const row = { missing: false, name: '', email: '', roleId: '', roleName: '', status: '', permissions: [] };
const conflicts = [
  {
    seq: 12,
    kind: 'user.change_role',
    at: '2026-03-02T10:15:00.000Z',
    mine: {
      ...row,
      entity: 'user',
      id: 'u-1',
      name: 'Maximilian Schwarzenberger-Lindqvist',
      email: 'maximilian.schwarzenberger-lindqvist@verwaltung.example.com',
      roleId: 'administrator',
      roleName: 'Administrator',
      status: 'active',
    },
    error: {
      code: 'forbidden',
      message: 'This member was removed.',
      key: 'user.removed',
      args: { name: 'Maximilian Schwarzenberger-Lindqvist' },
    },
    server: [
      {
        ...row,
        entity: 'user',
        id: 'u-1',
        name: 'Maximilian Schwarzenberger-Lindqvist',
        email: 'maximilian.schwarzenberger-lindqvist@verwaltung.example.com',
        roleId: 'user',
        roleName: 'User',
        status: 'removed',
      },
    ],
    repeatable: true,
  },
  {
    seq: 9,
    kind: 'invitation.create',
    at: '2026-03-02T09:30:00.000Z',
    mine: {
      ...row,
      entity: 'invitation',
      id: 'i-mine',
      email: 'sam@example.com',
      roleId: 'user',
      roleName: 'User',
      status: 'pending',
    },
    error: {
      code: 'conflict',
      message: 'sam@example.com has an invitation already.',
      field: 'email',
      key: 'invitation.exists',
      args: { email: 'sam@example.com' },
    },
    server: [
      {
        ...row,
        entity: 'invitation',
        id: 'i-theirs',
        email: 'sam@example.com',
        roleId: 'administrator',
        roleName: 'Administrator',
        status: 'pending',
      },
    ],
    repeatable: true,
  },
];

/** answer makes the window's bindings answer conflicts and mark the first rows of each list. */
async function answer(page: Page, list: unknown[]) {
  await page.evaluate((list) => {
    // biome-ignore lint/suspicious/noExplicitAny: the bindings' global, as Wails defines it
    const go = (window as any).go.app;
    go.Conflicts.FindConflicts = async () => list;
    const users = go.Users.FindDirectory;
    go.Users.FindDirectory = async (p: unknown) => {
      const page = await users(p);
      page.entries.forEach((e: { sync: string }, i: number) => {
        e.sync = i === 0 ? 'conflict' : i < 3 ? 'waiting' : '';
      });
      return page;
    };
    const invitations = go.Invitations.FindInvitations;
    go.Invitations.FindInvitations = async (p: unknown) => {
      const page = await invitations(p);
      page.entries.forEach((e: { sync: string }, i: number) => {
        e.sync = i === 0 ? 'conflict' : i < 3 ? 'waiting' : '';
      });
      return page;
    };
  }, list);
}

async function open(page: Page, hash: string, heading: string) {
  await page.evaluate((h) => {
    window.location.hash = h;
  }, hash);
  await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible();
}

test('Conflicts and the lists’ sync marks, in English and German', async ({ page }) => {
  await expect(page.getByRole('button', { name: 'Account menu of Ada Admin' })).toBeVisible();
  await open(page, '#/admin/sync/conflicts', 'Conflicts');
  await expect(page.getByRole('heading', { name: 'No conflicts' })).toBeVisible();
  await screens(page, 'conflicts-empty');

  await answer(page, conflicts);
  await open(page, '#/admin/users', 'Users');
  await open(page, '#/admin/sync/conflicts', 'Conflicts');
  await expect(page.getByRole('region', { name: 'Invited a user' })).toContainText('sam@example.com');
  await screens(page, 'conflicts');
  await page
    .getByRole('region', { name: 'Invited a user' })
    .getByRole('button', { name: 'Apply again' })
    .click();
  await expect(page.getByRole('dialog', { name: 'Apply again' }).getByLabel(/Email address/)).toHaveValue(
    'sam@example.com',
  );
  await screens(page, 'conflicts-apply-again');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  await open(page, '#/admin/users', 'Users');
  await expect(page.getByRole('img', { name: 'In conflict — see Sync → Conflicts' })).toHaveCount(1);
  await expect(page.getByRole('img', { name: 'Waiting for sync' }).first()).toBeVisible();
  await screens(page, 'users-sync-marks');
  await open(page, '#/admin/invitations', 'Invitations');
  await expect(page.getByRole('img', { name: 'In conflict — see Sync → Conflicts' })).toHaveCount(1);
  await screens(page, 'invitations-sync-marks');

  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  await open(page, '#/admin/sync/conflicts', 'Konflikte');
  await expect(page.getByRole('region', { name: 'Benutzer eingeladen' })).toBeVisible();
  await screens(page, 'conflicts-de');
  await open(page, '#/admin/users', 'Benutzer');
  await expect(
    page.getByRole('img', { name: 'In Konflikt – siehe Synchronisierung → Konflikte' }),
  ).toHaveCount(1);
  await screens(page, 'users-sync-marks-de');
});
