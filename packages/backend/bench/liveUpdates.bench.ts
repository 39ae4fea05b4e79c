/*
 * Live updates benchmark (bench/live-updates.sh, against the portal that scripts/start serves):
 * an environment page open in Chromium, signed in (guest, a payments developer), with Backstage
 * signals, against the same page with its signals WebSocket refused, so that it polls as every
 * page did before signals (the environment every 2 s).
 *
 *   - latency: from a state change committed in the database (the answer of POST …/destroy) to
 *     the page showing the new state, p50 and p90 of BENCH_ROUNDS (default 10) workspace
 *     sandboxes per method, each provisioned, opened, then destroyed;
 *   - load: the requests one open page of an active environment makes to the backend in
 *     BENCH_IDLE_SECONDS (default 30), per minute.
 *
 * Appends a dated section to docs/benchmarks.md (BENCH_OUT elsewhere). Not a pass/fail test.
 */
import {
  appendBenchmarkSection,
  describeMachine,
} from '@internal/backend-test-utils';
import { Browser, chromium, Page } from 'playwright-core';

const APP = process.env.PLAYWRIGHT_URL ?? 'http://localhost:7007';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const METHODS = ['signals', 'polling'] as const;
type Method = (typeof METHODS)[number];

jest.setTimeout(60 * 60_000);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

/** Opens the portal as guest; the token the app sends, and the backend's origin. */
async function signIn(page: Page) {
  const seen = page.waitForRequest(
    r => r.url().includes('/api/environments/') && !!r.headers().authorization,
  );
  await page.goto(`${APP}/environments`);
  await page.getByRole('button', { name: 'Enter' }).click();
  const request = await seen;
  return {
    authorization: request.headers().authorization,
    backend: new URL(request.url()).origin,
  };
}

async function waitForState(
  api: (path: string, method?: string) => Promise<any>,
  id: string,
  states: string[],
) {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const { environment } = await api(`/environments/${id}`);
    if (states.includes(environment.state)) return environment.state;
    if (Date.now() > deadline)
      throw new Error(`${id} is ${environment.state}, not ${states}`);
    await new Promise(r => setTimeout(r, 500));
  }
}

/** One method: the latencies of ROUNDS destroys, and the requests of an idle page per minute. */
async function measure(browser: Browser, method: Method) {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (method === 'polling')
    await page.routeWebSocket(/\/api\/signals/, ws => ws.close());
  const { authorization, backend } = await signIn(page);
  const api = async (path: string, httpMethod = 'GET', body?: object) => {
    const res = await fetch(`${backend}/api/environments${path}`, {
      method: httpMethod,
      headers: { authorization, 'content-type': 'application/json' },
      body: body && JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${httpMethod} ${path}: ${res.status}`);
    return res.json();
  };
  const create = async (name: string) => {
    const { environment } = await api('/environments', 'POST', {
      name,
      blueprint: 'workspace',
      owner: 'group:default/payments',
      ttlHours: 1,
    });
    await waitForState(api, environment.id, ['active']);
    await page.goto(`${APP}/environments/${environment.id}`);
    await page.getByLabel('state active').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1_000); // the signals socket (re)connected and subscribed
    return environment.id as string;
  };

  const latencies: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const id = await create(`bench-live-${method}-${Date.now().toString(36)}`);
    await api(`/environments/${id}/destroy`, 'POST');
    const committed = performance.now();
    await page
      .getByLabel(/^state (destroying|destroyed)$/)
      .waitFor({ timeout: 30_000 });
    latencies.push(performance.now() - committed);
    await waitForState(api, id, ['destroyed', 'quarantined']);
  }

  const id = await create(`bench-idle-${method}-${Date.now().toString(36)}`);
  let requests = 0;
  page.on('request', r => {
    if (new URL(r.url()).pathname.startsWith('/api/')) requests++;
  });
  await page.waitForTimeout(IDLE_SECONDS * 1000);
  const perMinute = (requests * 60) / IDLE_SECONDS;
  await api(`/environments/${id}/destroy`, 'POST');
  await context.close();
  return { latencies, perMinute };
}

describe('live updates: signals against polling, in the browser', () => {
  it('measures the time to show a state change and the requests of an open page', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic'],
    });
    const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
    try {
      for (const method of METHODS)
        results[method] = await measure(browser, method);
    } finally {
      await browser.close();
    }
    const { signals, polling } = results;
    const row = (method: Method) => {
      const r = results[method];
      return `| ${method} | ${quantile(r.latencies, 0.5).toFixed(
        0,
      )} | ${quantile(r.latencies, 0.9).toFixed(0)} | ${r.perMinute.toFixed(
        1,
      )} |`;
    };
    const p50 = (m: Method) => quantile(results[m].latencies, 0.5);
    const section = [
      `## Live updates, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${describeMachine()}. The portal as scripts/start serves it (SQLite, the built`,
      'app on :7007), an environment page in Chromium signed in as guest. Latency: from the answer of',
      `POST …/destroy (the state change is committed) to the page showing \`destroying\`, ${ROUNDS}`,
      'workspace sandboxes per method. Load: every request an open page of an active environment',
      `made to /api/ in ${IDLE_SECONDS} s. Polling is the same page with its signals WebSocket refused:`,
      'it then polls as every page did before signals (the environment every 2 s).',
      '',
      '| method | p50 ms | p90 ms | requests a minute, page open and idle |',
      '| --- | --- | --- | --- |',
      row('signals'),
      row('polling'),
      '',
      `Ratio signals ÷ polling: latency p50 ${(
        p50('signals') / p50('polling')
      ).toFixed(2)}; requests ${(
        signals.perMinute / Math.max(polling.perMinute, 1e-9)
      ).toFixed(2)}.`,
      '',
    ].join('\n');
    appendBenchmarkSection(section);
    // the measurement happened (not a pass/fail threshold)
    expect(signals.latencies).toHaveLength(ROUNDS);
    expect(polling.latencies).toHaveLength(ROUNDS);
  });
});
