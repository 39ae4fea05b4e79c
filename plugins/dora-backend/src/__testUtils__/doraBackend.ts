/*
 * Test-only: the dora plugin in a test backend (SQLite) for the router and plugin tests: the real
 * HTTP router, signed webhook sources of each type, the catalog served in memory
 * (catalogServiceMock) with the example organisation's components from catalog/components.yaml,
 * sign-in simulated with startTestBackend's mock credentials (a request without a token is
 * unauthenticated). Imported by *.test.ts files alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import {
  BackendFeature,
  coreServices,
  resolvePackagePath,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  actorAwareMockAuthFactory,
  captureService,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { doraPlugin } from '../plugin';

export const REPO = path.resolve(
  resolvePackagePath('@internal/plugin-dora-backend'),
  '../..',
);
const GITHUB_SECRET = 'github-test-secret-0123456789';
const GITLAB_TOKEN = 'gitlab-test-token-0123456789';
const CDEVENTS_SECRET = 'cdevents-test-secret-0123456789';
const GITEA_SECRET = 'gitea-test-secret-0123456789';
/** The secrets of the test backend's sources (shorter than production accepts). */
export const SECRETS = {
  github: GITHUB_SECRET,
  gitlab: GITLAB_TOKEN,
  gitea: GITEA_SECRET,
  cdevents: CDEVENTS_SECRET,
};
/** dora.maxPayloadBytes of the test backend. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;

/** The Authorization header of a user of the example organisation. */
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
/** The Authorization header of a service (a CI system's static token). */
export const asService = () => mockCredentials.service.header();
/** `sha256=<hex HMAC-SHA256>`, as GitHub and CDEvents sign. */
export const sign = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export const exampleComponents = (): Entity[] =>
  parseAllDocuments(
    fs.readFileSync(path.join(REPO, 'catalog/components.yaml'), 'utf8'),
  )
    .map(d => d.toJS() as Entity)
    .filter(e => e?.kind === 'Component');

export interface DoraTestBackend {
  api(): ReturnType<typeof request>;
  scheduler(): SchedulerService;
  /** POSTs a GitHub delivery to the github-acme source, signed unless `signature` is null. */
  github(
    event: string,
    deliveryId: string,
    body: string,
    signature?: string | null,
  ): request.Test;
  /** GET /deliveries as a developer. */
  deliveries(query?: string): Promise<any>;
  /** Works the queue as the scheduled task does, until nothing is pending; the counts by status. */
  settled(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/**
 * Starts the plugin with sources github-acme, gitlab-acme and cd, a small payload limit, a minimum
 * sample of 1, the benchmark `acme`, and no scaffolder sync; `dora` replaces top-level keys of
 * dora, `config` adds other top-level keys (integrations).
 */
export async function startDoraBackend(
  options: {
    dora?: Record<string, unknown>;
    config?: Record<string, unknown>;
    entities?: Entity[];
    features?: BackendFeature[];
  } = {},
): Promise<DoraTestBackend> {
  const scheduler = captureService('dora', coreServices.scheduler);
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({
        level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.config,
          dora: {
            maxPayloadBytes: MAX_PAYLOAD_BYTES,
            scaffolder: { sync: false },
            metrics: {
              minimumSampleSize: 1,
              benchmarks: {
                acme: {
                  description: 'Acme targets',
                  thresholds: {
                    deploymentFrequency: { elite: 10, high: 5, medium: 1 },
                  },
                },
              },
            },
            sources: [
              { id: 'github-acme', type: 'github', secret: SECRETS.github },
              { id: 'gitlab-acme', type: 'gitlab', secret: SECRETS.gitlab },
              { id: 'cd', type: 'cdevents', secret: SECRETS.cdevents },
            ],
            ...options.dora,
          },
        },
      }),
      catalogServiceMock.factory({
        entities: options.entities ?? exampleComponents(),
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      scheduler.feature,
      doraPlugin,
      ...(options.features ?? []),
    ],
  });
  const api = () => request(backend.server);
  const deliveries = async (query = '') =>
    (
      await api()
        .get(`/api/dora/deliveries${query}`)
        .set('Authorization', as('dev'))
    ).body;
  return {
    api,
    scheduler: () => scheduler.get(),
    github(event, deliveryId, body, signature = sign(SECRETS.github, body)) {
      const r = api()
        .post('/api/dora/webhooks/github-acme')
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', event)
        .set('X-GitHub-Delivery', deliveryId);
      if (signature !== null) r.set('X-Hub-Signature-256', signature);
      return r.send(body);
    },
    deliveries,
    async settled() {
      for (let i = 0; i < 100; i++) {
        await scheduler.get().triggerTask('dora-normalise');
        const { counts } = await deliveries();
        if (!counts.pending && !counts.processing) return counts;
        await new Promise(r => setTimeout(r, 50));
      }
      throw new Error('deliveries were not normalised');
    },
    stop: () => backend.stop(),
  };
}
