/*
 * Page load benchmark (bench/page-load.sh; asserts nothing about time). Starts the portal twice,
 * each time on a fresh SQLite folder: as `scripts/start` serves it by default (the built app,
 * served by the backend as the production image does) and as `scripts/start --dev` serves it (the
 * frontend's development server). In Chromium, signed in as guest (a payments developer), each
 * page is loaded once in a fresh browser context (cold: empty HTTP cache) and then
 * BENCH_ROUNDS (default 5) times again (warm). For each load: first contentful paint, and the time
 * from the navigation's start until the page's data has rendered (its data-bearing element is
 * visible). Appends a dated section to docs/benchmarks.md (BENCH_OUT elsewhere).
 */
import {
  appendBenchmarkSection,
  describeMachine,
  repoRoot,
} from '@internal/backend-test-utils';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Browser, chromium, Locator, Page } from 'playwright-core';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MODES = (process.env.BENCH_MODES ?? 'built,dev').split(',') as Mode[];
type Mode = 'built' | 'dev';
const URLS: Record<Mode, string> = {
  built: 'http://localhost:7007',
  dev: 'http://localhost:3000',
};
const READY = 'http://localhost:7007/.backstage/health/v1/readiness';

/** The pages measured and the element that shows each one's data has rendered. */
const PAGES: Array<{ name: string; path: string; data: (p: Page) => Locator }> =
  [
    {
      name: 'Catalog (the component list, the landing page)',
      path: '/',
      data: p => p.getByRole('link', { name: 'Payments API', exact: true }),
    },
    {
      name: 'A component page (payments-api)',
      path: '/catalog/default/component/payments-api',
      data: p => p.getByRole('heading', { name: 'Payments API' }).first(),
    },
    {
      name: "A component's DORA tab",
      path: '/catalog/default/component/payments-api/dora',
      data: p =>
        p.getByTestId('value-deploymentFrequency').filter({ hasText: /\d/ }),
    },
    {
      name: 'Environments',
      path: '/environments',
      data: p =>
        p
          .getByText(/^No environments yet/)
          .or(p.getByRole('heading', { name: /^\d+\+? environments?$/ })),
    },
    {
      name: 'Engineering metrics',
      path: '/engineering-metrics',
      data: p =>
        p
          .getByRole('table', { name: 'Teams' })
          .getByRole('row', { name: /Whole organisation/ })
          .filter({ hasText: /\/ day/ }),
    },
  ];

jest.setTimeout(90 * 60_000);

const p50 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function waitFor(url: string, portal: ChildProcess, log: string) {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    if (portal.exitCode !== null)
      throw new Error(`the portal exited; see ${log}`);
    const ok = await fetch(url).then(
      r => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`${url} did not answer; see ${log}`);
    await new Promise(r => setTimeout(r, 2000));
  }
}

// Not Jest's NODE_ENV=test: the portal runs as scripts/start runs it (development, with guest).
const { NODE_ENV: _jestNodeEnv, ...portalEnv } = process.env;

