/*
 * The five DORA metrics on hand-computed fixtures: team and organisation, lead time over windows
 * that cut days, insufficient data, trends and benchmark versions. On PostgreSQL 15 and SQLite
 * (TestDatabases), over the scenario of src/__testUtils__/metricsScenario.ts (GitHub payloads stored as
 * raw deliveries, normalised by the processor, attributed with a component index built from catalog
 * entities, linked, then measured). Every expected number is worked out by hand in the comments.
 */
import {
  AT,
  fixtureDatabases,
  metricsScenario,
  PAY,
  T0,
} from '../__testUtils__/metricsScenario';

const databases = fixtureDatabases();

describe.each(databases.eachSupportedId())(
  'DORA metrics on hand-computed fixtures (teams, windows and benchmarks), on %p',
  databaseId => {
    const s = metricsScenario(databases, databaseId);
    const { metrics } = s;

    it('team and organisation: the team is the owner recorded on the rows, the organisation counts every row', async () => {
      const team = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/payments' },
        windowDays: 30,
        at: AT,
      });
      expect(team.metrics.deploymentFrequency.sampleSize).toBe(5);
      expect(team.metrics.changeFailureRate.value).toBe(0.6);
      const org = await metrics().getMetrics({
        entity: { kind: 'org' },
        windowDays: 30,
        at: AT,
      });
      // 5 of payments-api + 1 of a repository the catalog does not know = 6; failed still 3 -> 0.5
      expect(org.metrics.deploymentFrequency.sampleSize).toBe(6);
      expect(org.metrics.changeFailureRate.value).toBe(0.5);
      // lead times: the same 7 changes (the unknown repository's deployment shipped none) -> median 3 h
      expect(team.metrics.changeLeadTime).toMatchObject({
        sampleSize: 7,
        value: 3,
      });
      expect(org.metrics.changeLeadTime).toMatchObject({
        sampleSize: 7,
        value: 3,
      });
    });

    it('lead time over windows that cut days: whole days from the daily rows, the cut days from the links', async () => {
      // window of 1 day ending at 46 h: current [22 h, 46 h) has D2 26 h (s7 16, c3 5, c4 3), D3 30 h (c5 2),
      // D4 42 h (c6 2): sorted 2 2 3 5 16 -> median 3, n 5; p90 at rank 4 * 0.9 = 3.6: 5 + (16 - 5) * 0.6 = 11.6
      // previous [-2 h, 22 h) has D1 5 h (c1 5, c2 3): median (3 + 5) / 2 = 4
      const at = new Date(T0.getTime() + 46 * 3600_000);
      const m = await metrics(1).getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 1,
        at,
      });
      expect(m.metrics.changeLeadTime).toMatchObject({
        value: 3,
        sampleSize: 5,
        previous: { value: 4, sampleSize: 2 },
      });
      expect(m.metrics.changeLeadTime.details.p90Hours).toBeCloseTo(11.6, 10);
      // the daily rows hold exactly the linked changes of each day: 2 on day 0 (D1), 5 on day 1 (D2, D3, D4)
      const days = await s.store
        .db('dora_lead_time_days')
        .where({ scope: `component:${PAY}` })
        .orderBy('day')
        .select('day', 'n');
      expect(
        days.map(d => [Number(d.day) - T0.getTime() / 86400_000, d.n]),
      ).toEqual([
        [0, 2],
        [1, 5],
      ]);
    });

    it('insufficient data below the minimum sample, with no level and no trend', async () => {
      const m = await metrics(3).getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
      });
      // 2 recovery samples < 3
      expect(m.metrics.failedDeploymentRecoveryTime).toMatchObject({
        insufficientData: true,
        level: undefined,
        trend: undefined,
        value: 2.5,
        details: expect.objectContaining({ minimumSample: 3 }),
      });
      expect(m.metrics.changeLeadTime.insufficientData).toBe(false);
    });

    it('trend against the previous window of the same length', async () => {
      // window 1 day ending at 48 h: current [24 h, 48 h) = D2 26, D3 30, D4 42, D5 45 -> 4 a day;
      // previous [0, 24 h) = D1 -> 1 a day: frequency improving.
      // failure rate: current D2, D4, D5 of 4 = 0.75; previous 0 of 1 = 0: worsening.
      const at = new Date(T0.getTime() + 48 * 3600_000);
      const m = await metrics(1).getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 1,
        at,
      });
      expect(m.metrics.deploymentFrequency).toMatchObject({
        value: 4,
        previous: { value: 1, sampleSize: 1 },
        trend: 'improving',
      });
      expect(m.metrics.changeFailureRate).toMatchObject({
        value: 0.75,
        previous: { value: 0, sampleSize: 1 },
        trend: 'worsening',
      });
    });

    it('levels follow the named benchmark version', async () => {
      const m2023 = await metrics().getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
        benchmark: '2023',
      });
      expect(m2023.benchmark).toBe('2023');
      // 2023 recovery: under a day is high, as in 2024; failure rate 0.6 > 15% -> low
      expect(m2023.metrics.changeFailureRate.level).toBe('low');
      await expect(
        metrics().getMetrics({
          entity: { kind: 'org' },
          windowDays: 30,
          at: AT,
          benchmark: '1999',
        }),
      ).rejects.toThrow(/benchmark: must be one of 2023, 2024/);
    });

    it('components with rows: named by componentsWithRows; for any other, emptyMetrics is what getMetrics reads', async () => {
      const q = { windowDays: 30, at: AT };
      const active = await metrics().componentsWithRows(q);
      expect([...active]).toContain(PAY);
      const quiet = {
        kind: 'component' as const,
        ref: 'component:default/quiet',
      };
      expect(active.has(quiet.ref)).toBe(false);
      expect(metrics().emptyMetrics({ ...q, entity: quiet })).toEqual(
        await metrics().getMetrics({ ...q, entity: quiet }),
      );
      // a window before any row: no component
      const before = {
        windowDays: 1,
        at: new Date(T0.getTime() - 3 * 86400_000),
      };
      expect((await metrics().componentsWithRows(before)).size).toBe(0);
      expect(
        metrics().emptyMetrics({
          ...before,
          entity: { kind: 'component', ref: PAY },
        }),
      ).toEqual(
        await metrics().getMetrics({
          ...before,
          entity: { kind: 'component', ref: PAY },
        }),
      );
    });
  },
);
