/*
 * Template adoption and time to first deploy on PostgreSQL 15 and SQLite, with deployments sent
 * through the JSON API's normaliser and hand-computed expectations.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ComponentIndex } from '../attribution/Attribution';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { DoraStore } from '../store/DoraStore';
import {
  catalogLookup,
  PlatformMetrics,
  templateRunOf,
} from './PlatformMetrics';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const T0 = Date.parse('2026-02-01T00:00:00Z');
const h = (hours: number) => T0 + hours * 3600_000;
const AT = new Date(h(30 * 24));

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'backstage.io/source-template': 'template:default/node-service',
    },
  },
  spec: { type: 'service', owner, lifecycle: 'experimental' },
});

describe('template runs as the scaffolder lists them', () => {
  it('finds the team of the runner and the component the run created', () => {
    const lookup = catalogLookup(
      [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'dev', namespace: 'default' },
          spec: { memberOf: ['payments'] },
        },
      ],
      [component('new-svc', 'payments')],
    );
    const task = {
      id: 't-1',
      spec: {
        templateInfo: { entityRef: 'template:default/node-service' },
        parameters: { name: 'new-svc' },
        user: { ref: 'user:default/dev' },
      },
      status: 'completed',
      createdAt: '2026-02-01T00:00:00Z',
      createdBy: 'user:default/dev',
    };
    expect(templateRunOf(task, lookup)).toEqual({
      taskId: 't-1',
      templateRef: 'template:default/node-service',
      createdBy: 'user:default/dev',
      teamRef: 'group:default/payments',
      status: 'completed',
      componentRef: 'component:default/new-svc',
      createdAt: T0,
    });
    // a failed run created nothing; a task without a template is not a template run
    expect(
      templateRunOf({ ...task, status: 'failed' }, lookup)?.componentRef,
    ).toBeUndefined();
    expect(templateRunOf({ ...task, spec: {} }, lookup)).toBeUndefined();
  });
});

describe.each(databases.eachSupportedId())(
  'platform metrics on %p',
  databaseId => {
    let store: DoraStore;
    let platform: PlatformMetrics;

    beforeAll(async () => {
      store = await DoraStore.create(await databases.init(databaseId));
      platform = new PlatformMetrics(store);
      const attribution = new ComponentIndex([
        component('new-svc', 'payments'),
        component('other-svc', 'payments'),
      ]);
      const processor = new DeliveryProcessor({
        store,
        attribution: { resolve: async t => attribution.resolve(t) },
        sources: new Map(),
      });
      await platform.recordRuns([
        {
          taskId: 't1',
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/payments',
          status: 'completed',
          componentRef: 'component:default/new-svc',
          createdAt: h(0),
        },
        {
          taskId: 't2',
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/storefront',
          status: 'failed',
          createdAt: h(1),
        },
        {
          taskId: 't3',
          templateRef: 'template:default/platform-runbook',
          teamRef: 'group:default/platform',
          status: 'completed',
          createdAt: h(2),
        },
        {
          taskId: 't4',
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/payments',
          status: 'completed',
          componentRef: 'component:default/other-svc',
          createdAt: h(3),
        },
        // outside the 30-day window
        {
          taskId: 't0',
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/payments',
          status: 'completed',
          createdAt: h(-24),
        },
      ]);
      const deploy = (id: string, environment: string, atH: number) => ({
        type: 'deployment',
        id,
        component: 'component:default/new-svc',
        environment,
        status: 'success',
        deployedAt: h(atH),
      });
      let n = 0;
      for (const e of [
        deploy('n1', 'staging', 5),
        deploy('n2', 'production', 10),
        deploy('n3', 'production', 20),
      ]) {
        await store.deliveries.insert({
          source: 'api',
          sourceType: 'api',
          deliveryId: `d${n++}`,
          eventType: 'deployment',
          payload: JSON.stringify(e),
          receivedAt: T0,
        });
      }
      await processor.drain();
    });

    it('counts template runs per template and team', async () => {
      // node-service: payments t1 + t4 (both completed), storefront t2 (failed); platform-runbook: platform t3; t0 is older than 30 days
      expect(
        await platform.templateAdoption({ windowDays: 30, at: AT }),
      ).toEqual([
        {
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/payments',
          runs: 2,
          succeeded: 2,
        },
        {
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/storefront',
          runs: 1,
          succeeded: 0,
        },
        {
          templateRef: 'template:default/platform-runbook',
          teamRef: 'group:default/platform',
          runs: 1,
          succeeded: 1,
        },
      ]);
      expect(
        await platform.templateAdoption({
          windowDays: 30,
          at: AT,
          teamRef: 'group:default/platform',
        }),
      ).toHaveLength(1);
    });

    it('measures time to first production deploy, and leaves it open while there is none', async () => {
      // new-svc: created at 0 h; staging at 5 h does not count; first production at 10 h -> 10 h
      // other-svc: created at 3 h, never deployed -> no time yet
      expect(
        await platform.timeToFirstDeploy({ windowDays: 30, at: AT }),
      ).toEqual([
        expect.objectContaining({
          taskId: 't1',
          componentRef: 'component:default/new-svc',
          firstDeploymentId: 'api:n2',
          hours: 10,
        }),
        expect.objectContaining({
          taskId: 't4',
          componentRef: 'component:default/other-svc',
          firstDeploymentId: undefined,
          hours: undefined,
        }),
      ]);
    });
  },
);
