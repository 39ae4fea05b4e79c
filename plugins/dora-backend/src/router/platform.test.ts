/*
 * Platform metrics (GET /platform/template-adoption, /platform/time-to-first-deploy) and
 * POST /template-runs through the plugin in a test backend (SQLite): a run recorded by a service,
 * read back by a user; 4xx answers name the field.
 */
import {
  as,
  asService,
  DoraTestBackend,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

describe('platformRouter', () => {
  let dora: DoraTestBackend;
  const run = {
    taskId: 'task-1',
    templateRef: 'Template:default/node-service',
    createdBy: 'user:default/dev',
    teamRef: 'group:default/payments',
    status: 'completed',
    componentRef: 'component:default/payments-api',
    createdAt: new Date(Date.now() - 3600_000).toISOString(),
  };
  const record = (body: object, auth = asService()) =>
    dora
      .api()
      .post('/api/dora/template-runs')
      .set('Authorization', auth)
      .send(body);
  const get = (url: string, query: object = {}) =>
    dora
      .api()
      .get(`/api/dora${url}`)
      .query(query)
      .set('Authorization', as('dev'));

  beforeAll(async () => {
    dora = await startDoraBackend();
  }, 60_000);

  afterAll(() => dora?.stop());

  it('records a template run from a service, and answers adoption and time to first deploy', async () => {
    const res = await record(run);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ taskId: 'task-1' });
    const adoption = await get('/platform/template-adoption', { window: 1 });
    expect(adoption.status).toBe(200);
    expect(adoption.body.items).toEqual([
      {
        templateRef: 'template:default/node-service',
        teamRef: 'group:default/payments',
        runs: 1,
        succeeded: 1,
      },
    ]);
    const other = await get('/platform/template-adoption', {
      window: 1,
      team: 'group:default/storefront',
    });
    expect(other.body.items).toEqual([]);
    const ttfd = await get('/platform/time-to-first-deploy', { window: 1 });
    expect(ttfd.body.items).toEqual([
      expect.objectContaining({
        taskId: 'task-1',
        componentRef: 'component:default/payments-api',
      }),
    ]);
    // not deployed since the run
    expect(ttfd.body.items[0].firstDeployedAt).toBeUndefined();
  });

  it('takes runs from services only, and answers a bad run or query with a 400 naming the field', async () => {
    expect((await record({ ...run, taskId: 'task-2' }, as('dev'))).status).toBe(
      403,
    );
    for (const [body, message] of [
      [
        { ...run, templateRef: 'node-service' },
        'templateRef: must be a template entity ref',
      ],
      [{ ...run, extra: 1 }, 'extra: is not a field of this request'],
      [{ ...run, status: 'done' }, /^status: /],
    ] as const) {
      const res = await record({ ...body, taskId: 'task-3' });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.error.message).toMatch(message);
    }
    for (const [url, query, message] of [
      [
        '/platform/template-adoption',
        { team: 'payments' },
        'team: must be a group entity ref',
      ],
      [
        '/platform/time-to-first-deploy',
        { window: 0 },
        'window: must be at least 1',
      ],
      [
        '/platform/time-to-first-deploy',
        { at: 'yesterday' },
        'at: must be an ISO 8601 time with a zone',
      ],
    ] as const) {
      const res = await get(url, query);
      expect({ url, query, status: res.status }).toEqual({
        url,
        query,
        status: 400,
      });
      expect(res.body.error.message).toBe(message);
    }
    expect(
      (await get('/platform/template-adoption', { window: 1 })).body.items,
    ).toEqual([expect.objectContaining({ runs: 1 })]);
  });
});
