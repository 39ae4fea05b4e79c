/*
 * The scaffolder sync job: its schedule (one replica at a time, dora.scaffolder.frequency), and one
 * pass that reads a task of the real scaffolder backend (a test backend running a template with one
 * debug:log step; the catalog served in memory) through its REST API into a real store on
 * PostgreSQL and SQLite.
 */
import { DiscoveryService } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { PlatformMetrics } from '../platform/PlatformMetrics';
import { ScaffolderTaskSync } from '../platform/ScaffolderTaskSync';
import { DoraStore } from '../store/DoraStore';
import { ScaffolderSyncJob } from './ScaffolderSyncJob';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const entities: Entity[] = [
  {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name: 'node-service', namespace: 'default' },
    spec: {
      type: 'service',
      owner: 'group:default/platform',
      parameters: [{ properties: { name: { type: 'string' } } }],
      steps: [
        {
          id: 'log',
          name: 'Log',
          action: 'debug:log',
          input: { message: 'creating ${{ parameters.name }}' },
        },
      ],
    },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'dev', namespace: 'default' },
    spec: { memberOf: ['payments'] },
  },
];

describe('ScaffolderSyncJob (real scaffolder backend)', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let taskId: string;
  const catalog = catalogServiceMock({ entities });

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({ level: 'none' }),
        catalogServiceMock.factory({ entities }),
        scaffolderPlugin,
      ],
    });
    const dev = mockCredentials.user.header('user:default/dev');
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', dev)
      .send({
        templateRef: 'template:default/node-service',
        values: { name: 'new-svc' },
      });
    if (created.status !== 201)
      throw new Error(`the scaffolder answered ${created.status}`);
    taskId = created.body.id;
    let status = '';
    for (let i = 0; i < 100 && !['completed', 'failed'].includes(status); i++) {
      await new Promise(r => setTimeout(r, 100));
      status = (
        await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${taskId}`)
          .set('Authorization', dev)
      ).body.status;
    }
    if (status !== 'completed')
      throw new Error(`the template run ended ${status || 'not'}`);
  }, 60_000);

  afterAll(() => backend?.stop());

  const discovery = (): DiscoveryService => {
    const base = `http://127.0.0.1:${
      (backend.server.address() as AddressInfo).port
    }/api`;
    return {
      getBaseUrl: async id => `${base}/${id}`,
      getExternalBaseUrl: async id => `${base}/${id}`,
    };
  };

  it.each(databases.eachSupportedId())(
    'is scheduled on one replica at a time, and a pass records the run on %p',
    async id => {
      const store = await DoraStore.create(await databases.init(id));
      const platform = new PlatformMetrics(store);
      const logger = mockServices.logger.mock();
      const sync = new ScaffolderTaskSync({
        platform,
        discovery: discovery(),
        auth: mockServices.auth(),
        catalog,
        logger,
      });
      const scheduler = mockServices.scheduler.mock();
      await new ScaffolderSyncJob({
        scheduler,
        logger,
        sync,
        frequency: { minutes: 15 },
      }).schedule();
      const task = scheduler.scheduleTask.mock.calls[0][0];
      expect(task).toMatchObject({
        id: 'dora-scaffolder-sync',
        scope: 'global',
        frequency: { minutes: 15 },
        initialDelay: { minutes: 1 },
        timeout: { minutes: 5 },
      });

      await task.fn(new AbortController().signal);
      expect(logger.info).toHaveBeenCalledWith(
        'scaffolder sync: 1 template run(s) recorded',
      );
      expect(
        await platform.templateAdoption({ windowDays: 1, at: new Date() }),
      ).toEqual([
        {
          templateRef: 'template:default/node-service',
          teamRef: 'group:default/payments',
          runs: 1,
          succeeded: 1,
        },
      ]);
      // a second pass records the same run again, not twice
      await task.fn(new AbortController().signal);
      expect(
        await platform.templateAdoption({ windowDays: 1, at: new Date() }),
      ).toEqual([expect.objectContaining({ runs: 1 })]);
    },
    30_000,
  );
});
