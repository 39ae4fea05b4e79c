/*
 * Environments in the catalog: a backend with the catalog, this module, the environments plugin,
 * the permission backend with the OPA policy (a real OPA) and the real OpenTofu.
 */
import { coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import environmentsPlugin from '@internal/plugin-environments-backend';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import {
  actorAwareMockAuthFactory,
  captureService,
  environmentsTestConfig,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { catalogModuleEnvironments } from './module';

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

it('lists an environment in the catalog as a Resource of its team while it lives, and drops it once destroyed, by request or by the reaper at expiry', async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-catalog-'));
  const envScheduler = captureService('environments', coreServices.scheduler);
  const catalogScheduler = captureService('catalog', coreServices.scheduler);
  const envDatabase = captureService('environments', coreServices.database);
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: {
          ...environmentsTestConfig(work),
          catalog: {
            rules: [{ allow: ['Resource', 'Group', 'User'] }],
            processingInterval: { seconds: 1 },
          },
        },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      envScheduler.feature,
      catalogScheduler.feature,
      envDatabase.feature,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
      catalogPlugin,
      catalogModuleEnvironments,
    ],
  });
  const api = () => request(backend.server);
  const resources = async () =>
    (
      await api()
        .get('/api/catalog/entities/by-query')
        .query({ filter: 'kind=resource,spec.type=environment' })
        .set('Authorization', as('ana'))
    ).body.items;
  /** The catalog's Resource of an environment, if it lists one. */
  const resourceOf = async (environmentId: string) =>
    (await resources()).find(
      (e: any) =>
        e.metadata.annotations['portal.acme.example/environment-id'] ===
        environmentId,
    );
  const until = async <T>(probe: () => Promise<T | undefined>) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise(r => setTimeout(r, 250));
    }
  };
  try {
    const created = await api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({
        name: 'cat-ws',
        blueprint: 'workspace',
        owner: 'group:default/payments',
      });
    const id = created.body.environment.id;
    await envScheduler.get().triggerTask('environments-worker');
    await catalogScheduler.get().triggerTask('environments-entity-provider');
    const entity = await until(() => resourceOf(id));
    expect(entity).toMatchObject({
      kind: 'Resource',
      spec: { type: 'environment', owner: 'group:default/payments' },
      metadata: {
        annotations: expect.objectContaining({
          'portal.acme.example/environment-state': 'active',
          'portal.acme.example/environment-blueprint': 'workspace',
          'portal.acme.example/environment-cost-per-hour':
            expect.stringMatching(/^\d+(\.\d+)?$/),
          'portal.acme.example/environment-expires-at':
            expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        }),
        links: [
          {
            url: `http://localhost:3000/environments/${id}`,
            title: 'Environment page',
          },
        ],
      },
      relations: expect.arrayContaining([
        { type: 'ownedBy', targetRef: 'group:default/payments' },
      ]),
    });

    await api()
      .post(`/api/environments/environments/${id}/destroy`)
      .set('Authorization', as('dev'));
    await envScheduler.get().triggerTask('environments-worker');
    await catalogScheduler.get().triggerTask('environments-entity-provider');
    await until(async () => ((await resourceOf(id)) ? undefined : true));

    // An environment whose expiry has passed (moved into the past in the store, as a day passing
    // would): the reaper sends it to destroying, the worker destroys it, and it leaves the catalog.
    const old = (
      await api()
        .post('/api/environments/environments')
        .set('Authorization', as('dev'))
        .send({
          name: 'cat-old',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          ttlHours: 1,
        })
    ).body.environment.id;
    await envScheduler.get().triggerTask('environments-worker');
    await catalogScheduler.get().triggerTask('environments-entity-provider');
    await until(() => resourceOf(old));
    const db = await envDatabase.get().getClient();
    await db('environments')
      .where({ id: old })
      .update({ expires_at: new Date(Date.now() - 60_000) });
    await envScheduler.get().triggerTask('environments-reaper');
    const stateOf = async () =>
      (
        await api()
          .get(`/api/environments/environments/${old}`)
          .set('Authorization', as('dev'))
      ).body.environment?.state;
    await until(async () =>
      ['destroying', 'destroyed'].includes(await stateOf()) ? true : undefined,
    );
    await envScheduler.get().triggerTask('environments-worker');
    await until(async () =>
      (await stateOf()) === 'destroyed' ? true : undefined,
    );
    await catalogScheduler.get().triggerTask('environments-entity-provider');
    await until(async () => ((await resourceOf(old)) ? undefined : true));
  } finally {
    await backend.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

it('schedules the entity provider as catalog.providers.environments.schedule says', async () => {
  const scheduler = mockServices.scheduler.mock();
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: {
          catalog: {
            providers: {
              environments: {
                schedule: {
                  frequency: { minutes: 30 },
                  timeout: 'PT3M',
                  initialDelay: { minutes: 10 },
                },
              },
            },
          },
        },
      }),
      scheduler.factory,
      catalogPlugin,
      catalogModuleEnvironments,
    ],
  });
  try {
    expect(scheduler.scheduleTask).toHaveBeenCalledWith({
      id: 'environments-entity-provider',
      frequency: { minutes: 30 },
      timeout: { minutes: 3 },
      initialDelay: { minutes: 10 },
      fn: expect.any(Function),
    });
  } finally {
    await backend.stop();
  }
});
