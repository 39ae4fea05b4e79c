/*
 * The five DORA metrics on hand-computed fixtures: change failure rate, failed deployment recovery
 * time and deployment rework rate, with their drill-downs (paged). On PostgreSQL 15 and SQLite
 * (TestDatabases), over the scenario of src/__testUtils__/metricsScenario.ts (GitHub payloads stored as
 * raw deliveries, normalised by the processor, attributed with a component index built from catalog
 * entities, linked, then measured). Every expected number is worked out by hand in the comments.
 */
import { DrillDownRow } from '@internal/plugin-dora-common';
import {
  AT,
  fixtureDatabases,
  metricsScenario,
  PAY,
} from '../__testUtils__/metricsScenario';
import { DoraMetricsService } from './DoraMetricsService';

/** An incident's state, or what rolled a deployment back. */
const stateOf = (r: DrillDownRow) => {
  if (r.type === 'incident') return r.incident.state;
  if (r.type === 'rollback') return r.rolledBackBy;
  return '';
};

const databases = fixtureDatabases();

describe.each(databases.eachSupportedId())(
  'DORA metrics on hand-computed fixtures (failures, recovery and rework), on %p',
  databaseId => {
    const s = metricsScenario(databases, databaseId);
    const { metrics } = s;

    it('change failure rate: incidents by root-cause sha and time window, and a rollback', async () => {
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
      });
      // failed: D2 (I1, root-cause sha c4), D4 (rolled back by D5), D5 (I2 guessed by time window) -> 3 / 5 = 0.6
      // 2024: above 20% -> low
      expect(m.metrics.changeFailureRate).toMatchObject({
        value: 0.6,
        sampleSize: 5,
        level: 'low',
        details: { failed: 3, deployments: 5 },
      });

      const drill = await metrics().getDrillDown({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
        metric: 'changeFailureRate',
      });
      const failed = drill.rows.flatMap(r =>
        r.type === 'deployment' && r.counted.length > 1
          ? [[r.deployment.id, r.counted[1]]]
          : [],
      );
      expect(failed).toEqual([
        ['github-acme:2', 'failed: incident'],
        ['github-acme:4', 'failed: rolled-back'],
        ['github-acme:5', 'failed: incident'],
      ]);
      const incidents = drill.rows.flatMap(r =>
        r.type === 'incident' ? [[r.incident.id, r.links]] : [],
      );
      expect(incidents).toEqual([
        [
          'github-acme:acme/payments-api#101',
          [
            {
              deploymentId: 'github-acme:2',
              linkedBy: 'root-cause-sha',
              confidence: 'high',
            },
          ],
        ],
        [
          'github-acme:acme/payments-api#102',
          [
            {
              deploymentId: 'github-acme:5',
              linkedBy: 'time-window',
              confidence: 'low',
            },
          ],
        ],
      ]);
    });

    it('failed deployment recovery time: resolved incidents and rollbacks, open incidents apart', async () => {
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
      });
      // I1 29 - 27 = 2 h; D4 rolled back 45 - 42 = 3 h; I2 is open (not a sample) -> median of 2, 3 = 2.5 h
      // 2024: under a day -> high
      expect(m.metrics.failedDeploymentRecoveryTime).toMatchObject({
        value: 2.5,
        sampleSize: 2,
        level: 'high',
        details: { resolvedIncidents: 1, rollbacks: 1, openIncidents: 1 },
      });
      const drill = await metrics().getDrillDown({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
        metric: 'failedDeploymentRecoveryTime',
      });
      expect(
        drill.rows.map(r => [r.type, stateOf(r), (r as any).recoveryHours]),
      ).toEqual([
        ['incident', 'resolved', 2],
        ['incident', 'open', undefined],
        ['rollback', 'github-acme:5', 3],
      ]);
      // the same rows one at a time: two incidents, then the rollback, each page saying where the next starts
      const pages = [];
      for (let offset: number | undefined = 0; offset !== undefined; ) {
        const page: Awaited<ReturnType<DoraMetricsService['getDrillDown']>> =
          await metrics().getDrillDown({
            entity: { kind: 'component', ref: PAY },
            windowDays: 30,
            at: AT,
            metric: 'failedDeploymentRecoveryTime',
            page: { limit: 1, offset },
          });
        pages.push({
          offset,
          types: page.rows.map(r => r.type),
          nextOffset: page.nextOffset,
        });
        offset = page.nextOffset;
      }
      expect(pages).toEqual([
        { offset: 0, types: ['incident'], nextOffset: 1 },
        { offset: 1, types: ['incident'], nextOffset: 2 },
        { offset: 2, types: ['rollback'], nextOffset: undefined },
      ]);
      const two = await metrics().getDrillDown({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
        metric: 'failedDeploymentRecoveryTime',
        page: { limit: 2, offset: 0 },
      });
      expect([two.rows.map(r => r.type), two.nextOffset]).toEqual([
        ['incident', 'incident'],
        2,
      ]);
    });

    it('deployment rework rate: a revert and a rollback', async () => {
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
      });
      // D3 ships the revert c5, D5 is a rollback -> 2 / 5 = 0.4; the report tables have no levels for it
      expect(m.metrics.deploymentReworkRate).toMatchObject({
        value: 0.4,
        sampleSize: 5,
        level: undefined,
        details: { rework: 2 },
      });
      const drill = await metrics().getDrillDown({
        entity: { kind: 'component', ref: PAY },
        windowDays: 30,
        at: AT,
        metric: 'deploymentReworkRate',
      });
      expect(
        drill.rows.flatMap(r =>
          r.type === 'deployment' ? [r.counted.join(', ')] : [],
        ),
      ).toEqual([
        'deployment',
        'deployment',
        'deployment, rework: revert',
        'deployment',
        'deployment, rework: rollback',
      ]);
    });
  },
);
