/*
 * Template runs read from the real scaffolder backend's REST API: a test backend with the scaffolder
 * plugin runs a template (one debug:log step), and the dora plugin's scheduled sync reads the task
 * through GET /api/scaffolder/v2/tasks with its service credentials. The catalog is served in memory
 * (catalogServiceMock) with the template, the user and the component the run "created".
 */
import { coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { captureService } from '@internal/backend-test-utils';
import request from 'supertest';
import { doraPlugin } from '../plugin';

const template = {
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
};

describe('template runs from the scaffolder (real scaffolder backend, catalog in memory)', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const scheduler = captureService('dora', coreServices.scheduler);

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
        }),
        mockServices.rootConfig.factory({
          data: {
            dora: { scaffolder: { sync: true } },
            backend: { baseUrl: 'http://localhost:7007' },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            template,
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'User',
              metadata: { name: 'dev', namespace: 'default' },
              spec: { memberOf: ['payments'] },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'new-svc',
                namespace: 'default',
                annotations: {
                  'backstage.io/source-template':
                    'template:default/node-service',
                },
              },
              spec: {
                type: 'service',
                owner: 'payments',
                lifecycle: 'experimental',
              },
            },
          ],
        }),
        scheduler.feature,
        scaffolderPlugin,
        doraPlugin,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('records the run with its template, team and created component', async () => {
    const api = () => request(backend.server);
    const created = await api()
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header('user:default/dev'))
      .send({
        templateRef: 'template:default/node-service',
        values: { name: 'new-svc' },
      });
    expect(created.status).toBe(201);
    const id = created.body.id;
    let status = '';
    for (let i = 0; i < 100 && !['completed', 'failed'].includes(status); i++) {
      await new Promise(r => setTimeout(r, 100));
      status = (
        await api()
          .get(`/api/scaffolder/v2/tasks/${id}`)
          .set('Authorization', mockCredentials.user.header('user:default/dev'))
      ).body.status;
    }
    expect(status).toBe('completed');

    await scheduler.get().triggerTask('dora-scaffolder-sync');
    let items: any[] = [];
    for (let i = 0; i < 50 && !items.length; i++) {
      await new Promise(r => setTimeout(r, 100));
      items = (
        await api()
          .get('/api/dora/platform/template-adoption?window=1')
          .set('Authorization', mockCredentials.user.header('user:default/dev'))
      ).body.items;
    }
    expect(items).toEqual([
      {
        templateRef: 'template:default/node-service',
        teamRef: 'group:default/payments',
        runs: 1,
        succeeded: 1,
      },
    ]);
    // the run created new-svc (its source-template annotation and the name parameter); not deployed yet
    const ttfd = await api()
      .get('/api/dora/platform/time-to-first-deploy?window=1')
      .set('Authorization', mockCredentials.user.header('user:default/dev'));
    expect(ttfd.body.items).toEqual([
      expect.objectContaining({
        taskId: id,
        componentRef: 'component:default/new-svc',
        teamRef: 'group:default/payments',
      }),
    ]);
    expect(ttfd.body.items[0].firstDeployedAt).toBeUndefined();
  }, 30_000);
});
