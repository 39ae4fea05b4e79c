/*
 * The backend of the DORA and scorecards scale benchmark (scale.bench.ts): the portal's plugins in
 * Backstage's test backend, as src/__testUtils__/portalBackend.ts has them: the real catalog
 * (reading the organisation from a `file` location) with the visibility module, the permission
 * backend with the OPA module asking a real OPA process on the repository's policies/, and the
 * dora plugin. Every plugin gets a database of its own from TestDatabases (SQLite in memory, or
 * PostgreSQL), as the portal gives each plugin its own. Only sign-in is simulated
 * (startTestBackend's mock credentials). The plugin's own jobs are held off (normaliser and
 * scorecard evaluation once an hour, the first in an hour): the benchmark runs the same code
 * itself, to time it.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogServiceRef,
  CatalogService,
} from '@backstage/plugin-catalog-node';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  actorAwareMockAuthFactory,
  captureService,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import { findTool, freePort } from '@internal/plugin-platform-node';
import { Knex } from 'knex';
import path from 'node:path';
import request from 'supertest';
import { doraPlugin } from '../src/plugin';
import { appConfig } from '../src/__testUtils__/portalBackend';
import { REPO } from './scaleOrganisation';

const ALL_KINDS = [
  'Location',
  'Group',
  'User',
  'Domain',
  'System',
  'Component',
  'API',
  'Resource',
];

/** The Authorization header of a user of the example organisation. */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

export interface ScaleBackend {
  api(): ReturnType<typeof request>;
  /** http://localhost:<port> */
  baseUrl: string;
  /** The dora plugin's database. */
  knex: Knex;
  /** The catalog and auth services the dora plugin receives. */
  catalog: CatalogService;
  auth: AuthService;
  stop(): Promise<void>;
}

/** Starts OPA and the backend on `db`, and waits until the catalog holds `expect` entities of each kind. */
export async function startScaleBackend(options: {
  databases: TestDatabases;
  db: TestDatabaseId;
  catalogFile: string;
  expect: Record<string, number>;
}): Promise<ScaleBackend> {
  const opaTool = await findTool(new ConfigReader({}), 'opa');
  const opa = await LocalOpaServer.start({
    binary: opaTool.path,
    policyDir: path.join(REPO, 'policies'),
    port: await freePort(),
  });
  const clients = new Map<string, Knex>();
  const database = createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }) {
      const knex = await options.databases.init(options.db);
      clients.set(plugin.getId(), knex);
      return { getClient: async () => knex };
    },
  });
  const catalog = captureService('dora', catalogServiceRef);
  const auth = captureService('dora', coreServices.auth);
  const portal = appConfig();
  const hour = { hours: 1 };
  const backend = await startTestBackend({
    features: [
      database,
      mockServices.rootLogger.factory({
        level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { actions: portal.backend.actions },
          permission: { enabled: true },
          opa: {
            url: opa.url,
            // app-config.yaml's decision cache; a longer timeout than its 200 ms on shared cores
            timeoutMs: 5000,
            cache: portal.opa.cache,
            fallback: portal.opa.fallback,
          },
          catalog: {
            rules: [{ allow: ALL_KINDS }],
            locations: [{ type: 'file', target: options.catalogFile }],
            // read once: the entities are not processed again while the benchmark measures
            processingInterval: hour,
          },
          dora: {
            scaffolder: { sync: false },
            processing: { immediate: false, frequency: hour },
            sources: [
              {
                id: 'github-acme',
                type: 'github',
                secret: 'bench-github-secret-0123456789',
              },
            ],
            scorecards: {
              dir: path.join(REPO, 'scorecards'),
              frequency: hour,
              initialDelay: hour,
            },
          },
        },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      catalog.feature,
      auth.feature,
      catalogPlugin,
      catalogModuleVisibility,
      permissionPlugin,
      permissionModuleOpa,
      doraPlugin,
    ],
  });
  const api = () => request(backend.server);
  const deadline = Date.now() + 30 * 60_000;
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const kind of Object.keys(options.expect)) {
      const res = await api()
        .get('/api/catalog/entities/by-query')
        .query({ filter: `kind=${kind}`, limit: 1 })
        .set('Authorization', mockCredentials.service.header());
      out[kind] = res.body.totalItems ?? 0;
    }
    return out;
  };
  for (;;) {
    const seen = await counts();
    if (Object.entries(options.expect).every(([k, n]) => seen[k] >= n)) break;
    if (Date.now() > deadline)
      throw new Error(
        `the catalog holds ${JSON.stringify(seen)}, not ${JSON.stringify(
          options.expect,
        )}`,
      );
    await new Promise(r => setTimeout(r, 1000));
  }
  return {
    api,
    baseUrl: `http://localhost:${backend.server.port()}`,
    knex: clients.get('dora')!,
    catalog: catalog.get(),
    auth: auth.get(),
    async stop() {
      await backend.stop();
      await opa.stop();
      // frees the databases (SQLite's are in memory) before the next size
      for (const knex of clients.values()) await knex.destroy();
    },
  };
}
