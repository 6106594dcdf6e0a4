import { defineConfig } from '@playwright/test';

// End-to-end tests drive Debian's Chromium against the dev-tagged Roster
// binary (real Go backend, real SQLite file). `make e2e` builds the binary and
// runs this under Xvfb; see e2e/fixtures.ts.
export default defineConfig({
  testDir: 'e2e',
  outputDir: '../test-results/e2e',
  // Generous: make test runs builds beside the browser on two cores. Each
  // wait still ends as soon as its condition holds.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  // Two spec files at a time, each test with its own Roster (binary, port,
  // database, home): a test waits on its window, browser and backend much
  // of the time, so two use the 2 cores' time better (the whole run: 10
  // minutes instead of 16). Tests in one file still run in order.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    locale: 'en-GB',
    viewport: { width: 1280, height: 800 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
      ],
    },
  },
});
