/*
 * Test-only: the environments REST API in a whole test backend, for the router tests: the
 * permission backend with the OPA policy module and a real OPA on the repository's policies/, the
 * plugin on SQLite, people and teams from catalog/org.yaml (startTestBackend's mock credentials).
 * The replica serves the API only (runs.concurrency 0): runs stay queued. Imported by *.test.ts
 * files alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { coreServices } from '@backstage/backend-plugin-api';
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
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { environmentsPlugin } from '../plugin';
import { EnvironmentStore } from '../store/EnvironmentStore';

/** A person of catalog/org.yaml, signed in (dev and fatima: payments; chloe: storefront; ben, ana: platform; vic: viewer). */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** Starts the API; `stop` it in afterAll. */
export async function startApiBackend() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-router-'));
  const database = captureService('environments', coreServices.database);
  const config = environmentsTestConfig(work, { runs: { concurrency: 0 } });
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({
        level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
      }),
      // OPA's timeout raised for a loaded test machine (the tests are not about its latency)
      mockServices.rootConfig.factory({
        data: { ...config, opa: { ...config.opa, timeoutMs: 5000 } },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      database.feature,
      permissionPlugin,
      permissionModuleOpa,
      environmentsPlugin,
    ],
  });
  const store = await EnvironmentStore.create(
    await database.get().getClient(),
    { skipMigrations: true },
  );
  const url = (p: string) => `/api/environments${p}`;
  const api = {
    store,
    get: (user: string, p: string) =>
      request(backend.server).get(url(p)).set('Authorization', as(user)),
    post: (user: string, p: string, body?: object) =>
      request(backend.server)
        .post(url(p))
        .set('Authorization', as(user))
        .send(body),
    /** A request without credentials, or with others (a service's). */
    request: () => request(backend.server),
    url,
    /** Requests a workspace of `owner` as `user` (201: queued), or with `body`'s fields. */
    create: async (user: string, body: object = {}) => {
      const res = await api.post(user, '/environments', {
        name: 'ws',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ...body,
      });
      if (res.status >= 300)
        throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.environment as { id: string; state: string };
    },
    stop: async () => {
      await backend.stop();
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
  return api;
}

/** What startApiBackend returns. */
export type ApiBackend = Awaited<ReturnType<typeof startApiBackend>>;
