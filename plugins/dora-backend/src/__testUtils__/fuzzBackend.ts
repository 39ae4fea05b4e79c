/*
 * The test backend of the dora fuzz suite (src/fuzz.*.test.ts, issue 11): the real router in a test
 * backend (SQLite; the catalog served in memory from catalog/components.yaml, sign-in simulated
 * with startTestBackend's mock credentials), its sources and secrets, and the properties every
 * answer must have: no 5xx; every 4xx body names the field (a message that starts with
 * "<field>: "); and nothing is stored for a refused request (the number of stored deliveries, read
 * through the API before and after, changes only by the one delivery a 202 stored). For tests only
 * (production code must not import src/__testUtils__/).
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  actorAwareMockAuthFactory,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { doraPlugin } from '../plugin';

/** The fast-check seed of every property of the suite. */
export const SEED = 20261211;
/** The repository's root (catalog/ is read from it). */
const repo = resolvePackagePath('@internal/plugin-dora-backend', '../..');
export const SECRETS = {
  github: 'fuzz-github-secret-0123456789abcdef',
  gitlab: 'fuzz-gitlab-token-0123456789abcdef',
  gitea: 'fuzz-gitea-secret-0123456789abcdef',
  cdevents: 'fuzz-cdevents-secret-0123456789abc',
};
/** The backend's dora.maxPayloadBytes. */
export const MAX = 16 * 1024;
/** How many requests each property generates. */
export const RUNS = { webhooks: 2000, events: 2000, lists: 2200 };
export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
export const sign = (secret: string, body: Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const entities = parseAllDocuments(
  fs.readFileSync(path.join(repo, 'catalog/components.yaml'), 'utf8'),
)
  .map(d => d.toJS() as Entity)
  .filter(e => e?.kind === 'Component');

/** A message that names its field: "<field>: <rule>" (a dotted path, a header name, `body`, `limit`...). */
const NAMES_FIELD = /^[A-Za-z][\w.\-[\]]*( [a-z]+)?: \S/;

/** What a fuzz test file sends with and checks with. */
export interface FuzzBackend {
  api(): ReturnType<typeof request>;
  /** How many deliveries are stored (every status), through the API. */
  stored(): Promise<number>;
  /** The properties every answer must have. */
  check(res: request.Response, what: string): void;
  /** Sends a POST, checks that only a 202 stored anything, and exactly one delivery; returns the answer. */
  post(what: string, send: () => request.Test): Promise<request.Response>;
  /** How many requests have been checked so far. */
  requests(): number;
  /** A request whose body goes as the bytes given (superagent would otherwise write a Buffer as JSON). */
  raw(t: request.Test): request.Test;
}

/**
 * Registers the backend's start (beforeAll) and stop (afterAll, with the count of generated
 * requests by status) in the calling describe block.
 */
export function fuzzBackend(): FuzzBackend {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const api = () => request(backend.server);
  const stats = { requests: 0, byStatus: new Map<number, number>() };

  /** How many deliveries are stored (every status), through the API. */
  const stored = async () => {
    const res = await api()
      .get('/api/dora/deliveries?limit=1')
      .set('Authorization', as('dev'));
    expect(res.status).toBe(200);
    return Object.values(res.body.counts as Record<string, number>).reduce(
      (a, b) => a + b,
      0,
    );
  };

  /** The properties every answer must have. */
  const check = (res: request.Response, what: string) => {
    stats.requests++;
    stats.byStatus.set(res.status, (stats.byStatus.get(res.status) ?? 0) + 1);
    const context = `${what} -> ${res.status} ${JSON.stringify(res.body)?.slice(
      0,
      300,
    )}`;
    expect({ context, serverError: res.status >= 500 }).toEqual({
      context,
      serverError: false,
    });
    if (res.status >= 400) {
      const message = res.body?.error?.message;
      expect({
        context,
        namesField: typeof message === 'string' && NAMES_FIELD.test(message),
      }).toEqual({ context, namesField: true });
    }
  };

  /**
   * Sends a POST and checks that only a 202 stored anything, and exactly one delivery. Nothing else
   * adds deliveries meanwhile (the processor only changes their status), so the count after one
   * request is the count before the next.
   */
  let count: number | undefined;
  const post = async (what: string, send: () => request.Test) => {
    const before = count ?? (await stored());
    const res = await send();
    check(res, what);
    count = await stored();
    expect({ what, status: res.status, added: count - before }).toEqual({
      what,
      status: res.status,
      added: res.status === 202 ? 1 : 0,
    });
    return res;
  };
  /** A request whose body goes as the bytes given (superagent would otherwise write a Buffer as JSON). */
  const raw = (t: request.Test) => t.serialize((b: any) => b);

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
        }),
        mockServices.rootConfig.factory({
          data: {
            dora: {
              maxPayloadBytes: MAX,
              scaffolder: { sync: false },
              // normalise in the background as in production, so fuzzed deliveries go through the processor too
              processing: { immediate: true, quietMs: 0 },
              metrics: {
                benchmarks: {
                  acme: {
                    thresholds: {
                      deploymentFrequency: { elite: 10, high: 5, medium: 1 },
                    },
                  },
                },
              },
              sources: [
                {
                  id: 'github-fuzz',
                  type: 'github',
                  secret: SECRETS.github,
                  rateLimit: { requests: 1_000_000, windowSeconds: 60 },
                },
                {
                  id: 'gitlab-fuzz',
                  type: 'gitlab',
                  secret: SECRETS.gitlab,
                  rateLimit: { requests: 1_000_000, windowSeconds: 60 },
                },
                {
                  id: 'gitea-fuzz',
                  type: 'gitea',
                  secret: SECRETS.gitea,
                  rateLimit: { requests: 1_000_000, windowSeconds: 60 },
                },
                {
                  id: 'cd-fuzz',
                  type: 'cdevents',
                  secret: SECRETS.cdevents,
                  rateLimit: { requests: 1_000_000, windowSeconds: 60 },
                },
                {
                  id: 'limited',
                  type: 'github',
                  secret: SECRETS.github,
                  rateLimit: { requests: 3, windowSeconds: 3600 },
                },
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        actorAwareMockAuthFactory,
        orgUserInfoFactory,
        doraPlugin,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    const statuses = [...stats.byStatus.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}: ${n}`);
    process.stdout.write(
      `dora fuzz: ${stats.requests} generated requests (${statuses.join(
        ', ',
      )})\n`,
    );
  });

  return { api, stored, check, post, raw, requests: () => stats.requests };
}
