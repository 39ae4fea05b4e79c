/*
 * Fuzzing the dora JSON API (issue 11): generated POST /events requests (fast-check, fixed seed),
 * then generated query strings of the list endpoints (over the rows those events left), and a limit
 * above the largest page on every list endpoint, through the real router in a test backend
 * (src/__testUtils__/fuzzBackend.ts). Properties, for every request: no 5xx; every 4xx body names the
 * field; nothing is stored for a refused request; no page is longer than its limit.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import fc from 'fast-check';
import { MAX_PAGE_SIZE } from './limits';
import { as, fuzzBackend, RUNS, SEED } from './__testUtils__/fuzzBackend';
import { eventsRequest, listRequest } from './__testUtils__/fuzzApiArbitraries';

describe('fuzzing the dora HTTP API (seeded, in-process): JSON API and lists', () => {
  const { api, check, post, raw, requests } = fuzzBackend();

  it(`JSON API: ${RUNS.events} generated POST /events`, async () => {
    const before = requests();
    await fc.assert(
      fc.asyncProperty(eventsRequest, async r => {
        await post(
          `events ${r.contentType} ${r.contentEncoding} ${r.body
            .toString('utf8')
            .slice(0, 200)}`,
          () => {
            const t = raw(api().post('/api/dora/events')).set(
              'Authorization',
              mockCredentials.service.header(),
            );
            if (r.contentType) t.set('Content-Type', r.contentType);
            if (r.contentEncoding) t.set('Content-Encoding', r.contentEncoding);
            if (r.idempotencyKey !== undefined)
              t.set('Idempotency-Key', r.idempotencyKey);
            return t.send(r.body);
          },
        );
      }),
      { seed: SEED, numRuns: RUNS.events },
    );
    // every generated request was sent and checked
    expect(requests() - before).toBe(RUNS.events);
  }, 300_000);

  it(`list endpoints: ${RUNS.lists} generated query strings`, async () => {
    const before = requests();
    await fc.assert(
      fc.asyncProperty(listRequest, async r => {
        const query = Object.entries(r.query).filter(
          ([, v]) => v !== undefined,
        ) as [string, string][];
        const res = await api()
          .get(`/api/dora${r.path}`)
          .query(Object.fromEntries(query))
          .set('Authorization', as('dev'));
        check(res, `GET ${r.path} ${JSON.stringify(r.query)}`);
        // a page (a 200 with a list) holds at most `limit` rows; a change failure rate drill-down
        // adds the incidents of its deployments
        const rows =
          res.status === 200 ? res.body.items ?? res.body.rows : undefined;
        const paged = Array.isArray(rows)
          ? rows.filter(
              (x: any) =>
                x.type !== 'incident' || r.path !== '/metrics/drilldown',
            )
          : [];
        expect(paged.length).toBeLessThanOrEqual(
          Array.isArray(rows)
            ? Number((r.query as { limit?: string }).limit ?? 100)
            : 0,
        );
      }),
      { seed: SEED, numRuns: RUNS.lists },
    );
    expect(requests() - before).toBe(RUNS.lists);
  }, 300_000);

  it('a limit above the largest page is a 400 naming limit, on every list endpoint', async () => {
    for (const p of [
      '/deliveries',
      '/benchmarks',
      '/scorecards/teams',
      '/scorecards/definitions',
      '/platform/template-adoption',
      '/platform/time-to-first-deploy',
      '/metrics/drilldown?entity=org&metric=changeLeadTime&',
    ]) {
      const res = await api()
        .get(
          `/api/dora${p}${p.includes('?') ? '' : '?'}limit=${
            MAX_PAGE_SIZE + 1
          }`,
        )
        .set('Authorization', as('dev'));
      check(res, p);
      expect([p, res.status, res.body.error.message]).toEqual([
        p,
        400,
        `limit: must be at most ${MAX_PAGE_SIZE} (the largest page)`,
      ]);
    }
  });
});