async function startPortal(mode: Mode) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-page-load-'));
  const log = path.join(dataDir, 'portal.log');
  const out = fs.openSync(log, 'w');
  const portal = spawn(
    path.join(repoRoot, 'scripts/start'),
    mode === 'dev' ? ['--dev'] : [],
    {
      cwd: repoRoot,
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...portalEnv, PORTAL_DATA_DIR: dataDir },
    },
  );
  await waitFor(READY, portal, log);
  await waitFor(URLS[mode], portal, log);
  const stop = async () => {
    try {
      process.kill(-portal.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    for (let i = 0; i < 40 && portal.exitCode === null; i++)
      await new Promise(r => setTimeout(r, 500));
    try {
      process.kill(-portal.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return { stop };
}

/** One load of `url`: first contentful paint and data rendered, ms from the navigation's start. */
async function load(page: Page, url: string, data: (p: Page) => Locator) {
  await page.goto(url, { waitUntil: 'commit' });
  await data(page).first().waitFor({ state: 'visible', timeout: 120_000 });
  return page.evaluate(() => ({
    data: performance.now(),
    fcp:
      performance.getEntriesByName('first-contentful-paint')[0]?.startTime ??
      NaN,
  }));
}

interface PageResult {
  cold: { fcp: number; data: number };
  warm: { fcp: number; data: number };
}

async function measureMode(browser: Browser, mode: Mode) {
  const base = URLS[mode];
  // Sign in once (guest), keep the session, and wait until the demo history has been seeded.
  const first = await browser.newContext();
  const page = await first.newPage();
  await page.goto(`${base}/`);
  await page.getByRole('button', { name: 'Enter' }).click();
  // the landing page's data: the guest session is then established (a load before it is not kept)
  await PAGES[0].data(page).first().waitFor({ timeout: 120_000 });
  for (const p of PAGES) {
    for (let attempt = 1; ; attempt++) {
      try {
        await load(page, base + p.path, p.data);
        break;
      } catch (e) {
        if (attempt === 5) throw e;
      }
    }
  }
  const session = await first.storageState();
  await first.close();

  const results: Record<string, PageResult> = {};
  for (const p of PAGES) {
    // a fresh context: the session, but an empty HTTP cache
    const context = await browser.newContext({ storageState: session });
    const tab = await context.newPage();
    const cold = await load(tab, base + p.path, p.data);
    const warm: Array<{ fcp: number; data: number }> = [];
    for (let i = 0; i < ROUNDS; i++)
      warm.push(await load(tab, base + p.path, p.data));
    results[p.name] = {
      cold,
      warm: {
        fcp: p50(warm.map(w => w.fcp)),
        data: p50(warm.map(w => w.data)),
      },
    };
    await context.close();
  }
  return results;
}

it('measures page loads with the built app and with the development server', async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const byMode: Partial<Record<Mode, Record<string, PageResult>>> = {};
  try {
    for (const mode of MODES) {
      const portal = await startPortal(mode);
      try {
        byMode[mode] = await measureMode(browser, mode);
      } finally {
        await portal.stop();
      }
    }
  } finally {
    await browser.close();
  }
  expect(Object.keys(byMode)).toEqual(MODES);

  const s = (ms: number) => (ms / 1000).toFixed(2);
  const cols = MODES.flatMap(m => [
    `${m}: cold FCP s`,
    `${m}: cold data s`,
    `${m}: warm FCP p50 s`,
    `${m}: warm data p50 s`,
  ]);
  const rows = PAGES.map(
    p =>
      `| ${p.name} | ${MODES.flatMap(m => {
        const r = byMode[m]![p.name];
        return [s(r.cold.fcp), s(r.cold.data), s(r.warm.fcp), s(r.warm.data)];
      }).join(' | ')} |`,
  );
  const ratio =
    MODES.includes('dev') && MODES.includes('built')
      ? `\n\nWarm data-rendered p50, built ÷ development server: ${PAGES.map(
          p =>
            `${p.name} ${(
              byMode.built![p.name].warm.data / byMode.dev![p.name].warm.data
            ).toFixed(2)}`,
        ).join('; ')}.`
      : '';
  const section = `${
    [
      `## Page load, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${describeMachine()}. Command: \`bench/page-load.sh\`. Chromium (Debian) through Playwright, signed in as guest; "built" is \`scripts/start\` (the backend serving packages/app/dist on :7007, as the image does), "dev" is \`scripts/start --dev\` (the development server on :3000). Cold: the first load in a fresh browser context (empty HTTP cache); warm: p50 of ${ROUNDS} loads after it. FCP is the first contentful paint; data is the time from the navigation's start until the page's data is on screen. Targets (built, warm): catalog list, DORA tab and Environments ≤ 2 s.`,
      '',
      `| page | ${cols.join(' | ')} |`,
      `| --- | ${cols.map(() => '---:').join(' | ')} |`,
      ...rows,
    ].join('\n') + ratio
  }\n`;
  appendBenchmarkSection(section);
  // eslint-disable-next-line no-console
  console.log(section);
});
