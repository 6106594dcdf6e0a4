import { defineConfig } from '@playwright/test';

// End-to-end tests of the directory server: Debian's Chromium, driven by
// Playwright, against a real roster-server binary, once on a temporary
// SQLite database and once on a database of its own in a throwaway
// PostgreSQL, with email through mailpit. scripts/e2e-server.sh builds the
// binaries, starts the services and runs this; see server.ts and desktop.ts.
export default defineConfig({
  testDir: '.',
  outputDir: '../../test-results/e2e-server',
  // Each run takes well under a minute; the margin is for a machine busy with other work.
  timeout: 90_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  // The project's name is the server's storage (server.ts: Storage).
  projects: [{ name: 'sqlite' }, { name: 'postgresql' }],
  use: {
    browserName: 'chromium',
    locale: 'en-GB',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
