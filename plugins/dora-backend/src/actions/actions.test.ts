/*
 * The dora actions (get-dora-metrics, get-dora-drilldown, get-scorecard) through the actions
 * registry's HTTP endpoints, as the MCP actions backend calls them on a user's behalf, in a whole
 * portal backend (__testUtils__/portalBackend.ts: the real catalog, the permission backend with
 * a real OPA on policies/, the dora plugin on SQLite): each answers what its REST route answers
 * to the same person, hides a confidential component from another team with the same 404,
 * names the field of a bad input, and refuses when the permission service refuses.
 */
import { as } from '../__testUtils__/doraBackend';
import {
  appConfig,
  PortalBackend,
  startPortalBackend,
} from '../__testUtils__/portalBackend';
import { MAX_PAGE_SIZE, MAX_WINDOW_DAYS } from '../limits';

const ACTIONS = '/api/dora/.backstage/actions/v1/actions';
const AT = '2026-03-02T00:00:00Z';
const LEDGER = 'component:default/ledger-service';
const PAYMENTS = 'component:default/payments-api';

describe('dora actions', () => {
  let portal: PortalBackend;
  const invoke = (user: string, name: string, input: object) =>
    portal
      .api()
      .post(`${ACTIONS}/dora:${name}/invoke`)
      .set('Authorization', as(user))
      .send(input);
  const rest = (user: string, url: string, query: object) =>
    portal
      .api()
      .get(`/api/dora${url}`)
      .query(query)
      .set('Authorization', as(user));

  beforeAll(async () => {
    // dev (payments) sees the confidential ledger-service; chloe (storefront) sees payments-api
    portal = await startPortalBackend([
      ['dev', LEDGER],
      ['chloe', PAYMENTS],
    ]);
    // one production deployment of each, in the day before AT
    for (const [slug, id] of [
      ['acme/payments-api', 501],
      ['acme/ledger-service', 502],
    ] as const)
      await portal.deployGithub(slug, id, 'c'.repeat(40));
    await portal.settled();
    await portal.trigger('dora-scorecards');
  }, 120_000);

  afterAll(() => portal?.stop());

  it("lists the three actions as read-only, from a plugin in app-config.yaml's backend.actions.pluginSources", async () => {
    expect(appConfig().backend.actions.pluginSources).toContain('dora');
    const res = await portal.api().get(ACTIONS).set('Authorization', as('vic'));
    expect(res.status).toBe(200);
    const dora = res.body.actions.filter((a: any) => a.pluginId === 'dora');
    expect(dora.map((a: any) => [a.id, a.attributes])).toEqual(
      ['get-dora-metrics', 'get-dora-drilldown', 'get-scorecard'].map(n => [
        `dora:${n}`,
        { readOnly: true, destructive: false, idempotent: true },
      ]),
    );
    for (const a of dora) {
      expect(a.description).toMatch(/component:default\/ledger-service/);
      expect(a.schema.input).toMatchObject({ type: 'object' });
    }
  });

  it('answers get-dora-metrics as GET /metrics does, for a component, a team and the organisation', async () => {
    for (const query of [
      { entity: PAYMENTS, window: 7, at: AT },
      { entity: 'group:default/payments', window: 7, at: AT },
      { entity: 'org', at: AT, benchmark: '2023' },
    ]) {
      const [action, route] = await Promise.all([
        invoke('dev', 'get-dora-metrics', query),
        rest('dev', '/metrics', query),
      ]);
      expect({ query, status: action.status }).toEqual({ query, status: 200 });
      expect(action.body.output).toEqual(route.body);
      expect(route.body.metrics.deploymentFrequency.sampleSize).toBeGreaterThan(
        0,
      );
    }
  });

  it('answers get-dora-drilldown as GET /metrics/drilldown does, one page at a time', async () => {
    const query = {
      entity: 'org',
      metric: 'deploymentFrequency',
      window: 7,
      at: AT,
      limit: 1,
    };
    const first = await invoke('dev', 'get-dora-drilldown', query);
    expect(first.status).toBe(200);
    expect(first.body.output).toEqual(
      (await rest('dev', '/metrics/drilldown', query)).body,
    );
    expect(first.body.output.rows).toHaveLength(1);
    const offset = first.body.output.nextOffset;
    expect(offset).toBe(1);
    const next = await invoke('dev', 'get-dora-drilldown', {
      ...query,
      offset,
    });
    expect(next.body.output).toEqual(
      (await rest('dev', '/metrics/drilldown', { ...query, offset })).body,
    );
    expect(next.body.output.rows).toHaveLength(1);
    expect(next.body.output.rows[0]).not.toEqual(first.body.output.rows[0]);
  });

  it('answers get-scorecard as GET /scorecards/entity does, with the failing checks listed apart', async () => {
    const action = await invoke('dev', 'get-scorecard', { entityRef: LEDGER });
    const route = await rest('dev', '/scorecards/entity', {
      entityRef: LEDGER,
    });
    expect(action.status).toBe(200);
    const { failing, ...answer } = action.body.output;
    expect(answer).toEqual(route.body);
    expect(route.body.results.length).toBeGreaterThan(0);
    const failed = route.body.results.flatMap((r: any) =>
      r.checks
        .filter((c: any) => c.outcome === 'failed')
        .map((c: any) => ({ scorecard: r.scorecard, id: c.id })),
    );
    expect(failed.length).toBeGreaterThan(0);
    expect(
      failing.map((f: any) => ({ scorecard: f.scorecard, id: f.id })),
    ).toEqual(failed);
  });

  it('hides a confidential component from another team with the 404 of the REST API', async () => {
    for (const [name, url, query] of [
      ['get-dora-metrics', '/metrics', { entity: LEDGER, at: AT }],
      [
        'get-dora-drilldown',
        '/metrics/drilldown',
        { entity: LEDGER, at: AT, metric: 'changeFailureRate' },
      ],
      ['get-scorecard', '/scorecards/entity', { entityRef: LEDGER }],
    ] as const) {
      const refused = await invoke('chloe', name, query);
      const route = await rest('chloe', url, query);
      expect({ name, action: refused.status, route: route.status }).toEqual({
        name,
        action: 404,
        route: 404,
      });
      expect(refused.body.error).toEqual(
        expect.objectContaining({
          name: 'NotFoundError',
          message: route.body.error.message,
        }),
      );
      // its owners see it
      expect((await invoke('dev', name, query)).status).toBe(200);
    }
  });

  it('refuses a bad input with a 400 naming the field, with the message of the REST API', async () => {
    for (const [name, url, query, message] of [
      [
        'get-dora-metrics',
        '/metrics',
        { entity: 'org', window: MAX_WINDOW_DAYS + 1 },
        /^window: must be at most/,
      ],
      [
        'get-dora-metrics',
        '/metrics',
        { entity: 'user:default/dev' },
        /^entity: must be org, a component ref/,
      ],
      [
        'get-dora-metrics',
        '/metrics',
        { entity: 'org', benchmark: 'nope' },
        /^benchmark: must be one of/,
      ],
      [
        'get-dora-drilldown',
        '/metrics/drilldown',
        { entity: 'org', metric: 'changeLeadTime', limit: MAX_PAGE_SIZE + 1 },
        /^limit: must be at most/,
      ],
      [
        'get-scorecard',
        '/scorecards/entity',
        { entityRef: 'not-a-ref' },
        /^entityRef: must be an entity ref/,
      ],
    ] as const) {
      const action = await invoke('dev', name, query);
      const route = await rest('dev', url, query);
      expect({ query, action: action.status, route: route.status }).toEqual({
        query,
        action: 400,
        route: 400,
      });
      expect(action.body.error.message).toMatch(message);
      expect(action.body.error.message).toBe(route.body.error.message);
    }
    // a value of the wrong type or outside an enum is refused by the registry's schema check,
    // whose error names the field in its cause
    for (const [name, input, field] of [
      ['get-dora-drilldown', { entity: 'org', metric: 'mttr' }, 'metric'],
      ['get-dora-metrics', { window: 7 }, 'entity'],
    ] as const) {
      const res = await invoke('dev', name, input);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.cause.message).toContain(`"${field}"`);
    }
  });

  it('refuses a caller without credentials, and refuses what the permission service refuses', async () => {
    const anonymous = await portal
      .api()
      .post(`${ACTIONS}/dora:get-dora-metrics/invoke`)
      .send({ entity: 'org' });
    expect(anonymous.status).toBe(401);
    // OPA stops answering: the permission service falls back to opa.fallback of app-config.yaml,
    // which denies dora.metrics.read, and both the route and the action give its 403
    await portal.stopOpa();
    for (const [name, url, query] of [
      ['get-dora-metrics', '/metrics', { entity: 'org' }],
      [
        'get-dora-drilldown',
        '/metrics/drilldown',
        { entity: 'org', metric: 'deploymentFrequency' },
      ],
      ['get-scorecard', '/scorecards/entity', { entityRef: PAYMENTS }],
    ] as const) {
      const action = await invoke('dev', name, query);
      const route = await rest('dev', url, query);
      expect({ name, action: action.status, route: route.status }).toEqual({
        name,
        action: 403,
        route: 403,
      });
      expect(action.body.error).toEqual(
        expect.objectContaining({
          name: 'NotAllowedError',
          message: 'dora.metrics.read is not allowed',
        }),
      );
      expect(route.body.error.message).toBe(action.body.error.message);
    }
  });
});
