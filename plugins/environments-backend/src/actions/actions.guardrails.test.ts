/*
 * The guardrails through an action as through the REST API (testBackend.ts: the real actions
 * registry, the permission backend with the OPA module and a real OPA on policies/, the plugin on
 * SQLite, people and teams from catalog/org.yaml): a TTL over a developer's limit waits for
 * approval with the same reasons, a TTL over the blueprint's maximum and a team over its quota are
 * refused with the same message, and a misspelt field is a 400 through both. An API-only replica
 * (runs.concurrency 0): requests stay queued.
 */
import {
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from '../__testUtils__/testBackend';

/** A workspace request of payments (dev's and fatima's team). */
const workspace = (name: string, fields: object = {}) => ({
  name,
  blueprint: 'workspace',
  owner: 'group:default/payments',
  variables: { service: 'orders' },
  ...fields,
});

/** An environment without what differs between two requests, nor the REST answer's version. */
const comparable = ({
  id: _id,
  name: _name,
  createdAt: _c,
  updatedAt: _u,
  version: _v,
  ...rest
}: Record<string, unknown>) => rest;

describe('environments actions: the guardrails, as through the REST API', () => {
  let env: EnvironmentsTestBackend;
  const invoke = (user: string, name: string, input: object) =>
    env.invoke(user, name, input);

  beforeAll(async () => {
    env = await startEnvironmentsBackend({
      name: 'environments-actions-guardrails-',
      environments: { runs: { concurrency: 0 } },
    });
  }, 60_000);
  afterAll(() => env?.stop());

  it('gives a TTL over the developer limit the same pending_approval and reasons as REST, and refuses one over the blueprint maximum alike', async () => {
    // workspace: 168 hours for a developer (policies/portal/guardrails), 720 at most (blueprint.yaml)
    const rest = await env.post(
      'dev',
      '/environments',
      workspace('long-rest', { ttlHours: 200 }),
    );
    expect(rest.status).toBe(202);
    expect(rest.body.reasons).toEqual([
      'a TTL of 200 hours is over the 168 hours a developer may set, so a platform engineer approves it',
    ]);
    const res = await invoke(
      'dev',
      'request-environment',
      workspace('long', { ttlHours: 200 }),
    );
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      environment: { state: 'pending_approval', ttlHours: 200 },
      waitingForApproval: true,
      reasons: rest.body.reasons,
    });
    expect(comparable(res.body.output.environment)).toEqual(
      comparable(rest.body.environment),
    );

    const before = await env.rows();
    const over = workspace('too-long', { ttlHours: 800 });
    const restOver = await env.post('dev', '/environments', over);
    const actionOver = await invoke('dev', 'request-environment', over);
    expect([restOver.status, actionOver.status]).toEqual([400, 400]);
    expect(actionOver.body.error.message).toBe(restOver.body.error.message);
    expect(restOver.body.error.message).toBe(
      "ttlHours: 800 is over workspace's maximum of 720 hours",
    );
    // and a misspelt field is a 400, as through REST, not a request with the default TTL
    const typo = { ...workspace('typo'), ttl: 8 };
    const restTypo = await env.post('dev', '/environments', typo);
    const actionTypo = await invoke('dev', 'request-environment', typo);
    expect([restTypo.status, actionTypo.status]).toEqual([400, 400]);
    expect(JSON.stringify(actionTypo.body.error)).toContain('ttl');
    expect(await env.rows()).toEqual(before);
  });

  it("refuses a request over the team's quota with the same message through both", async () => {
    // storefront (chloe's team) at its quota of 5 (policies/portal/guardrails/data.yaml)
    for (let i = 1; i <= 5; i++) {
      const filled = await env.post('chloe', '/environments', {
        name: `shop-${i}`,
        blueprint: 'workspace',
        owner: 'group:default/storefront',
      });
      expect(filled.status).toBe(201);
    }
    const sixth = (name: string) => ({
      name,
      blueprint: 'workspace',
      owner: 'group:default/storefront',
    });
    const rest = await env.post('chloe', '/environments', sixth('shop-rest'));
    const res = await invoke('chloe', 'request-environment', sixth('shop-6'));
    expect([rest.status, res.status]).toEqual([403, 403]);
    expect(res.body.error.message).toBe(rest.body.error.message);
    expect(res.body.error.message).toBe(
      'the request was refused by the guardrails: team group:default/storefront is at its quota of 5 environments (5 running)',
    );
    // both are recorded as refused, as the refusal rate limit counts them
    const rejected = await env
      .knex('environments')
      .where({ owner: 'group:default/storefront', state: 'rejected' })
      .orderBy('name')
      .pluck('name');
    expect(rejected).toEqual(['shop-6', 'shop-rest']);
  });
});
