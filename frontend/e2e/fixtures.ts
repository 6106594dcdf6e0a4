import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Locator, type Page } from '@playwright/test';

// The repository root, and the dev-tagged binary `make e2e` builds.
export const root = path.resolve(import.meta.dirname, '..', '..');
const binary = process.env.ROSTER_DEV_BINARY ?? path.join(root, 'build', 'bin', 'roster-dev');
export const screensDir = path.join(root, 'test-results', 'screens');

/** A Roster instance: the dev binary on its own port, database and home directory. */
export interface Roster {
  url: string;
  dir: string;
  dbPath: string;
  /** exportsDir is where the app's save dialogs save (ROSTER_E2E_DIALOG_DIR of the dev build). */
  exportsDir: string;
  /** run runs the binary once with extra arguments (e.g. to seed data) against the same database. */
  run: (...args: string[]) => string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** logFile is where a Roster started with env(dir) writes its JSON log. */
export function logFile(dir: string): string {
  return path.join(dir, 'cache', 'Roster', 'logs', 'roster.log');
}

/**
 * waitForWindow waits until the dev server answers and the desktop window has
 * loaded its page: calls made before the window's main loop runs go unanswered.
 */
async function waitForWindow(url: string, dir: string, proc: ChildProcess, output: () => string) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`roster-dev exited with ${proc.exitCode}:\n${output()}`);
    const log = existsSync(logFile(dir)) ? readFileSync(logFile(dir), 'utf8') : '';
    if (log.includes('"msg":"window ready"')) {
      const res = await fetch(url).catch(() => undefined);
      if (res?.ok) return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`roster-dev was not ready on ${url} within 30 s:\n${output()}`);
}

function env(dir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    XDG_CACHE_HOME: path.join(dir, 'cache'),
    XDG_DATA_HOME: path.join(dir, 'data'),
    ROSTER_DB: path.join(dir, 'roster.db'),
    LANG: 'en_GB.UTF-8',
    ...extra,
  };
}

