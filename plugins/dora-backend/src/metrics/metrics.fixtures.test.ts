/*
 * The five metrics on hand-computed fixtures, on PostgreSQL 15 and SQLite (TestDatabases). Events
 * go the whole way: GitHub payloads stored as raw deliveries, normalised by the processor,
 * attributed with a component index built from catalog entities, linked, then measured. Every
 * expected number is worked out by hand in the comments.
 */
import { Entity } from '@backstage/catalog-model';
import { TestDatabases } from '@backstage/backend-test-utils';
import { createHash } from 'node:crypto';
import {
  Attribution,
  ComponentIndex,
  EventTarget,
} from '../attribution/Attribution';
import {
  DeliveryProcessor,
  DEFAULT_PROCESSOR_OPTIONS,
} from '../ingest/DeliveryProcessor';
import { DoraStore } from '../store/DoraStore';
import { githubPayloads, GithubDelivery } from '../testing/githubPayloads';
import { DoraMetricsService } from './DoraMetricsService';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const sha = (name: string) => createHash('sha1').update(name).digest('hex');
const component = (name: string, owner: string, slug: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'github.com/project-slug': slug },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
});

/** Attribution over an index that a test can swap (a team change between events). */
class SwappableAttribution implements Attribution {
  constructor(public index: ComponentIndex) {}
  async resolve(target: EventTarget) {
    return this.index.resolve(target);
  }
}

const T0 = new Date('2026-01-01T00:00:00Z');
const AT = new Date(T0.getTime() + 30 * 24 * 3600_000); // the 30-day window is [T0, T0 + 30 d)
const PAY = 'component:default/payments-api';

