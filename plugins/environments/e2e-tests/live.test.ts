import { APIRequestContext, expect, Page, test } from '@playwright/test';

/**
 * Live updates through Backstage signals, in the browser: with the Environments list open, a
 * developer requests a workspace sandbox; the list shows it, its link opens its page within the
 * app, and the page shows `active` and the apply log's last line without being reloaded (a marker
 * set on the window before the request survives), while the page
 * holds its signals WebSocket (/api/signals) open. Every request the page makes to
 * /api/environments/ is recorded: once the environment is active, a quiet 10 seconds bring no
 * request for it (no polling while signals are connected), and during provisioning the page asked
 * for the environment no more often than signals told it of a change.
 * Runs against the portal that scripts/start serves (SQLite, real OPA and OpenTofu).
 */

interface Seen {
  at: number;
  method: string;
  url: string;
}

/** The developer's token, as the app sends it to the backend, and the backend's address. */
async function sessionOf(page: Page) {
  const seen = page.waitForRequest(
    r => r.url().includes('/api/environments/') && !!r.headers().authorization,
  );
  await page.goto('/environments');
  const enter = page.getByRole('button', { name: 'Enter' });
  if (
    await enter.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    )
  )
    await enter.click();
  const request = await seen;
  return {
    authorization: request.headers().authorization,
    backend: new URL(request.url()).origin,
  };
}

/** The last line of a run's stored log, through the REST API. */
async function lastLogLine(
  api: APIRequestContext,
  base: string,
  headers: Record<string, string>,
  runId: string,
) {
  let after = 0;
  let last = '';
  for (;;) {
    const page = await (
      await api.get(`${base}/runs/${runId}/logs?after=${after}`, { headers })
    ).json();
    if (page.items.length === 0) return last;
    last = page.items[page.items.length - 1].message;
    after = page.items[page.items.length - 1].seq;
    if (!page.nextCursor) return last;
  }
}

test('the environment page goes live through signals: active and the last log line without reload or polling', async ({
  page,
  request: api,
}) => {
  test.setTimeout(300_000);
  const name = `live-${Date.now().toString(36)}`;

  // What the page asks of the environments API, and what its signals WebSocket receives.
  const requests: Seen[] = [];
  page.on('request', r => {
    if (r.url().includes('/api/environments/'))
      requests.push({ at: Date.now(), method: r.method(), url: r.url() });
  });
  const sockets: Array<{ closed: boolean; frames: number[] }> = [];
  const frames: Array<{ at: number; message: any }> = [];
  page.on('websocket', ws => {
    if (!ws.url().includes('/api/signals')) return;
    const socket = { closed: false, frames: [] as number[] };
    sockets.push(socket);
    ws.on('close', () => (socket.closed = true));
    ws.on('framereceived', f => {
      const json = JSON.parse(String(f.payload));
      if (json.channel === 'environments')
        frames.push({ at: Date.now(), message: json.message });
    });
  });

  const { authorization, backend } = await sessionOf(page);
  const headers = { authorization };

  // The page is the Environments list, its signals connection open. Nothing reloads it from here.
  await page.evaluate(() => {
    (window as any).__liveMarker = 'not reloaded';
  });
  await expect.poll(() => sockets.some(s => !s.closed)).toBe(true);
  const created = await api.post(`${backend}/api/environments/environments`, {
    headers,
    data: {
      name,
      blueprint: 'workspace',
      owner: 'group:default/payments',
      size: 'medium',
    },
  });
  expect(created.status()).toBe(201);
  const id: string = (await created.json()).environment.id;
  const base = `${backend}/api/environments/environments/${id}`;

  try {
    // the list shows it without a reload (a signal), and its link opens the page in the app
    await page.getByRole('link', { name, exact: true }).click();
    await expect(
      page.getByRole('heading', { name, exact: true }),
    ).toBeVisible();

    await expect(page.getByLabel('state active')).toBeVisible({
      timeout: 180_000,
    });
    const runs = (await (await api.get(`${base}/runs`, { headers })).json())
      .items;
    const apply = runs.find((r: any) => r.kind === 'apply');
    expect(apply).toBeDefined();
    const log = page.getByLabel('Log of the apply run');
    await expect(async () => {
      const last = await lastLogLine(api, base, headers, apply.id);
      expect(last).not.toBe('');
      await expect(log).toContainText(last, { timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    expect(await page.evaluate(() => (window as any).__liveMarker)).toBe(
      'not reloaded',
    );

    // The signals connection is up, and it told the page of this environment's changes.
    expect(sockets.some(s => !s.closed)).toBe(true);
    await expect
      .poll(() =>
        frames.filter(f => f.message.id === id).map(f => f.message.state),
      )
      .toContain('active');
    const ofThis = frames.filter(f => f.message.id === id);

    // During provisioning: no more GETs of the environment than signals of its changes (+ the first).
    const detailPath = `/api/environments/environments/${id}`;
    const detailGets = requests.filter(
      r => r.method === 'GET' && new URL(r.url).pathname === detailPath,
    );
    const changes = ofThis.filter(
      f => 'state' in f.message || 'runState' in f.message,
    );
    expect(detailGets.length).toBeGreaterThanOrEqual(1);
    expect(detailGets.length).toBeLessThanOrEqual(changes.length + 1);

    // A quiet 10 seconds once everything is shown: no request for the environment that does not
    // follow a signal (within 2 s), and with no signal, none at all.
    await page.waitForTimeout(2_000);
    const start = Date.now();
    await page.waitForTimeout(10_000);
    const inWindow = requests.filter(
      r => r.at >= start && r.url.includes(`/environments/${id}`),
    );
    const unprompted = inWindow.filter(
      r => !frames.some(f => f.at <= r.at && r.at - f.at <= 2_000),
    );
    expect({ unprompted, socketsOpen: sockets.some(s => !s.closed) }).toEqual({
      unprompted: [],
      socketsOpen: true,
    });
    if (!frames.some(f => f.at >= start)) expect(inWindow).toEqual([]);
  } finally {
    await api.post(`${base}/destroy`, { headers });
  }
});

test('while the signals connection is down, the environments list polls', async ({
  page,
}) => {
  // the portal's signals endpoint refuses every connection, as a proxy that drops WebSockets would
  await page.routeWebSocket(/\/api\/signals/, ws => ws.close());
  const lists: number[] = [];
  page.on('request', r => {
    const url = new URL(r.url());
    if (
      r.method() === 'GET' &&
      url.pathname === '/api/environments/environments'
    )
      lists.push(Date.now());
  });
  await sessionOf(page);
  await expect(
    page
      .getByRole('main')
      .getByRole('heading', { name: 'Environments', exact: true }),
  ).toBeVisible();
  const start = Date.now();
  await page.waitForTimeout(12_000);
  // the list's fallback interval is 5 s: two or three loads in 12 s, none while connected
  expect(lists.filter(at => at >= start).length).toBeGreaterThanOrEqual(2);
});