/** startRoster starts the dev binary; the caller stops it with the returned function. */
export async function startRoster(seed?: (r: Roster) => void): Promise<[Roster, () => Promise<void>]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'roster-e2e-'));
  mkdirSync(path.join(dir, 'config'), { recursive: true });
  const port = await freePort();
  const exportsDir = path.join(dir, 'exports');
  mkdirSync(exportsDir, { recursive: true });
  const roster: Roster = {
    url: `http://127.0.0.1:${port}/`,
    dir,
    dbPath: path.join(dir, 'roster.db'),
    exportsDir,
    run: (...args) => execFileSync(binary, args, { env: env(dir), encoding: 'utf8', timeout: 120_000 }),
  };
  seed?.(roster);
  let output = '';
  const proc = spawn(binary, [], {
    env: env(dir, {
      devserver: `127.0.0.1:${port}`,
      assetdir: path.join(root, 'frontend', 'dist'),
      ROSTER_E2E_DIALOG_DIR: exportsDir,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so that stopping it also stops WebKit's processes.
    detached: true,
  });
  proc.stdout?.on('data', (d) => {
    output += d;
  });
  proc.stderr?.on('data', (d) => {
    output += d;
  });
  await waitForWindow(roster.url, dir, proc, () => output);
  const stop = async () => {
    if (proc.exitCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      const group = -(proc.pid ?? 0);
      process.kill(group, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (proc.exitCode === null) process.kill(group, 'SIGKILL');
    }
    // WebKit's web process may still be writing its cache for a moment after
    // the app exits; retry, and never fail a test over a temp dir.
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (e) {
      console.warn(`could not remove ${dir}: ${e}`);
    }
  };
  return [roster, stop];
}

/** screenshot saves the page as test-results/screens/<name>.png for a human to look at. */
export async function screenshot(page: Page, name: string) {
  mkdirSync(screensDir, { recursive: true });
  await page.screenshot({ path: path.join(screensDir, `${name}.png`), fullPage: false });
}

/** settle waits for transitions (modals, drawers, notifications) to finish before a picture or a check. */
async function settle(page: Page) {
  await page.waitForTimeout(350);
}

/**
 * screens saves the page in the light and the dark scheme (<name>.png and
 * <name>-dark.png) and fails on serious or critical axe violations in either.
 */
export async function screens(page: Page, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', scheme);
    await settle(page);
    await screenshot(page, scheme === 'light' ? name : `${name}-dark`);
    await expectAccessible(page, `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** expectAccessible fails on serious or critical axe-core violations in the page as it is. */
export async function expectAccessible(page: Page, what: string) {
  // Colours read during a fade-in are blends: wait for running transitions first.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY) // not spinners
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map(
    (v) =>
      `${v.impact} ${v.id}: ${v.help}\n${v.nodes
        .slice(0, 5)
        .map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.replace(/\n/g, ' ')}`)
        .join('\n')}`,
  );
  expect(report, `axe-core on ${what}`).toEqual([]);
}

/** completeSetup fills the first-run screen. */
export async function completeSetup(
  page: Page,
  org = 'Example Ltd',
  name = 'Ada Admin',
  email = 'ada@example.com',
) {
  await page.getByLabel('Organisation name').fill(org);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Your email address').fill(email);
  await page.getByRole('button', { name: 'Set up Roster' }).click();
  await expect(page.getByRole('button', { name: `Account menu of ${name}` })).toBeVisible();
}

/**
 * openAdminSection follows the guide: click your name at the bottom left,
 * select Admin Settings, then the section in the sidebar.
 */
export async function openAdminSection(page: Page, section: string, name = 'Ada Admin') {
  await page.getByRole('button', { name: `Account menu of ${name}` }).click();
  await page.getByRole('menuitem', { name: 'Admin Settings' }).click();
  await page.getByRole('link', { name: section, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: section, exact: true })).toBeVisible();
}

/** openInviteOne opens Users → Invite user → Invite one user (on the Users screen) and returns the dialog. */
export async function openInviteOne(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Invite user' }).click();
  await page.getByRole('menuitem', { name: 'Invite one user' }).click();
  return page.getByRole('dialog', { name: 'Invite one user' });
}

type Options = {
  /** demoData seeds the database with `--demo-data N` before Roster starts (Ada Admin is the administrator). */
  demoData: number | undefined;
};
type WorkerFixtures = {
  /** demoDatabase returns a database seeded with N demo users, made once per worker and copied per test. */
  demoDatabase: (n: number) => string;
};
type Fixtures = { roster: Roster };

/** test gives each test a fresh Roster and opens it in the page. */
export const test = base.extend<Fixtures & Options, WorkerFixtures>({
  demoData: [undefined, { option: true }],
  demoDatabase: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads the fixtures a fixture needs from this pattern
    async ({}, use) => {
      const dir = mkdtempSync(path.join(tmpdir(), 'roster-demo-'));
      const made = new Map<number, string>();
      await use((n) => {
        const done = made.get(n);
        if (done) return done;
        const db = path.join(dir, `demo-${n}.db`);
        execFileSync(binary, ['--demo-data', String(n)], {
          env: { ...env(dir), ROSTER_DB: db },
          encoding: 'utf8',
          timeout: 300_000,
        });
        made.set(n, db);
        return db;
      });
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 300_000 },
  ],
  roster: [
    async ({ page, demoData, demoDatabase }, use, testInfo) => {
      const seed = demoData
        ? (r: Roster) => {
            const template = demoDatabase(demoData);
            for (const suffix of ['', '-wal', '-shm']) {
              if (existsSync(template + suffix)) copyFileSync(template + suffix, r.dbPath + suffix);
            }
          }
        : undefined;
      const [roster, stop] = await startRoster(seed);
      const pageErrors: string[] = [];
      const consoleLines: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e.stack ?? e.message));
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      try {
        await page.goto(roster.url);
        await use(roster);
      } finally {
        await stop();
        if (testInfo.status !== testInfo.expectedStatus) {
          await testInfo.attach('browser-console', {
            body: consoleLines.join('\n'),
            contentType: 'text/plain',
          });
          console.log(consoleLines.join('\n'));
        }
      }
      // An uncaught exception in the window is a failure even when the screen looked right.
      expect(pageErrors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
