import { ResponseError } from '@backstage/errors';
import { DoraClient, MetricsBatchError } from './DoraClient';

function response(status: number, body: unknown) {
  return {
    ok: status >= 200 && status < 300,
    status,
    statusText: status === 404 ? 'Not Found' : 'Error',
    url: 'http://localhost:7007/api/dora/x',
    headers: {
      get: (h: string) =>
        h.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    json: async () => body,
    text: async () => JSON.stringify(body),
  } as unknown as Response;
}

function client(status: number, body: unknown) {
  const fetch = jest.fn(async (_url: string) => response(status, body));
  const c = new DoraClient({
    discoveryApi: { getBaseUrl: async () => 'http://localhost:7007/api/dora' },
    fetchApi: { fetch: fetch as any },
  });
  return { c, fetch };
}

describe('DoraClient (fetch mocked)', () => {
  it('asks for metrics and drill-downs with the backend query parameters', async () => {
    const { c, fetch } = client(200, { rows: [] });
    await c.getMetrics({
      entity: 'component:default/payments-api',
      windowDays: 7,
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://localhost:7007/api/dora/metrics?entity=component%3Adefault%2Fpayments-api&window=7',
    );
    await c.getDrillDown({
      entity: 'org',
      windowDays: 30,
      at: '2026-03-31T00:00:00.000Z',
      metric: 'changeLeadTime',
      period: 'previous',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://localhost:7007/api/dora/metrics/drilldown?entity=org&window=30&at=2026-03-31T00%3A00%3A00.000Z&metric=changeLeadTime&period=previous&limit=500',
    );
  });

  it('asks for many entities in one POST /metrics/batch, and gives each its value or its own error', async () => {
    const result = { entity: 'org', windowDays: 7, metrics: {} };
    const message =
      'entity: component:default/secret is not in the catalog, or you may not see it';
    const { c, fetch } = client(200, {
      items: [
        { entity: 'org', result },
        {
          entity: 'component:default/secret',
          error: { name: 'NotFoundError', message, statusCode: 404 },
        },
      ],
    });
    const items = await c.getMetricsBatch({
      entities: ['org', 'component:default/secret'],
      windowDays: 7,
      at: '2026-03-31T00:00:00.000Z',
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://localhost:7007/api/dora/metrics/batch',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          entities: ['org', 'component:default/secret'],
          window: 7,
          at: '2026-03-31T00:00:00.000Z',
        }),
      },
    );
    expect(items[0]).toEqual({ entity: 'org', value: result });
    expect(items[1].entity).toBe('component:default/secret');
    expect(items[1].value).toBeUndefined();
    expect(items[1].error).toBeInstanceOf(MetricsBatchError);
    expect(items[1].error).toMatchObject({
      name: 'NotFoundError',
      message,
      statusCode: 404,
    });
    // a refused batch (too many entities) is a ResponseError of the whole request
    const refused = client(400, {
      error: { name: 'InputError', message: 'entities: must name at most 100' },
      response: { statusCode: 400 },
    });
    const error = await refused.c
      .getMetricsBatch({ entities: ['org'], windowDays: 7 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('entities: must name at most 100');
  });

  it('unwraps the items of the platform metrics', async () => {
    const { c, fetch } = client(200, {
      items: [{ templateRef: 't', runs: 1, succeeded: 1 }],
    });
    expect(
      await c.getTemplateAdoption({
        windowDays: 90,
        teamRef: 'group:default/payments',
      }),
    ).toEqual([{ templateRef: 't', runs: 1, succeeded: 1 }]);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://localhost:7007/api/dora/platform/template-adoption?window=90&team=group%3Adefault%2Fpayments&limit=500',
    );
  });

  it('reads a paged list page after page (nextOffset), and joins the rows', async () => {
    const pages: Record<string, unknown> = {
      '': {
        entity: 'org',
        metric: 'deploymentFrequency',
        from: 'a',
        to: 'b',
        rows: [{ n: 1 }, { n: 2 }],
        nextOffset: 500,
      },
      '&offset=500': {
        entity: 'org',
        metric: 'deploymentFrequency',
        from: 'a',
        to: 'b',
        rows: [{ n: 3 }],
      },
    };
    const fetch = jest.fn(async (url: string) =>
      response(200, pages[/&offset=\d+$/.exec(url)?.[0] ?? '']),
    );
    const c = new DoraClient({
      discoveryApi: {
        getBaseUrl: async () => 'http://localhost:7007/api/dora',
      },
      fetchApi: { fetch: fetch as any },
    });
    const result = await c.getDrillDown({
      entity: 'org',
      windowDays: 30,
      metric: 'deploymentFrequency',
    });
    expect(result).toEqual({
      entity: 'org',
      metric: 'deploymentFrequency',
      from: 'a',
      to: 'b',
      rows: [{ n: 1 }, { n: 2 }, { n: 3 }],
    });
    expect(fetch.mock.calls.map(call => call[0])).toEqual([
      'http://localhost:7007/api/dora/metrics/drilldown?entity=org&window=30&metric=deploymentFrequency&limit=500',
      'http://localhost:7007/api/dora/metrics/drilldown?entity=org&window=30&metric=deploymentFrequency&limit=500&offset=500',
    ]);
  });

  it('answers undefined for scorecards the backend does not have (404)', async () => {
    const { c, fetch } = client(404, {
      error: { name: 'NotFoundError', message: 'not found' },
    });
    await expect(
      c.getEntityScorecards('component:default/payments-api'),
    ).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(
      'http://localhost:7007/api/dora/scorecards/entity?entityRef=component%3Adefault%2Fpayments-api',
    );
    await expect(c.getTeamScorecards()).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(
      'http://localhost:7007/api/dora/scorecards/teams?limit=500',
    );
  });

  it('throws a ResponseError for other failures, and for a 404 of metrics', async () => {
    const { c } = client(500, {
      error: { name: 'Error', message: 'boom' },
      response: { statusCode: 500 },
    });
    await expect(
      c.getTeamScorecards('group:default/payments'),
    ).rejects.toBeInstanceOf(ResponseError);
    const notFound = client(404, {
      error: {
        name: 'NotFoundError',
        message: 'entity: x is not in the catalog',
      },
      response: { statusCode: 404 },
    });
    const error = await notFound.c
      .getMetrics({ entity: 'component:default/x', windowDays: 30 })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe('entity: x is not in the catalog');
  });
});
