/*
 * dora:template-run:record against the real DORA plugin in a test backend (SQLite, no scaffolder
 * sync): the run it records is what template adoption answers at once. The catalog is Backstage's
 * catalog mock (the DORA plugin only looks components up); permissions are the test backend's
 * in-process ALLOW mock.
 */
import {
  AuthService,
  coreServices,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  captureService,
  checkpointStore,
  exampleSteps,
  runAction,
} from '@internal/backend-test-utils';
import doraPlugin from '@internal/plugin-dora-backend';
import request from 'supertest';
import { createTemplateRunAction } from './templateRun';

jest.setTimeout(60_000);

describe('dora:template-run:record', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let action: ReturnType<typeof createTemplateRunAction>;

  beforeAll(async () => {
    const discovery = captureService('dora', coreServices.discovery);
    const auth = captureService('dora', coreServices.auth);
    backend = await startTestBackend({
      features: [
        doraPlugin,
        discovery.feature,
        auth.feature,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: { dora: { scaffolder: { sync: false } } },
        }),
      ],
    });
    action = createTemplateRunAction({
      discovery: discovery.get() as DiscoveryService,
      auth: auth.get() as AuthService,
    });
  });

  afterAll(() => backend?.stop());

  const adoption = () =>
    request(backend.server)
      .get('/api/dora/platform/template-adoption')
      .query({ window: 1 })
      .set('Authorization', mockCredentials.user.header('user:default/dev'));

  const run = (input: Record<string, string>) =>
    runAction(action, input, {
      store: checkpointStore(),
      templateRef: 'template:default/node-service',
    });

  it('records the run, so template adoption counts it at once; a second record changes nothing', async () => {
    const input = {
      componentRef: 'component:default/order-history',
      teamRef: 'group:default/payments',
    };
    const first = await run(input);
    expect(first.error).toBeUndefined();
    expect(first.log).toContain(
      'recorded in DORA: template:default/node-service created component:default/order-history',
    );
    const again = await run(input);
    expect(again.error).toBeUndefined();
    const res = await adoption();
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([
      {
        templateRef: 'template:default/node-service',
        teamRef: 'group:default/payments',
        runs: 1,
        succeeded: 1,
      },
    ]);
  });

  it('refuses a component ref that is not one, naming the field', async () => {
    const { error } = await run({ componentRef: 'order-history' });
    expect(error?.message).toMatch(
      /^DORA refused the template run \(400\): .*componentRef.*must be a component entity ref/,
    );
  });

  it('has examples that are steps of this action', () => {
    expect(exampleSteps(action).length).toBeGreaterThan(0);
  });
});
