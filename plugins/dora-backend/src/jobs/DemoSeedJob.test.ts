/*
 * The demo seeding job: a task on manual trigger (one replica at a time) that the backend's start
 * triggers, and one pass: the signed demo history sent through the real webhook router into a real
 * store on SQLite (on PostgreSQL too when it is configured), and nothing sent again once stored.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import express from 'express';
import { AddressInfo } from 'node:net';
import { WebhookSource } from '../ingest/sources';
import { errorHandler } from '../router/errors';
import { webhooksRouter } from '../router/webhooks';
import { DemoSeeder } from '../seed/DemoSeeder';
import { DoraStore } from '../store/DoraStore';
import { DemoSeedJob } from './DemoSeedJob';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const source: WebhookSource = {
  id: 'github-demo',
  type: 'github',
  secret: 'demo-job-test-secret-0123',
  incidentLabels: ['incident'],
  rateLimit: { requests: 1_000_000, windowSeconds: 60 },
};

describe('DemoSeedJob', () => {
  it('is a manual task on one replica at a time, triggered when the backend has started', async () => {
    const scheduler = mockServices.scheduler.mock();
    const lifecycle = mockServices.lifecycle.mock();
    const logger = mockServices.logger.mock();
    const seeder = new DemoSeeder({
      source,
      countDeliveries: async () => 0,
      baseUrl: async () => 'http://127.0.0.1:1',
    });
    await new DemoSeedJob({ scheduler, lifecycle, logger, seeder }).schedule();
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dora-demo-seed',
        scope: 'global',
        frequency: { trigger: 'manual' },
        timeout: { minutes: 30 },
      }),
    );
    expect(scheduler.triggerTask).not.toHaveBeenCalled();
    const [startup] = lifecycle.addStartupHook.mock.calls[0];
    scheduler.triggerTask.mockRejectedValueOnce(
      new Error('Task dora-demo-seed is currently running'),
    );
    await startup();
    expect(scheduler.triggerTask).toHaveBeenCalledWith('dora-demo-seed');
    await new Promise(r => setImmediate(r));
    expect(logger.warn).toHaveBeenCalledWith(
      'demo data: not started: Error: Task dora-demo-seed is currently running',
    );
  });

  describe.each(databases.eachSupportedId())('on %p', id => {
    let server: ReturnType<express.Express['listen']>;
    let store: DoraStore;

    beforeAll(async () => {
      store = await DoraStore.create(await databases.init(id));
      const app = express();
      app.use(
        webhooksRouter({
          store,
          processor: { kick: () => {} },
          sources: new Map([[source.id, source]]),
          maxPayloadBytes: 1024 * 1024,
          processImmediately: false,
          now: Date.now,
        }),
      );
      app.use(errorHandler(1024 * 1024));
      server = app.listen(0, '127.0.0.1');
      await new Promise(r => server.once('listening', r));
    });

    afterAll(() => new Promise(r => server?.close(r)));

    it('sends the signed history through the webhook endpoint once', async () => {
      const scheduler = mockServices.scheduler.mock();
      const logger = mockServices.logger.mock();
      const total = async () =>
        Object.values(await store.deliveries.count()).reduce(
          (a, b) => a + b,
          0,
        );
      const seeder = new DemoSeeder({
        source,
        countDeliveries: total,
        baseUrl: async () =>
          `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        logger,
      });
      await new DemoSeedJob({
        scheduler,
        lifecycle: mockServices.lifecycle.mock(),
        logger,
        seeder,
      }).schedule();
      const task = scheduler.scheduleTask.mock.calls[0][0];

      await task.fn(new AbortController().signal);
      const stored = await total();
      expect(stored).toBeGreaterThan(500);
      expect(await store.deliveries.count()).toEqual({ pending: stored });
      const [newest] = await store.deliveries.list({ limit: 1, offset: 0 });
      expect(newest).toMatchObject({
        source: 'github-demo',
        deliveryId: expect.stringMatching(/^demo-acme-/),
      });

      await task.fn(new AbortController().signal);
      expect(await total()).toBe(stored);
      expect(logger.info).toHaveBeenLastCalledWith(
        `demo data: ${stored} deliveries are stored already; not seeding`,
      );
    }, 120_000);
  });
});
