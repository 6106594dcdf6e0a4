import type { Locator, Page } from '@playwright/test';
import { expect, openAdminSection, screens, screenshot, test } from './fixtures';

// Fit and finish at the default window size (1280×800, the config's viewport)
// with realistic data, in English and German: the texts an administrator
// must read are never cut off. A text is cut off when an element's content is
// wider (or taller) than its box: scrollWidth > clientWidth.

test.use({ demoData: 300 });
// Four screens in two languages; the English ones in two schemes checked by axe.
test.setTimeout(240_000);

/** clipped returns the texts of the cells under `cells` whose content does not fit in them. */
async function clipped(cells: Locator): Promise<string[]> {
  return cells.evaluateAll((all) =>
    all.flatMap((cell) => {
      const boxes = [cell, ...Array.from(cell.querySelectorAll('*'))].filter(
        (el): el is HTMLElement => el instanceof HTMLElement && el.clientWidth > 0,
      );
      const cut = boxes.some(
        (el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1,
      );
      return cut ? [`${cell.tagName} "${cell.textContent?.trim()}"`] : [];
    }),
  );
}

/** wrapped returns the texts under `els` that take more than one line. */
async function wrapped(els: Locator): Promise<string[]> {
  return els.evaluateAll((all) =>
    all.flatMap((el) => {
      // The lines of its text (icons beside the text do not count).
      const tops = new Set<number>();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of Array.from(range.getClientRects())) tops.add(Math.round(r.top / 4));
      }
      return tops.size > 1 ? [el.textContent?.trim() ?? ''] : [];
    }),
  );
}

interface Texts {
  users: string;
  usersTable: string;
  inviteUser: string;
  invitations: string;
  invitationsTable: string;
  delivery: string;
  audit: string;
  auditTable: string;
  from: string;
  datePlaceholder: string;
  locale: string;
  noEntries: string;
}

const en: Texts = {
  users: 'Users',
  usersTable: 'Users and invitations',
  inviteUser: 'Invite user',
  invitations: 'Invitations',
  invitationsTable: 'Invitations',
  delivery: 'Delivery',
  audit: 'Audit log',
  auditTable: 'Audit log',
  from: 'From',
  datePlaceholder: 'dd/mm/yyyy',
  locale: 'en-GB',
  noEntries: 'No entries match',
};

const de: Texts = {
  users: 'Benutzer',
  usersTable: 'Benutzer und Einladungen',
  inviteUser: 'Benutzer einladen',
  invitations: 'Einladungen',
  invitationsTable: 'Einladungen',
  delivery: 'Zustellung',
  audit: 'Protokoll',
  auditTable: 'Protokoll',
  from: 'Von',
  datePlaceholder: 'TT.MM.JJJJ',
  locale: 'de-DE',
  noEntries: 'Keine passenden Einträge',
};

async function section(page: Page, name: string) {
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

async function checkScreens(page: Page, lang: 'en' | 'de', x: Texts) {
  // Both schemes with axe in English; the German screens get theirs in
  // screens-de.spec.ts, so here they are only pictured (the checks of what
  // is cut off do not depend on the scheme).
  const look = (name: string) => (lang === 'en' ? screens(page, name) : screenshot(page, name));
  // Users: the longest names and addresses of the demo data, every column.
  await section(page, x.users);
  const users = page.getByRole('table', { name: x.usersTable });
  await page.getByRole('searchbox').fill('zimmermann');
  await expect(users.locator('tbody tr[data-index]').first()).toContainText(/zimmermann/i);
  expect(await clipped(users.locator('tbody tr[data-index] td')), `${lang} Users cells`).toEqual([]);
  expect(await clipped(users.locator('thead th')), `${lang} Users headers`).toEqual([]);
  expect(await wrapped(users.locator('thead th span')), `${lang} Users headers on one line`).toEqual([]);
  await look(`fit-${lang}-users`);
  // The Invite user menu's entries stay on one line.
  await page.getByRole('button', { name: x.inviteUser }).click();
  const items = page.getByRole('menuitem');
  await expect(items).toHaveCount(2);
  expect(await wrapped(items), `${lang} Invite user menu`).toEqual([]);
  await screens(page, `fit-${lang}-invite-menu`);
  await page.keyboard.press('Escape');

  // Invitations: addresses, role badges and the mail server's answers of
  // failed deliveries (sorted first), every column but the actions.
  await section(page, x.invitations);
  const invitations = page.getByRole('table', { name: x.invitationsTable });
  await page.getByRole('columnheader', { name: x.delivery }).getByRole('button').click();
  await expect(invitations.locator('tbody')).toContainText('550 5.1.1');
  // Every cell but the actions, and the mail server's answers under their rows.
  const cells = invitations.locator('tbody tr[data-state] td:not(:last-child), tbody tr[data-answer-of] td');
  expect(await cells.count()).toBeGreaterThan(200);
  expect(await clipped(cells), `${lang} Invitations cells`).toEqual([]);
  expect(await clipped(invitations.locator('thead th')), `${lang} Invitations headers`).toEqual([]);
  expect(
    await wrapped(invitations.locator('thead th span')),
    `${lang} Invitations headers on one line`,
  ).toEqual([]);
  // The row actions stay buttons of their own colours in both schemes.
  await look(`fit-${lang}-invitations`);

  // Audit log: who did what to whom.
  await section(page, x.audit);
  const audit = page.getByRole('table', { name: x.auditTable });
  await expect(audit.locator('tbody tr').first()).toBeVisible();
  expect(await clipped(audit.locator('tbody tr td')), `${lang} Audit log cells`).toEqual([]);
  // Its date filters are written like the dates they filter, in the window's language.
  const from = page.getByRole('textbox', { name: x.from });
  await expect(from).toHaveAttribute('placeholder', x.datePlaceholder);
  const today = new Intl.DateTimeFormat(x.locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date());
  await from.fill(today);
  await expect(audit.locator('tbody tr').first()).toBeVisible();
  const tomorrow = new Intl.DateTimeFormat(x.locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  }).format(new Date(Date.now() + 24 * 3600 * 1000));
  await from.fill(tomorrow);
  await expect(page.getByText(x.noEntries)).toBeVisible();
  await from.fill('');
  await expect(audit.locator('tbody tr').first()).toBeVisible();
  await look(`fit-${lang}-audit`);
}

test('nothing important is cut off at 1280×800, in English and German, light and dark', async ({ page }) => {
  await openAdminSection(page, 'Users');
  await checkScreens(page, 'en', en);

  await page.getByRole('button', { name: 'Account menu of Ada Admin' }).click();
  await page.getByRole('menuitem', { name: 'Deutsch' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Protokoll' })).toBeVisible();
  await checkScreens(page, 'de', de);
});
