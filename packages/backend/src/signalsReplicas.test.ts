/*
 * Live updates across replicas: two production backends (__testUtils__/productionBackend.ts: the
 * image's plugin set and config, PostgreSQL, a real OPA, real OpenTofu) on the same databases, as
 * two replicas behind a load balancer. dev signs in through the local forge on replica A; a
 * WebSocket client, authenticated as the browser's signals client does (the Backstage token as
 * the WebSocket subprotocol), connects to replica B's /api/signals and subscribes to the
 * `environments` channel. dev requests a workspace sandbox through replica A's REST API: the
 * signals that the environments plugin publishes on A (or on whichever replica's worker runs the
 * apply) reach the browser on B through the events backend's PostgreSQL store.
 */
import { testForge } from '@internal/backend-test-utils';
import { freePort } from '@internal/plugin-platform-node';
import WebSocket from 'ws';
import {
  BOOT_TIMEOUT_MS,
  dbPrefix,
  productionEnv,
  run,
  startProductionStack,
} from './__testUtils__/productionBackend';
import {
  forgeOAuthApp,
  signIn,
  signInEnv,
  tokenOf,
} from './__testUtils__/signInOverHttp';

jest.setTimeout(5 * BOOT_TIMEOUT_MS);

const forge = testForge();
const ACTIVE_WITHIN_MS = 240_000;

interface Received {
  at: number;
  channel: string;
  message: Record<string, unknown>;
}

/** A signals client of the portal at `base` as `token`'s user, subscribed to `channel`. */
async function signalsClient(base: string, token: string, channel: string) {
  const received: Received[] = [];
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/signals`, [
    token,
  ]);
  ws.on('message', data => {
    const json = JSON.parse(String(data));
    received.push({ at: Date.now(), ...json });
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) =>
      reject(new Error(`signals answered ${res.statusCode}`)),
    );
  });
  ws.send(JSON.stringify({ action: 'subscribe', channel }));
  return {
    ws,
    received,
    /** The first message after `from` (an index) that `test` accepts. */
    async next(test: (r: Received) => boolean, ms: number, from = 0) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const found = received.slice(from).find(test);
        if (found) return found;
        await new Promise(r => setTimeout(r, 100));
      }
      throw new Error(
        `no such signal within ${ms} ms; received: ${JSON.stringify(received)}`,
      );
    },
  };
}

describe('signals across two replicas on PostgreSQL', () => {
  let stack: Awaited<ReturnType<typeof startProductionStack>>;
  let app: Awaited<ReturnType<typeof forgeOAuthApp>> | undefined;
  let portA: number;
  let portB: number;

  beforeAll(async () => {
    stack = await startProductionStack();
    portA = await freePort();
    portB = await freePort();
    app = await forgeOAuthApp(forge, 'portal-signals-test', [portA, portB]);
  });

  afterAll(async () => {
    await app?.delete();
    await stack?.stop();
  });

  it('delivers the environments signals of a request made on replica A to a browser connected to replica B, with ids and states only', async () => {
    // The same secrets and databases for both: only the address differs.
    const envA: Record<string, string> = {
      ...productionEnv(portA, stack.opa.url),
      ...signInEnv(forge, app!),
      APP_CONFIG_backend_database_prefix: `${dbPrefix}signals_`,
    };
    const envB: Record<string, string> = {
      ...envA,
      PORTAL_BASE_URL: `http://127.0.0.1:${portB}`,
      APP_CONFIG_backend_listen: `127.0.0.1:${portB}`,
    };
    const name = `live-${Date.now().toString(36)}`;
    const outcome = await run(envA, baseA =>
      run(envB, async baseB => {
        const token = tokenOf((await signIn(forge, baseA, 'dev')).message);
        const browser = await signalsClient(baseB, token, 'environments');
        try {
          // A replica joins the events bus a moment after it is ready, and an event published
          // before it joined is not kept for it. So dev requests sandboxes on A until a signal
          // committed on A (requested or queued, at admission) reaches B; at most 3, 30 s each.
          const request = async (attempt: number) => {
            const res = await fetch(`${baseA}/api/environments/environments`, {
              method: 'POST',
              headers: {
                Authorization: `Bearer ${token}`,
                'Content-Type': 'application/json',
              },
              body: JSON.stringify({
                name: `${name}-${attempt}`,
                blueprint: 'workspace',
                owner: 'group:default/payments',
                size: 'small',
              }),
            });
            const created = await res.json();
            if (res.status !== 201)
              throw new Error(
                `request: ${res.status} ${JSON.stringify(created)}`,
              );
            return created.environment.id as string;
          };
          let id = '';
          let first: Received | undefined;
          for (let attempt = 1; !first && attempt <= 3; attempt++) {
            id = await request(attempt);
            const thisId = id;
            first = await browser
              .next(
                r =>
                  r.channel === 'environments' &&
                  r.message.id === thisId &&
                  ['requested', 'queued'].includes(String(r.message.state)),
                30_000,
              )
              .catch(() => undefined);
          }
          if (!first)
            throw new Error(
              `no signal of 3 requests on A reached B; B received: ${JSON.stringify(
                browser.received,
              )}`,
            );
          const forId = (r: Received) =>
            r.channel === 'environments' && r.message.id === id;
          const active = await browser.next(
            r => forId(r) && r.message.state === 'active',
            ACTIVE_WITHIN_MS,
          );
          // The run's own signal is published beside the environment's, in either order: wait
          // for it too before reading what arrived.
          await browser
            .next(r => forId(r) && r.message.runState === 'succeeded', 30_000)
            .catch(() => undefined);
          const ofThis = browser.received.filter(forId).map(r => r.message);
          return {
            status: 201,
            first: first.message,
            active: active.message,
            keys: [...new Set(ofThis.map(m => Object.keys(m).sort().join()))],
            states: ofThis.filter(m => m.state).map(m => m.state),
            runStates: ofThis.filter(m => m.runState).map(m => m.runState),
            logSignals: ofThis.filter(m => m.runId && !m.runState).length,
            leaks: JSON.stringify(browser.received).includes(name),
          };
        } finally {
          browser.ws.close();
        }
      }).then(b => {
        if (b.result !== 'ready')
          throw new Error(`replica B did not start: ${b.output.slice(-3000)}`);
        return b.checks!;
      }),
    );
    expect({ replicaA: outcome.result }).toEqual({ replicaA: 'ready' });
    const checks = outcome.checks!;
    expect(checks.status).toBe(201);
    expect(checks.first).toEqual({
      id: expect.any(String),
      state: expect.stringMatching(/^(requested|queued)$/),
      version: 0,
    });
    expect(checks.active).toEqual({
      id: expect.any(String),
      state: 'active',
      version: expect.any(Number),
    });
    expect(checks.states).toEqual(
      expect.arrayContaining(['queued', 'provisioning', 'active']),
    );
    expect(checks.runStates).toEqual(
      expect.arrayContaining(['running', 'succeeded']),
    );
    expect(checks.logSignals).toBeGreaterThan(0);
    // only ids, states and versions: never the environment's name (nor outputs, nor log lines)
    expect(checks.keys).toEqual(expect.arrayContaining(['id,state,version']));
    for (const k of checks.keys as string[])
      expect(['id,state,version', 'id,runId,runState', 'id,runId']).toContain(
        k,
      );
    expect(checks.leaks).toBe(false);
  });
});
