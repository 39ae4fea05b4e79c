/*
 * The environments' changing actions (request, extend, destroy) through Backstage's actions
 * registry over HTTP, in a whole test backend (testBackend.ts: the real registry, the permission
 * backend with the OPA module and a real OPA on policies/, the plugin on SQLite, people and teams
 * from catalog/org.yaml), with a root logger that keeps every line (the auditor writes through
 * it): a viewer's refusals name the permission and the policy's reason and change nothing; extend
 * and destroy answer as the service decides; each audit event says the change came through an
 * action. An API-only replica (runs.concurrency 0): requests stay queued.
 */
import { capturingRootLogger } from '../__testUtils__/secretLeakFixtures';
import {
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from '../__testUtils__/testBackend';

const VIEWER_REASON = /your roles \(viewer\) only allow reading/;

/** A workspace request of payments (dev's and fatima's team). */
const workspace = (name: string) => ({
  name,
  blueprint: 'workspace',
  owner: 'group:default/payments',
  variables: { service: 'orders' },
});

describe('environments actions: refusals, extend, destroy and audit', () => {
  let env: EnvironmentsTestBackend;
  const logger = capturingRootLogger();
  const invoke = (user: string, name: string, input: object) =>
    env.invoke(user, name, input);
  /** dev's environment, requested through the action (queued). */
  let queued: { id: string; state: string };
  const stateOf = async (id: string) => (await env.store.get(id)).state;

  /** The plugin's audit events (succeeded) about environment `id`, as [eventId, meta]. */
  const auditsOf = (id: string) =>
    logger.logged
      .map(line => JSON.parse(line))
      .filter(
        l =>
          l.meta?.plugin === 'environments' &&
          l.meta?.status === 'succeeded' &&
          l.meta?.meta?.environment === id,
      )
      .map(l => [l.meta.eventId, l.meta.meta] as [string, any]);

  beforeAll(async () => {
    env = await startEnvironmentsBackend({
      name: 'environments-actions-changes-',
      environments: { runs: { concurrency: 0 } },
      rootLogger: logger.feature,
    });
    const res = await invoke('dev', 'request-environment', workspace('dev-ws'));
    if (res.status !== 200)
      throw new Error(`request: ${res.status} ${JSON.stringify(res.body)}`);
    queued = res.body.output.environment;
  }, 60_000);
  afterAll(() => env?.stop());

  it("refuses a viewer's request with the permission and the policy's reason, and stores nothing", async () => {
    expect(queued.state).toBe('queued');
    const before = await env.rows();
    const res = await invoke('vic', 'request-environment', {
      ...workspace('vic-ws'),
      owner: 'group:default/partners',
    });
    expect(res.status).toBe(403);
    const { message } = res.body.error;
    expect(message).toMatch(
      /^environments\.environment\.create is not allowed for user:default\/vic: /,
    );
    expect(message).toMatch(VIEWER_REASON);
    // the same refusal as through REST
    const rest = await env.post('vic', '/environments', {
      ...workspace('vic-ws'),
      owner: 'group:default/partners',
    });
    expect(rest.status).toBe(403);
    expect(rest.body.error.message).toBe(message);
    expect(await env.rows()).toEqual(before);
  });

  it("refuses a viewer's destroy of dev's environment and leaves it as it was", async () => {
    const before = await env.rows();
    const history = await env.store.history.page(queued.id, { limit: 50 });
    const res = await invoke('vic', 'destroy-environment', { id: queued.id });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /^environments\.environment\.delete is not allowed for user:default\/vic: /,
    );
    expect(res.body.error.message).toMatch(VIEWER_REASON);
    // another team's developer is refused too (the condition: the owning team)
    const chloe = await invoke('chloe', 'destroy-environment', {
      id: queued.id,
    });
    expect(chloe.status).toBe(403);
    expect(chloe.body.error.message).toMatch(
      /^environments\.environment\.delete is not allowed for user:default\/chloe/,
    );
    expect(await stateOf(queued.id)).toBe('queued');
    expect(await env.store.history.page(queued.id, { limit: 50 })).toEqual(
      history,
    );
    expect(await env.rows()).toEqual(before);
  });

  it('answers extend of an environment that is not active with a 409 naming its state, and bad input with a 400', async () => {
    const res = await invoke('dev', 'extend-environment', {
      id: queued.id,
      hours: 2,
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'only an active environment can be extended; this one is queued',
    );

    const bad = async (name: string, input: object) => {
      const r = await invoke('dev', name, input);
      expect(r.status).toBe(400);
      return JSON.stringify(r.body.error);
    };
    for (const name of [
      'get-environment',
      'extend-environment',
      'destroy-environment',
    ]) {
      const error = await bad(name, { id: 'not-a-uuid', hours: 2 });
      expect(error).toContain(
        `Invalid input to action \\"environments:${name}`,
      );
      expect(error).toContain('uuid');
    }
    expect(await bad('extend-environment', { id: queued.id })).toContain(
      'hours',
    );
    expect(
      await bad('extend-environment', { id: queued.id, hours: 1.5 }),
    ).toContain('hours: must be a whole number of hours');
    expect(await stateOf(queued.id)).toBe('queued');
  });

  it('extends an active environment as REST does, within the blueprint maximum', async () => {
    const res = await invoke('dev', 'request-environment', workspace('ext-ws'));
    expect(res.status).toBe(200);
    const { id } = res.body.output.environment;
    const expiresAt = new Date(Date.now() + 3600_000);
    await env.store.transition(id, 'provisioning', { actor: 'test' });
    await env.store.transition(id, 'active', {
      actor: 'test',
      patch: { expiresAt },
    });
    const extended = await invoke('fatima', 'extend-environment', {
      id,
      hours: 2,
    });
    expect(extended.status).toBe(200);
    expect(extended.body.output.environment).toMatchObject({
      id,
      state: 'active',
      expiresAt: new Date(expiresAt.getTime() + 2 * 3600_000).toISOString(),
    });
    const over = await invoke('dev', 'extend-environment', { id, hours: 800 });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toMatch(
      /^hours: extending by 800 would make the environment live \d+ hours, over workspace's maximum of 720/,
    );
    expect((await env.store.get(id)).expiresAt!.toISOString()).toBe(
      extended.body.output.environment.expiresAt,
    );
    expect(auditsOf(id)).toEqual(
      expect.arrayContaining([
        ['environment-extend', expect.objectContaining({ via: 'action' })],
      ]),
    );
  });

  it('destroys as dev: the environment goes to destroying with a destroy run', async () => {
    const res = await invoke('dev', 'destroy-environment', { id: queued.id });
    expect(res.status).toBe(200);
    expect(res.body.output.environment).toMatchObject({
      id: queued.id,
      state: 'destroying',
    });
    expect(await stateOf(queued.id)).toBe('destroying');
    const runs = await env.store.runs.list(queued.id);
    expect(runs.map(r => r.kind)).toContain('destroy');
    // once destroying, a second destroy is a conflict, not a second run
    const again = await invoke('dev', 'destroy-environment', {
      id: queued.id,
    });
    expect(again.status).toBe(409);
    expect(await env.store.runs.list(queued.id)).toHaveLength(runs.length);
  });

  it("audits the action's changes with via: 'action' (and REST's with via: 'rest')", async () => {
    const audits = auditsOf(queued.id);
    const byEvent = Object.fromEntries(audits);
    expect(byEvent['environment-request']).toMatchObject({
      via: 'action',
      actor: 'user:default/dev',
      state: 'queued',
    });
    expect(byEvent['environment-destroy']).toMatchObject({
      via: 'action',
      actor: 'user:default/dev',
      state: 'destroying',
    });
    // every event of the action's own (besides the state changes, which audit the store's)
    expect(
      audits
        .filter(([eventId]) => eventId !== 'environment-state-change')
        .map(([eventId, meta]) => [eventId, meta.via]),
    ).toEqual([
      ['environment-request', 'action'],
      ['environment-destroy', 'action'],
    ]);

    const rest = await env.post('dev', '/environments', workspace('rest-ws'));
    expect(rest.status).toBe(201);
    expect(
      Object.fromEntries(auditsOf(rest.body.environment.id))[
        'environment-request'
      ],
    ).toMatchObject({ via: 'rest', actor: 'user:default/dev' });
  });
});
