/*
 * The scale benchmark's backend (bench/scale.bench.ts): the environments plugin as the portal runs
 * it, in a test backend, on a database of TestDatabases (SQLite or PostgreSQL, fresh for each size):
 * the real REST router behind the mock auth of startTestBackend, the permission backend with the
 * OPA policy module and a real OPA on the repository's policies/, and the plugin's scheduled jobs
 * on the mock scheduler (they run when triggered, never on their own). The replica serves the API
 * only (runs.concurrency 0); the bench works the run queue with a RunWorker of its own, another
 * replica on the same database, OpenTofu work folder and state.
 */
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import permissionPlugin from '@backstage/plugin-permission-backend';
import {
  actorAwareMockAuthFactory,
  captureService,
  environmentsTestConfig,
} from '@internal/backend-test-utils';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import { findTool } from '@internal/plugin-platform-node';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { BlueprintCatalog } from '../src/blueprints/BlueprintCatalog';
import { readEnvironmentsConfig } from '../src/config';
import { environmentsPlugin } from '../src/plugin';
import { TofuRunner } from '../src/runner/TofuRunner';
import { RunWorker } from '../src/service/RunWorker';
import { EnvironmentStore } from '../src/store/EnvironmentStore';

/** The person whose lists are measured: a member of team-1 alone. */
export const BENCH_USER = 'user:default/bench-dev';
export const BENCH_TEAM = 'group:default/team-1';

/** Each user's ownership: the user and team-1 for the bench user, the user alone for others. */
const benchUserInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials) {
      const principal = credentials.principal as { userEntityRef?: string };
      const ref = principal.userEntityRef;
      if (!ref) throw new Error('Only user credentials are supported');
      return {
        userEntityRef: ref,
        ownershipEntityRefs: ref === BENCH_USER ? [ref, BENCH_TEAM] : [ref],
      };
    },
  }),
});

/** Starts the plugin on `knex`; `stop` it when the size is measured. */
export async function startScaleBackend(knex: Knex) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
  const scheduler = captureService('environments', coreServices.scheduler);
  const config = environmentsTestConfig(work, { runs: { concurrency: 0 } });
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: { ...config, opa: { ...config.opa, timeoutMs: 5000 } },
      }),
      mockServices.database.factory({ knex }),
      actorAwareMockAuthFactory,
      benchUserInfo,
      scheduler.feature,
      actionsRegistryServiceFactory,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
    ],
  });
  // another replica's store and worker, with the plugin's runner settings (work folder, state,
  // state encryption), so that its runs and the plugin's share OpenTofu's folders and state
  const store = await EnvironmentStore.create(knex, { skipMigrations: true });
  const settings = readEnvironmentsConfig(new ConfigReader(config));
  const blueprints = BlueprintCatalog.load(
    (settings.blueprints as { dir: string }).dir,
  );
  const tofu = (await findTool(new ConfigReader({}), 'tofu')).path;
  const runner = new TofuRunner({ ...settings.runner, binary: tofu });
  const worker = new RunWorker(store, blueprints, runner, {
    workerId: 'bench-replica',
    concurrency: 2,
  });
  const auth = mockCredentials.user.header(BENCH_USER);
  return {
    knex,
    store,
    runner,
    worker,
    tofu,
    /** GET `p` under /api/environments as the bench user. */
    get: (p: string) =>
      request(backend.server)
        .get(`/api/environments${p}`)
        .set('Authorization', auth),
    /** Runs one of the plugin's scheduled tasks now and waits for it (the mock scheduler's trigger). */
    trigger: (id: string) => scheduler.get().triggerTask(id),
    stop: async () => {
      await backend.stop();
      await runner.close();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

export type ScaleBackend = Awaited<ReturnType<typeof startScaleBackend>>;
