/*
 * The re-attribution job: its schedule (one replica at a time, every 5 minutes), and one pass over
 * a real store on PostgreSQL and SQLite: rows stored before the catalog knew their service move to
 * the component that claims it now.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ComponentIndex } from '../attribution/Attribution';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { DoraStore } from '../store/DoraStore';
import { ReattributeJob } from './ReattributeJob';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const paymentsApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

describe.each(databases.eachSupportedId())('ReattributeJob on %p', id => {
  it('is scheduled on one replica at a time, and a pass gives unattributed rows to the component the catalog now knows', async () => {
    const store = await DoraStore.create(await databases.init(id));
    // the catalog does not know payments-api yet
    let index = new ComponentIndex([]);
    const processor = new DeliveryProcessor({
      store,
      attribution: { resolve: async t => index.resolve(t) },
      sources: new Map(),
    });
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    await new ReattributeJob({ scheduler, logger, processor }).schedule();
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: 'dora-reattribute',
      scope: 'global',
      frequency: { minutes: 5 },
      initialDelay: { minutes: 1 },
      timeout: { minutes: 5 },
    });

    await store.deliveries.insert({
      source: 'api',
      sourceType: 'api',
      deliveryId: 'ci-1',
      eventType: 'deployment',
      payload: JSON.stringify({
        type: 'deployment',
        id: 'ci-1',
        service: 'payments-api',
        environment: 'production',
        status: 'success',
        deployedAt: '2026-03-01T12:00:00Z',
      }),
      receivedAt: Date.parse('2026-03-01T12:00:01Z'),
    });
    await processor.drain();
    expect(await store.unattributedSubjects()).toEqual([
      'service:payments-api',
    ]);

    // nothing to move while the catalog still does not know it
    await task.fn(new AbortController().signal);
    expect(logger.info).not.toHaveBeenCalled();

    index = new ComponentIndex([paymentsApi]);
    await task.fn(new AbortController().signal);
    expect(await store.unattributedSubjects()).toEqual([]);
    const rows = await store.loadSubject('component:default/payments-api');
    expect(rows.deployments).toEqual([
      expect.objectContaining({
        id: 'api:ci-1',
        componentRef: 'component:default/payments-api',
        teamRef: 'group:default/payments',
      }),
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      'attributed the rows of service:payments-api to components the catalog now knows',
    );
  });
});
