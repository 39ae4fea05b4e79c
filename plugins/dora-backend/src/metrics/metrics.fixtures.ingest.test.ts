/*
 * The five DORA metrics on hand-computed fixtures: every delivery normalised (processed, or ignored
 * with the reason), deployment frequency, and change lead time with its drill-down. On PostgreSQL
 * 15 and SQLite (TestDatabases), over the scenario of src/__testUtils__/metricsScenario.ts (GitHub
 * payloads stored as raw deliveries, normalised by the processor, attributed with a component index
 * built from catalog entities, linked, then measured). Every expected number is worked out by hand
 * in the comments.
 */
import {
  AT,
  fixtureDatabases,
  metricsScenario,
  PAY,
  sha,
} from '../__testUtils__/metricsScenario';

const databases = fixtureDatabases();

describe.each(databases.eachSupportedId())(
  'DORA metrics on hand-computed fixtures (ingest, frequency and lead time), on %p',
  databaseId => {
    const s = metricsScenario(databases, databaseId);
    const { metrics } = s;

    it('normalises every delivery: processed, or ignored with the reason', async () => {
      const ignored = await s.store.deliveries.list({
        status: 'ignored',
        limit: 50,
        offset: 0,
      });
      expect(ignored.map(d => d.reason).sort()).toEqual([
        'GitHub event star is not used for DORA metrics',
        'issue is not labelled as an incident (incident)',
      ]);
      expect(
        await s.store.deliveries.list({
          status: 'failed',
          limit: 50,
          offset: 0,
        }),
      ).toEqual([]);
      // 20 deliveries in the scenario (2 of them ignored) + the redelivery with a new id = 21 stored:
      // 18 + 1 = 19 processed, 2 ignored; the replay of the same id was not stored again
      expect(await s.store.deliveries.count()).toEqual({
        processed: 19,
        ignored: 2,
      });
    });

    it('deployment frequency: 5 successful production deployments in 30 days', async () => {
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
      });
      // D1 5 h, D2 26 h, D3 30 h, D4 42 h, D5 45 h; not the staging one (25 h), not the failed one (35 h),
      // and D2's two redeliveries are one deployment.
      // per day 5 / 30 = 0.1667; per week 5 / (30 / 7) = 1.1667; 2024: >= 1/7 a day -> high
      expect(m.metrics.deploymentFrequency).toMatchObject({
        sampleSize: 5,
        insufficientData: false,
        level: 'high',
      });
      expect(m.metrics.deploymentFrequency.value).toBeCloseTo(5 / 30, 10);
      expect(m.metrics.deploymentFrequency.details.perWeek).toBeCloseTo(
        5 / (30 / 7),
        10,
      );
      expect(m.metrics.deploymentFrequency.details.bucket).toBe(
        'daily-to-weekly',
      );
    });

    it('change lead time: squash merge from PR opened, changes between deployments kept, first deployment', async () => {
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
      });
      // D1 (5 h): c1 5 - 0 = 5, c2 5 - 2 = 3            (first deployment)
      // D2 (26 h): s7 26 - 10 = 16 (PR opened at 10 h), c3 26 - 21 = 5, c4 26 - 23 = 3
      // D3 (30 h): c5 30 - 28 = 2;  D4 (42 h): c6 42 - 40 = 2;  D5 is a rollback and ships nothing
      // sorted: 2 2 3 3 5 5 16 -> n = 7, median = 3 h; p90 at rank 6 * 0.9 = 5.4: 5 + (16 - 5) * 0.4 = 9.4 h
      expect(m.metrics.changeLeadTime).toMatchObject({
        sampleSize: 7,
        value: 3,
        level: 'elite',
      });
      expect(m.metrics.changeLeadTime.details.p90Hours).toBeCloseTo(9.4, 10);

      const drill = await metrics().getDrillDown({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
        metric: 'changeLeadTime',
      });
      const rows = drill.rows.map(r =>
        r.type === 'change'
          ? [r.change.sha, r.deploymentId, r.linkedBy, r.leadTimeHours]
          : r.type,
      );
      expect(rows).toEqual([
        [sha('c1'), 'github-acme:1', 'first-deployment', 5],
        [sha('c2'), 'github-acme:1', 'deployed-sha', 3],
        [sha('s7'), 'github-acme:2', 'pull-request-merge', 16],
        [sha('c3'), 'github-acme:2', 'between-deployments', 5],
        [sha('c4'), 'github-acme:2', 'deployed-sha', 3],
        [sha('c5'), 'github-acme:3', 'deployed-sha', 2],
        [sha('c6'), 'github-acme:4', 'deployed-sha', 2],
      ]);
    });
  },
);
