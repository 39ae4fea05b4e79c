/*
 * Test-only: the environments plugin in a whole test backend, as the API tests use it (plugin,
 * acceptance, fuzz and secret-leak tests): the permission backend with the OPA policy module and a
 * real OPA on the repository's policies/ (no decision cache), the plugin on the test backend's
 * SQLite unless a test gives another database, people and teams from catalog/org.yaml
 * (startTestBackend's mock credentials, with the calling plugin as actor), and the actions registry
 * of @backstage/backend-defaults (serving {API}/.backstage/actions/v1/actions and …/<id>/invoke;
 * backend.actions.* from `config` applies). Imported by *.test.ts files alone, never by production
 * code.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { BackendFeature, coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  actorAwareMockAuthFactory,
  captureService,
  environmentsTestConfig,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { environmentsPlugin } from '../plugin';
import { EnvironmentStore } from '../store/EnvironmentStore';

/** Where the plugin's REST API is mounted. */
export const API = '/api/environments';

/** Where the actions registry serves the plugin's actions (list; `${ACTIONS}/<id>/invoke`). */
export const ACTIONS = `${API}/.backstage/actions/v1/actions`;

/** A person of catalog/org.yaml, signed in (dev, fatima: payments; chloe, eli: storefront; ben, ana: platform; vic: viewer). */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

export interface TestBackendOptions {
  /** The start of the name of the temporary folder that holds OpenTofu's work. */
  name?: string;
  /**
   * Added to the plugin's config section (environments.*), beside blueprintsDir and workDir;
   * `blueprints.url` replaces blueprintsDir.
   */
  environments?: Record<string, unknown>;
  /** Added to the config beside the plugin's section (integrations, say). */
  config?: Record<string, unknown>;
  /** Added to the opa config section (the OPA timeout is raised to 5 s for loaded test machines). */
  opa?: Record<string, unknown>;
  /** Replaces the mock root logger (at TEST_LOG_LEVEL, or silent). */
  rootLogger?: BackendFeature;
  /** Replaces the database service (the test backend's SQLite). */
  database?: BackendFeature;
}

/** Starts the backend; `stop` it in afterAll. */
export async function startEnvironmentsBackend(
  options: TestBackendOptions = {},
) {
  const work = fs.mkdtempSync(
    path.join(os.tmpdir(), options.name ?? 'environments-test-'),
  );
  const database = captureService('environments', coreServices.database);
  const scheduler = captureService('environments', coreServices.scheduler);
  const config = environmentsTestConfig(work, options.environments);
  const section: { blueprintsDir?: string } = config.environments;
  if ((options.environments?.blueprints as { url?: string })?.url)
    delete section.blueprintsDir; // the plugin takes one of the two
  const backend = await startTestBackend({
    features: [
      options.rootLogger ??
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
        }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          ...config,
          opa: { ...config.opa, timeoutMs: 5000, ...options.opa },
        },
      }),
      ...(options.database ? [options.database] : []),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      database.feature,
      scheduler.feature,
      // the real registry, named here rather than left to startTestBackend's default
      actionsRegistryServiceFactory,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
    ],
  });
  const knex: Knex = await database.get().getClient();
  const store = await EnvironmentStore.create(knex, { skipMigrations: true });
  const url = (p: string) => (p.startsWith('/api/') ? p : `${API}${p}`);
  return {
    backend,
    /** The folder of OpenTofu's work (environments.workDir). */
    work,
    /** The plugin's database, and a store on it (for what the API does not do: logs, states). */
    knex,
    store,
    /** A request to the backend, without credentials. */
    request: () => request(backend.server),
    /** GET `p` (under /api/environments unless it starts with /api/) as `user`. */
    get: (user: string, p: string) =>
      request(backend.server).get(url(p)).set('Authorization', as(user)),
    /** POST `body` to `p` (under /api/environments unless it starts with /api/) as `user`. */
    post: (user: string, p: string, body?: object) =>
      request(backend.server)
        .post(url(p))
        .set('Authorization', as(user))
        .send(body),
    /** Invokes the action environments:`name` with `input` as `user`, through the registry's HTTP route. */
    invoke: (user: string, name: string, input: object) =>
      request(backend.server)
        .post(`${ACTIONS}/environments:${name}/invoke`)
        .set('Authorization', as(user))
        .send(input),
    /** Works the run queue now (the environments-worker task), as its schedule would. */
    runQueue: () => scheduler.get().triggerTask('environments-worker'),
    /** How many environments, history rows and runs are stored. */
    rows: async () => {
      const [e, h, r] = await Promise.all(
        ['environments', 'environment_history', 'runs'].map(t =>
          knex(t).count({ n: '*' }).first(),
        ),
      );
      return {
        environments: Number(e!.n),
        history: Number(h!.n),
        runs: Number(r!.n),
      };
    },
    stop: async () => {
      await backend.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/** What startEnvironmentsBackend returns. */
export type EnvironmentsTestBackend = Awaited<
  ReturnType<typeof startEnvironmentsBackend>
>;
