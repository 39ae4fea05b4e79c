/*
 * The scenario of the DORA metrics fixture tests (metrics/metrics.fixtures.*.test.ts), on PostgreSQL
 * 15 and SQLite (TestDatabases). Events go the whole way: GitHub payloads stored as raw deliveries,
 * normalised by the processor, attributed with a component index built from catalog entities,
 * linked, then measured. Every expected number is worked out by hand in the tests' comments, from
 * the deliveries below. For tests only (production code must not import src/__testUtils__/).
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
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { DoraStore } from '../store/DoraStore';
import { githubPayloads, GithubDelivery } from '../seed/githubPayloads';

export const fixtureDatabases = () =>
  TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

export const sha = (name: string) =>
  createHash('sha1').update(name).digest('hex');
export const component = (
  name: string,
  owner: string,
  slug: string,
): Entity => ({
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
export class SwappableAttribution implements Attribution {
  constructor(public index: ComponentIndex) {}
  async resolve(target: EventTarget) {
    return this.index.resolve(target);
  }
}

export const T0 = new Date('2026-01-01T00:00:00Z');
export const AT = new Date(T0.getTime() + 30 * 24 * 3600_000); // the 30-day window is [T0, T0 + 30 d)
export const PAY = 'component:default/payments-api';

/** The scenario's store, processor and attribution (set before the tests run), and what sends and measures. */
export interface MetricsScenario {
  store: DoraStore;
  processor: DeliveryProcessor;
  attribution: SwappableAttribution;
  /** payments-api's GitHub payloads. */
  gh: ReturnType<typeof githubPayloads>;
  /** Stores GitHub deliveries and waits until the processor has normalised them. */
  send(
    ...deliveries: GithubDelivery[]
  ): Promise<{ id: number; duplicate: boolean }[]>;
  /** A metrics service over the store with `min` as every metric's minimum sample (default 2). */
  metrics(min?: number): DoraMetricsService;
}

/**
 * Registers the scenario's set-up (beforeAll) in the calling describe block: a fresh database of
 * the engine, payments-api in the catalog, and the deliveries every fixture test measures.
 */
export function metricsScenario(
  databases: TestDatabases,
  databaseId: Parameters<TestDatabases['init']>[0],
): MetricsScenario {
  const gh = githubPayloads('acme/payments-api', T0);
  const other = githubPayloads('acme/not-in-catalog', T0);
  const s = {
    gh,
    send: async (...deliveries: GithubDelivery[]) => {
      const results = [];
      for (const d of deliveries) {
        results.push(
          await s.store.deliveries.insert({
            source: 'github-acme',
            sourceType: 'github',
            deliveryId: d.id,
            eventType: d.event,
            payload: JSON.stringify(d.body),
            receivedAt: T0.getTime(),
          }),
        );
      }
      await s.processor.drain();
      return results;
    },
    metrics: (min = 2) =>
      new DoraMetricsService(s.store, {
        minimumSample: {
          deploymentFrequency: min,
          changeLeadTime: min,
          changeFailureRate: min,
          failedDeploymentRecoveryTime: min,
          deploymentReworkRate: min,
        },
      }),
  } as MetricsScenario;
  const send = s.send;

  beforeAll(async () => {
    s.store = await DoraStore.create(await databases.init(databaseId));
    s.attribution = new SwappableAttribution(
      new ComponentIndex([
        component('payments-api', 'payments', 'acme/payments-api'),
      ]),
    );
    s.processor = new DeliveryProcessor(
      { store: s.store, attribution: s.attribution, sources: new Map() },
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
  return s;
}
