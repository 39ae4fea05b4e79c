/*
 * The metrics (GET /metrics, /metrics/drilldown, /benchmarks) through the plugin in a test backend
 * (SQLite), on a deployment stored through a signed GitHub webhook: the five metrics, the rows
 * behind them, grading by the organisation's own benchmark, and 4xx answers naming the field.
 */
import { githubPayloads } from '../seed/githubPayloads';
import {
  as,
  DoraTestBackend,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

describe('metricsRouter', () => {
  let dora: DoraTestBackend;
  const get = (url: string, query: object = {}) =>
    dora
      .api()
      .get(`/api/dora${url}`)
      .query(query)
      .set('Authorization', as('dev'));
  const q = {
    entity: 'component:default/payments-api',
    window: 1,
    at: '2026-03-02T00:00:00Z',
  };

  beforeAll(async () => {
    dora = await startDoraBackend();
    // payments-api deploys once in the day before 2026-03-02
    const gh = githubPayloads(
      'acme/payments-api',
      new Date('2026-03-01T00:00:00Z'),
    );
    const d = gh.deploymentStatus(500, { sha: 'b'.repeat(40), atH: 1 });
    const res = await dora.github(
      'deployment_status',
      'deploy-1',
      JSON.stringify(d.body),
    );
    if (res.status !== 202) throw new Error(`deploy-1: ${res.status}`);
    await dora.settled();
  }, 60_000);

  afterAll(() => dora?.stop());

  it('answers the five metrics and the rows behind one', async () => {
    const m = await get('/metrics', { ...q, window: 7 });
    expect(m.status).toBe(200);
    expect(Object.keys(m.body.metrics).sort()).toEqual([
      'changeFailureRate',
      'changeLeadTime',
      'deploymentFrequency',
      'deploymentReworkRate',
      'failedDeploymentRecoveryTime',
    ]);
    expect(m.body.metrics.deploymentFrequency).toMatchObject({
      sampleSize: 1,
      details: { deployments: 1 },
    });
    const drill = await get('/metrics/drilldown', {
      ...q,
      window: 7,
      metric: 'deploymentFrequency',
    });
    expect(drill.body.rows).toEqual([
      expect.objectContaining({
        type: 'deployment',
        counted: ['deployment'],
        deployment: expect.objectContaining({
          id: 'github-acme:500',
          teamRef: 'group:default/payments',
        }),
      }),
    ]);
  });

  it("grades with the organisation's own benchmark from config, and lists the benchmarks", async () => {
    const list = await get('/benchmarks');
    expect(list.body.default).toBe('2024');
    expect(list.body.items.map((b: any) => b.name)).toEqual([
      '2023',
      '2024',
      'acme',
    ]);
    // 1 a day is elite in the 2024 table (at least once a day), only medium against acme's 10 and 5
    const by2024 = await get('/metrics', q);
    expect(by2024.body.metrics.deploymentFrequency).toMatchObject({
      value: 1,
      level: 'elite',
    });
    const byAcme = await get('/metrics', { ...q, benchmark: 'acme' });
    expect(byAcme.body).toMatchObject({
      benchmark: 'acme',
      metrics: { deploymentFrequency: { value: 1, level: 'medium' } },
    });
  });

  it('refuses metrics without credentials, and bad queries with a 4xx naming the field', async () => {
    expect((await dora.api().get('/api/dora/metrics?entity=org')).status).toBe(
      401,
    );
    const window = await get('/metrics', { entity: 'org', window: 400 });
    expect(window.status).toBe(400);
    expect(window.body.error.message).toBe('window: must be at most 366');
    const entity = await get('/metrics', { entity: 'user:default/dev' });
    expect(entity.status).toBe(400);
    expect(entity.body.error.message).toMatch(
      /^entity: must be org, a component ref/,
    );
    const unknown = await get('/metrics', {
      entity: 'component:default/nope',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/^entity: /);
    const metric = await get('/metrics/drilldown', {
      entity: 'org',
      metric: 'mttr',
    });
    expect(metric.status).toBe(400);
    expect(metric.body.error.message).toMatch(
      /^metric: must be one of deploymentFrequency/,
    );
    const benchmark = await get('/metrics', { ...q, benchmark: 'nope' });
    expect(benchmark.status).toBe(400);
    expect(benchmark.body.error.message).toMatch(/^benchmark: must be one of/);
    const org = await get('/metrics', { entity: 'org', window: 30 });
    expect(org.status).toBe(200);
    expect(Object.keys(org.body.metrics)).toHaveLength(5);
    const limit = await get('/benchmarks', { limit: 'many' });
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toMatch(/^limit: /);
  });
});
