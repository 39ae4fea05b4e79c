/*
 * A Gitea repository's history the whole way, on PostgreSQL 15 and SQLite (TestDatabases): Gitea
 * payloads (src/__testUtils__/giteaPayloads.ts) stored as raw deliveries of a gitea source, normalised
 * by the processor, attributed to the component whose gitea.com/project-slug names the repository,
 * linked, then measured. Every expected number is worked out by hand in the comments.
 */
import { ComponentIndex } from '../attribution/Attribution';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { DoraStore } from '../store/DoraStore';
import { GiteaDelivery, giteaPayloads } from '../__testUtils__/giteaPayloads';
import { fixtureDatabases, sha } from '../__testUtils__/metricsScenario';
import {
  DEFAULT_PROCESSOR_OPTIONS,
  DeliveryProcessor,
} from './DeliveryProcessor';

const databases = fixtureDatabases();
const T0 = new Date('2026-03-01T00:00:00Z');
const h = (hours: number) => T0.getTime() + hours * 3600_000;
const AT = new Date(h(7 * 24));
const NODE = 'component:default/node-hello';
const SOURCE = 'gitea-acme';

describe.each(databases.eachSupportedId())(
  'a Gitea repository from webhook deliveries to DORA metrics, on %p',
  databaseId => {
    let store: DoraStore;
    let metrics: DoraMetricsService;
    const g = giteaPayloads('platform/node-hello', T0);
    const query = {
      entity: { kind: 'component' as const, ref: NODE },
      windowDays: 7,
      at: AT,
    };

    beforeAll(async () => {
      store = await DoraStore.create(await databases.init(databaseId));
      const index = new ComponentIndex([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'node-hello',
            namespace: 'default',
            annotations: { 'gitea.com/project-slug': 'Platform/Node-Hello' },
          },
          spec: {
            type: 'service',
            owner: 'platform',
            lifecycle: 'experimental',
          },
        },
      ]);
      const processor = new DeliveryProcessor(
        {
          store,
          attribution: { resolve: async t => index.resolve(t) },
          sources: new Map([
            [
              SOURCE,
              {
                id: SOURCE,
                type: 'gitea',
                secret: 'x'.repeat(16),
                incidentLabels: ['incident'],
              },
            ],
          ]),
        },
        DEFAULT_PROCESSOR_OPTIONS,
      );
      metrics = new DoraMetricsService(store, {
        minimumSample: {
          deploymentFrequency: 1,
          changeLeadTime: 1,
          changeFailureRate: 1,
          failedDeploymentRecoveryTime: 1,
          deploymentReworkRate: 1,
        },
      });
      const closeIncident = g.issue(12, {
        openedH: 5,
        closedH: 7,
        body: 'Deployment: 1',
      });
      const deliveries: [GiteaDelivery, number][] = [
        // c1 committed at 0 h, pushed (received) at 1 h
        [g.push([[sha('c1'), 0]]), 1],
        // PR 4 opened at 1 h, merged at 3 h as s4 (Gitea pushes the merge commit too)
        [g.push([[sha('s4'), 3, 'Add metrics (#4)']]), 3],
        [g.mergedPullRequest(4, sha('s4'), 1, 3, 'Add metrics'), 3],
        // release 1 (v1.0.0, target main: no sha) at 4 h: the first production deployment
        [g.release(1, { atH: 4, tag: 'v1.0.0' }), 4],
        // an issue labelled Incident (the source says incident) names release 1; resolved at 7 h
        [g.issue(12, { openedH: 5, body: 'Deployment: 1' }), 5],
        [closeIncident, 7],
        // Gitea's "replay" of the closing delivery: a new UUID, the same payload
        [{ ...closeIncident, id: `${closeIncident.id}-replayed` }, 7.5],
        // c2 at 8 h, pushed at 8.5 h; release 2 at 10 h
        [g.push([[sha('c2'), 8]]), 8.5],
        [g.release(2, { atH: 10, tag: 'v1.0.1' }), 10],
        // ignored: a pre-release, an issue that is not an incident, a push to a branch
        [g.release(3, { atH: 11, tag: 'v1.1.0-rc.1', prerelease: true }), 11],
        [g.issue(13, { openedH: 11, labels: ['bug'] }), 11],
        [g.push([[sha('x1'), 11]], 'refs/heads/feature'), 11],
      ];
      for (const [d, receivedH] of deliveries)
        await store.deliveries.insert({
          source: SOURCE,
          sourceType: 'gitea',
          deliveryId: d.id,
          eventType: d.event,
          payload: JSON.stringify(d.body),
          receivedAt: h(receivedH),
        });
      await processor.drain();
    });

    it('normalises every delivery: processed, or ignored with the reason', async () => {
      expect(await store.deliveries.count()).toEqual({
        processed: 9,
        ignored: 3,
      });
      const ignored = await store.deliveries.list({
        status: 'ignored',
        limit: 10,
        offset: 0,
      });
      expect(ignored.map(d => d.reason).sort()).toEqual([
        'a pre-release is not a production deployment',
        'issue is not labelled as an incident (incident)',
        'push to refs/heads/feature, not the default branch main',
      ]);
    });

    it('measures the releases as deployments of the component the gitea.com/project-slug names', async () => {
      const m = (await metrics.getMetrics(query)).metrics;
      // releases 1 and 2; not the pre-release
      expect(m.deploymentFrequency.sampleSize).toBe(2);
      // release 1 (4 h): c1 4 - 0 = 4, s4 4 - 1 = 3 (from PR 4 opened); release 2 (10 h): c2 10 - 8 = 2
      // sorted 2 3 4 -> median 3 h
      expect(m.changeLeadTime).toMatchObject({ sampleSize: 3, value: 3 });
      // release 1 failed (incident 12 names it), once though its closing was delivered twice
      expect(m.changeFailureRate).toMatchObject({
        value: 0.5,
        details: { failed: 1, deployments: 2 },
      });
      const drill = await metrics.getDrillDown({
        ...query,
        metric: 'changeFailureRate',
      });
      expect(
        drill.rows.flatMap(r =>
          r.type === 'incident' ? [[r.incident.id, r.links]] : [],
        ),
      ).toEqual([
        [
          `${SOURCE}:platform/node-hello#12`,
          [
            {
              deploymentId: `${SOURCE}:1`,
              linkedBy: 'explicit-reference',
              confidence: 'high',
            },
          ],
        ],
      ]);
      expect(
        drill.rows.flatMap(r =>
          r.type === 'deployment' ? [r.deployment.teamRef] : [],
        ),
      ).toEqual(['group:default/platform', 'group:default/platform']);
    });
  },
);
