/*
 * The normalising job: its schedule (every replica, dora.processing.frequency), and one pass over
 * a real store on PostgreSQL and SQLite.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ComponentIndex } from '../attribution/Attribution';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { DoraStore } from '../store/DoraStore';
import { NormaliseJob } from './NormaliseJob';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const index = new ComponentIndex([
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', namespace: 'default' },
    spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
  },
]);
const deployment = (id: string) => ({
  source: 'api',
  sourceType: 'api' as const,
  deliveryId: id,
  eventType: 'deployment',
  payload: JSON.stringify({
    type: 'deployment',
    id,
    service: 'payments-api',
    environment: 'production',
    status: 'success',
    deployedAt: '2026-03-01T12:00:00Z',
  }),
  receivedAt: Date.parse('2026-03-01T12:00:01Z'),
});

describe.each(databases.eachSupportedId())('NormaliseJob on %p', id => {
  it('is scheduled on every replica, and a pass normalises every delivery due', async () => {
    const store = await DoraStore.create(await databases.init(id));
    const processor = new DeliveryProcessor({
      store,
      attribution: { resolve: async t => index.resolve(t) },
      sources: new Map(),
    });
    const scheduler = mockServices.scheduler.mock();
    const logger = mockServices.logger.mock();
    await new NormaliseJob({
      scheduler,
      logger,
      processor,
      frequency: { seconds: 10 },
    }).schedule();
    expect(scheduler.scheduleTask).toHaveBeenCalledTimes(1);
    const task = scheduler.scheduleTask.mock.calls[0][0];
    expect(task).toMatchObject({
      id: 'dora-normalise',
      scope: 'local',
      frequency: { seconds: 10 },
      timeout: { minutes: 5 },
    });

    for (const d of ['ci-1', 'ci-2', 'ci-3']) {
      await store.deliveries.insert(deployment(d));
    }
    expect(await store.deliveries.count()).toEqual({ pending: 3 });
    await task.fn(new AbortController().signal);
    expect(await store.deliveries.count()).toEqual({ processed: 3 });
    const rows = await store.loadSubject('component:default/payments-api');
    expect(rows.deployments.map(d => d.id).sort()).toEqual([
      'api:ci-1',
      'api:ci-2',
      'api:ci-3',
    ]);
  });

  it('logs a pass that fails, and fails the run', async () => {
    const knex = await databases.init(id);
    const store = await DoraStore.create(knex);
    const processor = new DeliveryProcessor({
      store,
      attribution: { resolve: async t => index.resolve(t) },
      sources: new Map(),
    });
    const logger = mockServices.logger.mock();
    const job = new NormaliseJob({
      scheduler: mockServices.scheduler.mock(),
      logger,
      processor,
      frequency: { seconds: 10 },
    });
    await knex.destroy(); // the database is gone
    await expect(job.run()).rejects.toThrow();
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(/^normalising deliveries failed: /),
    );
  });
});
