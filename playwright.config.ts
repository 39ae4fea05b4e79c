import { defineConfig } from '@playwright/test';
import { generateProjects } from '@backstage/e2e-test-utils/playwright';

/**
 * Browser end-to-end tests. scripts/test starts the portal (scripts/start) and points
 * PLAYWRIGHT_URL at it; Chromium comes from Debian's packages, since Playwright cannot
 * download its own browsers on these machines.
 */
export default defineConfig({
  timeout: 90_000,
  expect: { timeout: 30_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'e2e-test-report' }],
  ],
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    // a click or fill on an element that never comes fails in time, naming it, rather than at the test's timeout
    actionTimeout: 45_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  outputDir: 'node_modules/.cache/e2e-test-results',
  // Every package with an e2e-tests folder, in Debian's Chromium rather than the Chrome channel.
  projects: generateProjects().map(({ use, ...project }) => {
    const { channel: _channel, ...rest } = use ?? {};
    return { ...project, use: rest };
  }),
});