describe.each(databases.eachSupportedId())(
  'DORA metrics on hand-computed fixtures, on %p',
  databaseId => {
    let store: DoraStore;
    let processor: DeliveryProcessor;
    let attribution: SwappableAttribution;
    const gh = githubPayloads('acme/payments-api', T0);
    const other = githubPayloads('acme/not-in-catalog', T0);

    const send = async (...deliveries: GithubDelivery[]) => {
      const results = [];
      for (const d of deliveries) {
        results.push(
          await store.deliveries.insert({
            source: 'github-acme',
            sourceType: 'github',
            deliveryId: d.id,
            eventType: d.event,
            payload: JSON.stringify(d.body),
            receivedAt: T0.getTime(),
          }),
        );
      }
      await processor.drain();
      return results;
    };

    const metrics = (min = 2) =>
      new DoraMetricsService(store, {
        minimumSample: {
          deploymentFrequency: min,
          changeLeadTime: min,
          changeFailureRate: min,
          failedDeploymentRecoveryTime: min,
          deploymentReworkRate: min,
        },
      });

    beforeAll(async () => {
      store = await DoraStore.create(await databases.init(databaseId));
      attribution = new SwappableAttribution(
        new ComponentIndex([
          component('payments-api', 'payments', 'acme/payments-api'),
        ]),
      );
      processor = new DeliveryProcessor(
        { store, attribution, sources: new Map() },
        DEFAULT_PROCESSOR_OPTIONS,
      );

      const statusD2 = gh.deploymentStatus(2, { sha: sha('c4'), atH: 26 });
      await send(
        // c1, c2 land before the first deployment D1 (sha c2)
        gh.push([[sha('c1'), 0]], 1),
        gh.push([[sha('c2'), 2]], 3),
        gh.deploymentStatus(1, { sha: sha('c2'), atH: 5 }),
        // PR 7, squash-merged: the squashed commit s7 is pushed with the merge time as its timestamp,
        // and the pull request (opened at 10 h) says when work on it began
        gh.push([[sha('s7'), 20, 'Add refunds (#7)']], 20),
        gh.mergedPullRequest(7, sha('s7'), 10, 20, 'Add refunds'),
        // c3 is merged between deployments (D2 deploys c4, not c3): it must not be lost
        gh.push([[sha('c3'), 21]], 22),
        gh.push([[sha('c4'), 23]], 24),
        // a staging deployment of c4 before production: ignored by the metrics, takes no changes
        gh.deploymentStatus(90, {
          sha: sha('c4'),
          environment: 'staging',
          atH: 25,
        }),
        statusD2,
        // incident I1 names c4 as its root cause: D2 failed; resolved after 2 h
        gh.issue(101, {
          openedH: 27,
          closedH: 29,
          body: `Checkout errors\nRoot-cause: ${sha('c4').slice(0, 10)}`,
        }),
        // c5 reverts c4; D3 deploys it: rework (revert)
        gh.push(
          [
            [
              sha('c5'),
              28,
              `Revert "change ${sha('c4').slice(
                0,
                7,
              )}"\n\nThis reverts commit ${sha('c4')}.`,
            ],
          ],
          28.5,
        ),
        gh.deploymentStatus(3, { sha: sha('c5'), atH: 30 }),
        // a production deployment that failed to roll out: not counted
        gh.deploymentStatus(91, { sha: sha('c5'), state: 'failure', atH: 35 }),
        // c6 deployed by D4, then D5 redeploys c5: a rollback (rework), D4 failed and recovered 3 h later
        gh.push([[sha('c6'), 40]], 41),
        gh.deploymentStatus(4, { sha: sha('c6'), atH: 42 }),
        gh.deploymentStatus(5, { sha: sha('c5'), atH: 45 }),
        // incident I2, still open, no reference: guessed (low confidence) as caused by D5, 5 h before it
        gh.issue(102, { openedH: 50 }),
        // an issue without the incident label, and an event type DORA does not use
        gh.issue(103, { openedH: 51, labels: ['bug'] }),
        {
          event: 'star',
          id: 'star-1',
          body: {
            action: 'created',
            repository: { full_name: 'acme/payments-api' },
          },
        },
        // a deployment of a repository the catalog does not know: counted for the organisation only
        other.deploymentStatus(7, { sha: sha('x1'), atH: 10 }),
      );
      // GitHub redelivers D2's status: the same delivery id (a replay) and a new id (same deployment)
      const replay = await send(statusD2, {
        ...statusD2,
        id: 'redelivered-with-new-guid',
      });
      expect(replay[0].duplicate).toBe(true);
      expect(replay[1].duplicate).toBe(false);
    });

    it('normalises every delivery: processed, or ignored with the reason', async () => {
      const ignored = await store.deliveries.list({
        status: 'ignored',
        limit: 50,
        offset: 0,
      });
      expect(ignored.map(d => d.reason).sort()).toEqual([
        'GitHub event star is not used for DORA metrics',
        'issue is not labelled as an incident (incident)',
      ]);
      expect(
        await store.deliveries.list({ status: 'failed', limit: 50, offset: 0 }),
      ).toEqual([]);
      // 20 deliveries in the scenario (2 of them ignored) + the redelivery with a new id = 21 stored:
      // 18 + 1 = 19 processed, 2 ignored; the replay of the same id was not stored again
      expect(await store.deliveries.count()).toEqual({
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
        drill.rows.map(r => [
          r.type,
          r.type === 'incident'
            ? r.incident.state
            : r.type === 'rollback'
            ? r.rolledBackBy
            : '',
          (r as any).recoveryHours,
        ]),
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
      const days = await store
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

    it('records the owning team as it was when the event happened', async () => {
      // payments-api moves to the platform team; later deployments carry the new owner, earlier ones keep theirs
      attribution.index = new ComponentIndex([
        component('payments-api', 'platform', 'acme/payments-api'),
      ]);
      await send(
        gh.push([[sha('c7'), 60]], 61),
        gh.deploymentStatus(6, { sha: sha('c7'), atH: 62 }),
      );
      const payments = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/payments' },
        windowDays: 30,
        at: AT,
      });
      const platform = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/platform' },
        windowDays: 30,
        at: AT,
      });
      expect(payments.metrics.deploymentFrequency.sampleSize).toBe(5);
      expect(platform.metrics.deploymentFrequency.sampleSize).toBe(1);
      // D6 ships c7: 62 - 60 = 2 h, under the platform team
      expect(platform.metrics.changeLeadTime).toMatchObject({
        sampleSize: 1,
        value: 2,
      });
    });

    it('gives rows that arrived before the catalog knew their repository to the component later', async () => {
      // acme/late-svc is not in the catalog: its push and deployment are kept under repo:acme/late-svc
      const late = githubPayloads('acme/late-svc', T0);
      await send(
        late.push([[sha('l1'), 100]], 101),
        late.deploymentStatus(700, { sha: sha('l1'), atH: 103 }),
      );
      const LATE = 'component:default/late-svc';
      expect(
        (
          await metrics().getMetrics({
            entity: { kind: 'component', ref: LATE },
            windowDays: 30,
            at: AT,
          })
        ).metrics.deploymentFrequency.sampleSize,
      ).toBe(0);
      attribution.index = new ComponentIndex([
        component('payments-api', 'platform', 'acme/payments-api'),
        component('late-svc', 'storefront', 'acme/late-svc'),
      ]);
      expect(await processor.reattribute()).toEqual(['repo:acme/late-svc']);
      const m = await metrics().getMetrics({
        entity: { kind: 'component', ref: LATE },
        windowDays: 30,
        at: AT,
      });
      // 1 deployment at 103 h shipping l1 (committed at 100 h): lead time 3 h
      expect(m.metrics.deploymentFrequency.sampleSize).toBe(1);
      expect(m.metrics.changeLeadTime).toMatchObject({
        sampleSize: 1,
        value: 3,
      });
      const team = await metrics().getMetrics({
        entity: { kind: 'team', ref: 'group:default/storefront' },
        windowDays: 30,
        at: AT,
      });
      expect(team.metrics.changeLeadTime).toMatchObject({
        sampleSize: 1,
        value: 3,
      });
      expect(await processor.reattribute()).toEqual([]);
    });
  },
);
