/*
 * The scorecards read the DORA metrics of every component with history together (componentMetrics:
 * componentsWithRows, then getMetricsMany), not one getMetrics a component: on PostgreSQL and
 * SQLite, each component's metrics so read are what getMetrics answers for it, and an evaluation
 * grades exactly as one that reads them one component at a time. Real deliveries, stored,
 * normalised, linked and measured; the catalog is catalogServiceMock.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { ScorecardResult } from '@internal/plugin-dora-common';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Knex } from 'knex';
import { ComponentIndex } from '../attribution/Attribution';
import {
  DEFAULT_PROCESSOR_OPTIONS,
  DeliveryProcessor,
} from '../ingest/DeliveryProcessor';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { githubPayloads } from '../seed/githubPayloads';
import { DoraStore } from '../store/DoraStore';
import { ScorecardStore } from '../store/ScorecardStore';
import { componentMetrics, ComponentMetricsSource } from './componentMetrics';
import { ScorecardDefinitions } from './ScorecardDefinitions';
import { ScorecardService } from './ScorecardService';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const repoScorecards = path.resolve(__dirname, '../../../../scorecards');
const sha = (s: string) => createHash('sha1').update(s).digest('hex');
const T0 = new Date('2026-03-01T00:00:00Z');
const NOW = new Date(T0.getTime() + 30 * 24 * 3600_000 + 5 * 3600_000);

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'github.com/project-slug': `acme/${name}` },
  },
  spec: { type: 'service', owner, lifecycle: 'production' },
});
const entities = [
  component('payments-api', 'payments'),
  component('checkout-web', 'storefront'),
  component('ledger-service', 'payments'),
  component('quiet-svc', 'payments'), // no DORA history
];
const refs = entities.map(e => `component:default/${e.metadata.name}` as const);

/** Our own metrics service, counting how it is asked. */
function counting(real: DoraMetricsService) {
  const calls = { getMetrics: 0, getMetricsMany: 0 };
  const source: Required<ComponentMetricsSource> = {
    getMetrics: q => {
      calls.getMetrics++;
      return real.getMetrics(q);
    },
    getMetricsMany: q => {
      calls.getMetricsMany++;
      return real.getMetricsMany(q);
    },
    componentsWithRows: q => real.componentsWithRows(q),
    emptyMetrics: q => real.emptyMetrics(q),
  };
  return { source, calls };
}

/** The real store, keeping the results of the latest evaluation. */
class KeepingStore extends ScorecardStore {
  results: Omit<ScorecardResult, 'title'>[] = [];
  async recordAll(results: Omit<ScorecardResult, 'title'>[], now: Date) {
    this.results = results;
    return super.recordAll(results, now);
  }
}

describe.each(databases.eachSupportedId())(
  'scorecards read DORA metrics in bulk, on %p',
  databaseId => {
    let knex: Knex;
    let metrics: DoraMetricsService;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const dora = await DoraStore.create(knex);
      const index = new ComponentIndex(entities);
      const processor = new DeliveryProcessor(
        {
          store: dora,
          attribution: { resolve: async t => index.resolve(t) },
          sources: new Map(),
        },
        DEFAULT_PROCESSOR_OPTIONS,
      );
      // payments-api deploys daily, checkout-web every third day (one rolled back, one with an
      // incident), ledger-service twice, long before the 7-day window
      const deliveries = [];
      let id = 0;
      const deploy = (repo: string, day: number, h: number) => {
        const gh = githubPayloads(`acme/${repo}`, T0);
        const c = sha(`${repo}-${day}`);
        id++;
        return [
          gh.push([[c, day * 24 + h - 1 - (day % 4)]], day * 24 + h - 1),
          gh.deploymentStatus(id, { sha: c, atH: day * 24 + h }),
        ];
      };
      for (let day = 0; day < 30; day++)
        deliveries.push(...deploy('payments-api', day, 3));
      for (let day = 1; day < 30; day += 3)
        deliveries.push(...deploy('checkout-web', day, 7 + (day % 5)));
      deliveries.push(
        ...deploy('ledger-service', 2, 9),
        ...deploy('ledger-service', 4, 9),
      );
      const checkout = githubPayloads('acme/checkout-web', T0);
      deliveries.push(
        // redeploys day 10's change after day 13's: a rollback
        checkout.deploymentStatus(9000, {
          sha: sha('checkout-web-10'),
          atH: 13 * 24 + 20,
        }),
        checkout.issue(9001, {
          openedH: 19 * 24 + 12,
          closedH: 19 * 24 + 15,
          body: `Cart errors\nRoot-cause: ${sha('checkout-web-19').slice(
            0,
            10,
          )}`,
        }),
      );
      for (const d of deliveries)
        await dora.deliveries.insert({
          source: 'github-acme',
          sourceType: 'github',
          deliveryId: d.id,
          eventType: d.event,
          payload: JSON.stringify(d.body),
          receivedAt: T0.getTime(),
        });
      await processor.drain();
      metrics = new DoraMetricsService(dora, {
        minimumSample: { deploymentFrequency: 5, changeFailureRate: 5 },
      });
    });

    it('reads each window once, for every component with rows together, the same metrics as getMetrics', async () => {
      const { source, calls } = counting(metrics);
      const read = componentMetrics(source, refs, NOW);
      for (const windowDays of [7, 30, 90]) {
        for (const ref of refs) {
          const bulk = await read(ref, windowDays);
          const one = await metrics.getMetrics({
            entity: { kind: 'component', ref },
            windowDays,
            at: NOW,
          });
          expect(bulk).toEqual(one);
        }
      }
      // one bulk read a window, no getMetrics for a component
      expect(calls).toEqual({ getMetrics: 0, getMetricsMany: 3 });
      // and the comparison was of numbers
      const pay = await read('component:default/payments-api', 30);
      // the window starts at 5 h on day 0, after that day's deployment at 3 h
      expect(pay.metrics.deploymentFrequency.sampleSize).toBe(29);
      const checkout = await read('component:default/checkout-web', 30);
      expect(checkout.metrics.changeFailureRate.value).toBeGreaterThan(0);
      expect(checkout.metrics.changeLeadTime.sampleSize).toBeGreaterThan(0);
    });

    it('grades every component exactly as reading one component at a time does', async () => {
      const definitions = ScorecardDefinitions.load(repoScorecards);
      const evaluate = async (source: ComponentMetricsSource) => {
        const store = new KeepingStore(knex);
        await new ScorecardService({
          definitions,
          store,
          catalog: catalogServiceMock({ entities }),
          auth: mockServices.auth(),
          metrics: source,
        }).evaluateAll(NOW);
        return store.results;
      };
      const bulk = counting(metrics);
      const inBulk = await evaluate(bulk.source);
      const oneByOne = counting(metrics);
      const { getMetrics } = oneByOne.source;
      const perComponent = await evaluate({ getMetrics });
      expect(inBulk).toEqual(perComponent);
      expect(bulk.calls).toEqual({ getMetrics: 0, getMetricsMany: 1 });
      expect(oneByOne.calls.getMetrics).toBe(refs.length);
      // payments-api deploys often enough; quiet-svc has no data
      const outcome = (ref: string) =>
        inBulk
          .find(r => r.entityRef === ref)!
          .checks.find(c => c.id === 'deploys-often')!;
      expect(outcome('component:default/payments-api').outcome).toBe('passed');
      expect(outcome('component:default/quiet-svc').detail).toMatch(
        /insufficient data \(0 in 30 days\)/,
      );
    });
  },
);
