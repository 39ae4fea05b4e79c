/*
 * Test helpers (not exported): a real backend with the environments plugin, the permission
 * backend with the OPA policy (a real OPA) and the real OpenTofu, its run worker triggered in a
 * loop, as the action and module tests need it.
 */
import {
  AuthService,
  BackendFeature,
  coreServices,
  createBackendPlugin,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import environmentsPlugin from '@internal/plugin-environments-backend';
import { Environment } from '@internal/plugin-environments-common';
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
import { EnvironmentsClient } from '../EnvironmentsClient';

export const repo = path.resolve(__dirname, '../../../..');

/** The Authorization header of a person of catalog/org.yaml (dev: a developer, ana: platform). */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/**
 * Starts the backend with `features` besides the environments ones; `config` (given the backend's
 * work folder) is merged over the environments test config, `environments` into its
 * `environments` block.
 */
export async function startEnvironmentsBackend(options: {
  features?: BackendFeature[];
  config?: (work: string) => Record<string, unknown>;
  environments?: Record<string, unknown>;
}) {
  const work = fs.mkdtempSync(
    path.join(os.tmpdir(), 'environments-scaffolder-'),
  );
  const envScheduler = captureService('environments', coreServices.scheduler);
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: {
          ...environmentsTestConfig(work, {
            scaffolder: { pollIntervalMs: 200 },
            ...options.environments,
          }),
          ...options.config?.(work),
        },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      envScheduler.feature,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
      ...(options.features ?? []),
    ],
  });
  let working = true;
  const worker = (async () => {
    while (working) {
      await envScheduler.get().triggerTask('environments-worker');
      await new Promise(r => setTimeout(r, 200));
    }
  })();
  const api = () => request(backend.server);
  return {
    work,
    backend,
    api,
    /** Every environment ana (platform) sees. */
    async all(): Promise<Environment[]> {
      return (
        await api()
          .get('/api/environments/environments?scope=all')
          .set('Authorization', as('ana'))
      ).body.items;
    },
    async get(id: string): Promise<Environment> {
      return (
        await api()
          .get(`/api/environments/environments/${id}`)
          .set('Authorization', as('dev'))
      ).body.environment;
    },
    /** Waits until the environment is in `state` (the worker runs in the background). */
    async until(id: string, state: Environment['state']) {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const environment = await this.get(id);
        if (environment.state === state) return environment;
        if (Date.now() > deadline)
          throw new Error(`${id} is still ${environment.state}, not ${state}`);
        await new Promise(r => setTimeout(r, 250));
      }
    },
    async stop() {
      working = false;
      await worker;
      await backend.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * A stand-in for the scaffolder plugin (id `scaffolder`) that only hands out its discovery and
 * auth services, so that an action's EnvironmentsClient calls the environments plugin as the
 * real scaffolder's would (a user's token, with the scaffolder as the actor).
 */
export function scaffolderServices() {
  let captured: { discovery: DiscoveryService; auth: AuthService } | undefined;
  const feature = createBackendPlugin({
    pluginId: 'scaffolder',
    register(reg) {
      reg.registerInit({
        deps: { discovery: coreServices.discovery, auth: coreServices.auth },
        async init(deps) {
          captured = deps;
        },
      });
    },
  });
  return {
    feature,
    client() {
      if (!captured) throw new Error('the backend has not started');
      return new EnvironmentsClient(captured);
    },
  };
}
