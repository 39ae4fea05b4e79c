/*
 * The dora API through the real HTTP router in a test backend (SQLite): signed webhooks from
 * GitHub, GitLab and CDEvents senders, the JSON API, the deliveries list and the metrics. The catalog
 * is served in memory (catalogServiceMock) with the example organisation's components from
 * catalog/components.yaml; sign-in is simulated with startTestBackend's mock credentials.
 */
import { coreServices } from '@backstage/backend-plugin-api';
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
import { doraPlugin } from './plugin';
import { githubPayloads } from './testing/githubPayloads';

const repo = path.resolve(__dirname, '../../..');
const GITHUB_SECRET = 'github-test-secret-0123456789';
const GITLAB_TOKEN = 'gitlab-test-token-0123456789';
const CDEVENTS_SECRET = 'cdevents-test-secret-0123456789';
const MAX = 8 * 1024;
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const sign = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const entities = parseAllDocuments(
  fs.readFileSync(path.join(repo, 'catalog/components.yaml'), 'utf8'),
)
  .map(d => d.toJS() as Entity)
  .filter(e => e?.kind === 'Component');

describe('dora API (catalog served in memory from catalog/components.yaml)', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const scheduler = captureService('dora', coreServices.scheduler);
  const api = () => request(backend.server);
  const gh = githubPayloads(
    'acme/payments-api',
    new Date('2026-03-01T00:00:00Z'),
  );

  const github = (
    event: string,
    deliveryId: string,
    body: string,
    signature: string | null = sign(GITHUB_SECRET, body),
  ) => {
    const r = api()
      .post('/api/dora/webhooks/github-acme')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', event)
      .set('X-GitHub-Delivery', deliveryId);
    if (signature !== null) r.set('X-Hub-Signature-256', signature);
    return r.send(body);
  };
  const deliveries = async (query = '') =>
    (
      await api()
        .get(`/api/dora/deliveries${query}`)
        .set('Authorization', as('dev'))
    ).body;
  /** Normalising runs apart from receiving: work the queue as the scheduled task does. */
  const normalise = () => scheduler.get().triggerTask('dora-normalise');
  const settled = async () => {
    for (let i = 0; i < 100; i++) {
      await normalise();
      const { counts } = await deliveries();
      if (!counts.pending && !counts.processing) return counts;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error('deliveries were not normalised');
  };

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
                { id: 'github-acme', type: 'github', secret: GITHUB_SECRET },
                { id: 'gitlab-acme', type: 'gitlab', secret: GITLAB_TOKEN },
                { id: 'cd', type: 'cdevents', secret: CDEVENTS_SECRET },
              ],
            },
          },
        }),
        catalogServiceMock.factory({ entities }),
        // a request without a token is unauthenticated (the test backend's default is a mock user)
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
        actorAwareMockAuthFactory,
        orgUserInfoFactory,
        scheduler.feature,
        doraPlugin,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
  });

  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const d = gh.push([['a'.repeat(40), 1]], 1);
    const body = JSON.stringify(d.body);
    const wrong = await github(
      'push',
      'sig-wrong',
      body,
      sign('not-the-secret-at-all', body),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe(
      "x-hub-signature-256: does not match the body signed with source github-acme's secret",
    );
    const missing = await github('push', 'sig-missing', body, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(
      /^x-hub-signature-256: is missing/,
    );
    // signed for another body
    const tampered = await github(
      'push',
      'sig-tampered',
      body.replace('"main"', '"main" '),
      sign(GITHUB_SECRET, body),
    );
    expect(tampered.status).toBe(401);
    const gitlab = await api()
      .post('/api/dora/webhooks/gitlab-acme')
      .set('X-Gitlab-Token', 'wrong-token-0123456789')
      .set('X-Gitlab-Event-UUID', 'gl-wrong')
      .send({ object_kind: 'push' });
    expect(gitlab.status).toBe(401);
    const { items } = await deliveries();
    expect(items.map((i: any) => i.deliveryId)).not.toEqual(
      expect.arrayContaining(['sig-wrong']),
    );
    expect(
      items.filter((i: any) => /^sig-|^gl-wrong/.test(i.deliveryId)),
    ).toEqual([]);
  });

  it('takes a signed delivery without a Backstage token, and counts a replay once', async () => {
    const d = gh.deploymentStatus(500, { sha: 'b'.repeat(40), atH: 1 });
    const body = JSON.stringify(d.body);
    const first = await github('deployment_status', 'replay-1', body);
    expect(first.status).toBe(202);
    expect(first.body.delivery).toMatchObject({
      deliveryId: 'replay-1',
      duplicate: false,
    });
    const again = await github('deployment_status', 'replay-1', body);
    expect(again.status).toBe(200);
    expect(again.body.delivery).toEqual({
      ...first.body.delivery,
      duplicate: true,
    });
    await settled();
    const stored = (await deliveries('?source=github-acme')).items.filter(
      (i: any) => i.deliveryId === 'replay-1',
    );
    expect(stored).toEqual([
      expect.objectContaining({
        status: 'processed',
        eventType: 'deployment_status',
      }),
    ]);
    // one deployment, once, in the metrics
    const m = await api()
      .get('/api/dora/metrics')
      .query({
        entity: 'component:default/payments-api',
        window: 7,
        at: '2026-03-02T00:00:00Z',
      })
      .set('Authorization', as('dev'));
    expect(m.status).toBe(200);
    expect(m.body.metrics.deploymentFrequency).toMatchObject({
      sampleSize: 1,
      details: { deployments: 1 },
    });
    // the rows behind it
    const drill = await api()
      .get('/api/dora/metrics/drilldown')
      .query({
        entity: 'component:default/payments-api',
        window: 7,
        at: '2026-03-02T00:00:00Z',
        metric: 'deploymentFrequency',
      })
      .set('Authorization', as('dev'));
    expect(drill.body.rows).toEqual([
      expect.objectContaining({
        type: 'deployment',
        counted: ['deployment'],
        deployment: expect.objectContaining({
          id: 'github-acme:500',
          teamRef: 'group:default/payments',
        }),
      }),
    ]);
  });

  it('answers malformed JSON and an oversize body with a 4xx naming the rule', async () => {
    const bad = '{"ref": "refs/heads/main",';
    const malformed = await github('push', 'malformed-1', bad);
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^body: must be valid JSON \(/,
    );
    const big = JSON.stringify({
      ...gh.push([['c'.repeat(40), 1]], 1).body,
      filler: 'x'.repeat(MAX),
    });
    const oversize = await github('push', 'oversize-1', big);
    expect(oversize.status).toBe(413);
    expect(oversize.body.error.message).toMatch(
      new RegExp(
        `^body: must be at most ${MAX} bytes \\(dora.maxPayloadBytes\\)`,
      ),
    );
    const missingId = await api()
      .post('/api/dora/webhooks/github-acme')
      .set('X-GitHub-Event', 'push')
      .set('X-Hub-Signature-256', sign(GITHUB_SECRET, '{}'))
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(missingId.status).toBe(400);
    expect(missingId.body.error.message).toBe('X-GitHub-Delivery: is missing');
    const unknownSource = await api()
      .post('/api/dora/webhooks/nope')
      .send('{}');
    expect(unknownSource.status).toBe(404);
    const { items } = await deliveries();
    expect(
      items.filter((i: any) =>
        ['malformed-1', 'oversize-1'].includes(i.deliveryId),
      ),
    ).toEqual([]);
  });

  it('accepts an unknown event type with 2xx and shows it as ignored', async () => {
    const body = JSON.stringify({
      action: 'created',
      starred_at: '2026-03-01T00:00:00Z',
      repository: { full_name: 'acme/payments-api' },
    });
    const res = await github('star', 'star-1', body);
    expect(res.status).toBe(202);
    await settled();
    const ignored = (await deliveries('?status=ignored')).items.find(
      (i: any) => i.deliveryId === 'star-1',
    );
    expect(ignored).toMatchObject({
      status: 'ignored',
      reason: 'GitHub event star is not used for DORA metrics',
      eventType: 'star',
    });
  });

  it('takes GitLab deliveries with the right token and CDEvents with a valid signature', async () => {
    const gitlab = await api()
      .post('/api/dora/webhooks/gitlab-acme')
      .set('X-Gitlab-Token', GITLAB_TOKEN)
      .set('X-Gitlab-Event', 'Deployment Hook')
      .set('X-Gitlab-Event-UUID', 'gl-deploy-1')
      .send({
        object_kind: 'deployment',
        status: 'success',
        deployment_id: 77,
        environment: 'production',
        environment_tier: 'production',
        sha: 'd'.repeat(40),
        ref: 'main',
        status_changed_at: '2026-03-01 10:00:00 +0000',
        project: { path_with_namespace: 'acme/ui-kit', default_branch: 'main' },
      });
    expect(gitlab.status).toBe(202);
    const cdevent = JSON.stringify({
      context: {
        version: '0.4.1',
        id: 'cd-1',
        source: 'ci/argo',
        type: 'dev.cdevents.service.deployed.0.2.0',
        timestamp: '2026-03-01T11:00:00Z',
      },
      subject: {
        id: 'checkout-web',
        source: 'ci/argo',
        content: {
          environment: { id: 'production' },
          artifactId: 'pkg:oci/checkout-web@sha256:0',
        },
      },
    });
    const cd = await api()
      .post('/api/dora/webhooks/cd')
      .set('Content-Type', 'application/json')
      .set('X-CDEvents-Signature-256', sign(CDEVENTS_SECRET, cdevent))
      .send(cdevent);
    expect(cd.status).toBe(202);
    await settled();
    for (const [entity, team] of [
      ['component:default/ui-kit', 'group:default/platform'],
      ['component:default/checkout-web', 'group:default/storefront'],
    ]) {
      const drill = await api()
        .get('/api/dora/metrics/drilldown')
        .query({
          entity,
          window: 7,
          at: '2026-03-02T00:00:00Z',
          metric: 'deploymentFrequency',
        })
        .set('Authorization', as('dev'));
      expect(drill.body.rows).toEqual([
        expect.objectContaining({
          deployment: expect.objectContaining({
            componentRef: entity,
            teamRef: team,
            production: true,
          }),
        }),
      ]);
    }
  });

  it('takes the JSON API from service credentials only, with the sender from the credentials', async () => {
    const event = {
      type: 'deployment',
      id: 'ci-1',
      service: 'storefront-api',
      environment: 'production',
      status: 'success',
      deployedAt: '2026-03-01T12:00:00Z',
    };
    const asUser = await api()
      .post('/api/dora/events')
      .set('Authorization', as('dev'))
      .send(event);
    expect(asUser.status).toBe(403);
    const noAuth = await api().post('/api/dora/events').send(event);
    expect(noAuth.status).toBe(401);
    const spoof = await api()
      .post('/api/dora/events')
      .set('Authorization', mockCredentials.service.header())
      .send({ ...event, sender: 'user:default/ben' });
    expect(spoof.status).toBe(400);
    expect(spoof.body.error.message).toBe(
      'sender: is not a field of this request',
    );
    const bad = await api()
      .post('/api/dora/events')
      .set('Authorization', mockCredentials.service.header())
      .send({ ...event, deployedAt: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'deployedAt: must be an ISO 8601 time with a zone, or epoch milliseconds',
    );
    const ok = await api()
      .post('/api/dora/events')
      .set('Authorization', mockCredentials.service.header())
      .send(event);
    expect(ok.status).toBe(202);
    const dup = await api()
      .post('/api/dora/events')
      .set('Authorization', mockCredentials.service.header())
      .send(event);
    expect(dup.body.delivery.duplicate).toBe(true);
    await settled();
    const stored = (await deliveries('?source=api')).items;
    expect(stored).toEqual([
      expect.objectContaining({
        status: 'processed',
        sender: 'external:test-service',
        eventType: 'deployment',
      }),
    ]);
  });

  it('refuses metrics without credentials and bad queries with 400 naming the field', async () => {
    expect((await api().get('/api/dora/metrics?entity=org')).status).toBe(401);
    expect((await api().get('/api/dora/deliveries')).status).toBe(401);
    const window = await api()
      .get('/api/dora/metrics?entity=org&window=400')
      .set('Authorization', as('dev'));
    expect(window.status).toBe(400);
    expect(window.body.error.message).toBe('window: must be at most 366');
    const entity = await api()
      .get('/api/dora/metrics?entity=user:default/dev')
      .set('Authorization', as('dev'));
    expect(entity.status).toBe(400);
    expect(entity.body.error.message).toMatch(
      /^entity: must be org, a component ref/,
    );
    const unknown = await api()
      .get('/api/dora/metrics?entity=component:default/nope')
      .set('Authorization', as('dev'));
    expect(unknown.status).toBe(404);
    const metric = await api()
      .get('/api/dora/metrics/drilldown?entity=org&metric=mttr')
      .set('Authorization', as('dev'));
    expect(metric.status).toBe(400);
    expect(metric.body.error.message).toMatch(
      /^metric: must be one of deploymentFrequency/,
    );
    const org = await api()
      .get('/api/dora/metrics?entity=org&window=30')
      .set('Authorization', as('dev'));
    expect(Object.keys(org.body.metrics).sort()).toEqual([
      'changeFailureRate',
      'changeLeadTime',
      'deploymentFrequency',
      'deploymentReworkRate',
      'failedDeploymentRecoveryTime',
    ]);
  });

  it("grades with the organisation's own benchmark from config, and lists the benchmarks", async () => {
    const list = await api()
      .get('/api/dora/benchmarks')
      .set('Authorization', as('dev'));
    expect(list.body.items.map((b: any) => b.name)).toEqual([
      '2023',
      '2024',
      'acme',
    ]);
    // payments-api has 1 deployment in the day before 2026-03-02 (the replay test): 1 a day is elite
    // in the 2024 table (at least once a day) but only medium against acme's 10 and 5 a day
    const q = {
      entity: 'component:default/payments-api',
      window: 1,
      at: '2026-03-02T00:00:00Z',
    };
    const by2024 = await api()
      .get('/api/dora/metrics')
      .query(q)
      .set('Authorization', as('dev'));
    expect(by2024.body.metrics.deploymentFrequency).toMatchObject({
      value: 1,
      level: 'elite',
    });
    const byAcme = await api()
      .get('/api/dora/metrics')
      .query({ ...q, benchmark: 'acme' })
      .set('Authorization', as('dev'));
    expect(byAcme.body).toMatchObject({
      benchmark: 'acme',
      metrics: { deploymentFrequency: { value: 1, level: 'medium' } },
    });
  });

  it('sends a stored delivery through normalising again on request, and records it in the list', async () => {
    const star = (await deliveries('?status=ignored')).items.find(
      (i: any) => i.deliveryId === 'star-1',
    );
    const retried = await api()
      .post(`/api/dora/deliveries/${star.id}/retry`)
      .set('Authorization', as('dev'));
    expect(retried.status).toBe(202);
    await settled();
    const again = await api()
      .get(`/api/dora/deliveries/${star.id}`)
      .set('Authorization', as('dev'));
    expect(again.body.delivery).toMatchObject({
      status: 'ignored',
      attempts: 2,
      eventType: 'star',
    });
    expect(JSON.parse(again.body.delivery.payload).repository.full_name).toBe(
      'acme/payments-api',
    );
  });
});
