/*
 * POST /webhooks/:source through the plugin in a test backend (SQLite): signed deliveries from
 * GitHub, GitLab, Gitea and CDEvents senders; refusals name the field or header and store nothing.
 */
import { githubPayloads } from '../seed/githubPayloads';
import {
  giteaPayloads,
  giteaSignature,
  sendGitea,
} from '../__testUtils__/giteaPayloads';
import {
  as,
  DoraTestBackend,
  MAX_PAYLOAD_BYTES,
  SECRETS,
  sign,
  startDoraBackend,
} from '../__testUtils__/doraBackend';

describe('webhooksRouter', () => {
  let dora: DoraTestBackend;
  const gh = githubPayloads(
    'acme/payments-api',
    new Date('2026-03-01T00:00:00Z'),
  );
  const deliveryIds = async () =>
    (await dora.deliveries()).items.map((i: any) => i.deliveryId);

  beforeAll(async () => {
    dora = await startDoraBackend({
      dora: {
        sources: [
          { id: 'github-acme', type: 'github', secret: SECRETS.github },
          { id: 'gitlab-acme', type: 'gitlab', secret: SECRETS.gitlab },
          { id: 'cd', type: 'cdevents', secret: SECRETS.cdevents },
          { id: 'gitea-acme', type: 'gitea', secret: SECRETS.gitea },
          {
            id: 'github-limited',
            type: 'github',
            secret: SECRETS.github,
            rateLimit: { requests: 1, windowSeconds: 3600 },
          },
        ],
      },
    });
  }, 60_000);

  afterAll(() => dora?.stop());

  it('refuses a wrong or missing signature with 401 and stores nothing', async () => {
    const d = gh.push([['a'.repeat(40), 1]], 1);
    const body = JSON.stringify(d.body);
    const wrong = await dora.github(
      'push',
      'sig-wrong',
      body,
      sign('not-the-secret-at-all', body),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe(
      "x-hub-signature-256: does not match the body signed with source github-acme's secret",
    );
    const missing = await dora.github('push', 'sig-missing', body, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toMatch(
      /^x-hub-signature-256: is missing/,
    );
    // signed for another body
    const tampered = await dora.github(
      'push',
      'sig-tampered',
      body.replace('"main"', '"main" '),
      sign(SECRETS.github, body),
    );
    expect(tampered.status).toBe(401);
    const gitlab = await dora
      .api()
      .post('/api/dora/webhooks/gitlab-acme')
      .set('X-Gitlab-Token', 'wrong-token-0123456789')
      .set('X-Gitlab-Event-UUID', 'gl-wrong')
      .send({ object_kind: 'push' });
    expect(gitlab.status).toBe(401);
    expect(gitlab.body.error.message).toBe(
      "x-gitlab-token: does not match source gitlab-acme's secret token",
    );
    expect(
      (await deliveryIds()).filter((i: string) => /^sig-|^gl-wrong/.test(i)),
    ).toEqual([]);
  });

  it('answers malformed JSON, an oversize body, a missing header and an unknown source with a 4xx naming it', async () => {
    const malformed = await dora.github(
      'push',
      'malformed-1',
      '{"ref": "refs/heads/main",',
    );
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(
      /^body: must be valid JSON \(/,
    );
    const big = JSON.stringify({
      ...gh.push([['c'.repeat(40), 1]], 1).body,
      filler: 'x'.repeat(MAX_PAYLOAD_BYTES),
    });
    const oversize = await dora.github('push', 'oversize-1', big);
    expect(oversize.status).toBe(413);
    expect(oversize.body.error.message).toMatch(
      new RegExp(
        `^body: must be at most ${MAX_PAYLOAD_BYTES} bytes \\(dora.maxPayloadBytes\\)`,
      ),
    );
    const missingId = await dora
      .api()
      .post('/api/dora/webhooks/github-acme')
      .set('X-GitHub-Event', 'push')
      .set('X-Hub-Signature-256', sign(SECRETS.github, '{}'))
      .set('Content-Type', 'application/json')
      .send('{}');
    expect(missingId.status).toBe(400);
    expect(missingId.body.error.message).toBe('X-GitHub-Delivery: is missing');
    const cdevent = JSON.stringify({ context: { id: 'cd-no-type' } });
    const noType = await dora
      .api()
      .post('/api/dora/webhooks/cd')
      .set('Content-Type', 'application/json')
      .set('X-CDEvents-Signature-256', sign(SECRETS.cdevents, cdevent))
      .send(cdevent);
    expect(noType.status).toBe(400);
    expect(noType.body.error.message).toBe(
      'context.type: is required in a CDEvent',
    );
    const unknownSource = await dora
      .api()
      .post('/api/dora/webhooks/nope')
      .send('{}');
    expect(unknownSource.status).toBe(404);
    expect(unknownSource.body.error.message).toMatch(
      /^source: no webhook source named 'nope'/,
    );
    expect(
      (await deliveryIds()).filter((i: string) =>
        ['malformed-1', 'oversize-1', 'cd-no-type'].includes(i),
      ),
    ).toEqual([]);
  });

  it('accepts an unknown event type with 2xx and shows it as ignored', async () => {
    const body = JSON.stringify({
      action: 'created',
      starred_at: '2026-03-01T00:00:00Z',
      repository: { full_name: 'acme/payments-api' },
    });
    const res = await dora.github('star', 'star-1', body);
    expect(res.status).toBe(202);
    await dora.settled();
    const ignored = (await dora.deliveries('?status=ignored')).items.find(
      (i: any) => i.deliveryId === 'star-1',
    );
    expect(ignored).toMatchObject({
      status: 'ignored',
      reason: 'GitHub event star is not used for DORA metrics',
      eventType: 'star',
    });
  });

  it('takes GitLab deliveries with the right token and CDEvents with a valid signature', async () => {
    const gitlab = await dora
      .api()
      .post('/api/dora/webhooks/gitlab-acme')
      .set('X-Gitlab-Token', SECRETS.gitlab)
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
    const cd = await dora
      .api()
      .post('/api/dora/webhooks/cd')
      .set('Content-Type', 'application/json')
      .set('X-CDEvents-Signature-256', sign(SECRETS.cdevents, cdevent))
      .send(cdevent);
    expect(cd.status).toBe(202);
    await dora.settled();
    for (const [entity, team] of [
      ['component:default/ui-kit', 'group:default/platform'],
      ['component:default/checkout-web', 'group:default/storefront'],
    ]) {
      const drill = await dora
        .api()
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

  it('refuses a Gitea delivery with a wrong, missing or sha256=-prefixed X-Gitea-Signature with 401, and stores nothing', async () => {
    const gitea = giteaPayloads('acme/payments-api', new Date('2026-03-01'));
    const d = gitea.push([['f'.repeat(40), 1]]);
    const body = JSON.stringify(d.body);
    // signed with another secret, though X-Hub-Signature-256 is right: only X-Gitea-Signature counts
    const wrong = await sendGitea(
      dora,
      'gitea-acme',
      SECRETS.gitea,
      d,
      giteaSignature('not-the-secret-at-all', body),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.message).toBe(
      "x-gitea-signature: does not match the body signed with source gitea-acme's secret",
    );
    const missing = await sendGitea(dora, 'gitea-acme', SECRETS.gitea, d, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toBe(
      'x-gitea-signature: is missing; deliveries to source gitea-acme must be signed',
    );
    const prefixed = await sendGitea(
      dora,
      'gitea-acme',
      SECRETS.gitea,
      d,
      sign(SECRETS.gitea, body),
    );
    expect(prefixed.status).toBe(401);
    expect(prefixed.body.error.message).toBe(
      'x-gitea-signature: must be <64 hex digits>',
    );
    expect(await deliveryIds()).not.toContain(d.id);
  });

  it('counts a replayed Gitea delivery (the same X-Gitea-Delivery) once', async () => {
    const gitea = giteaPayloads('acme/payments-api', new Date('2026-03-01'));
    const release = gitea.release(4242, { atH: 2, tag: 'v9.9.9' });
    const first = await sendGitea(dora, 'gitea-acme', SECRETS.gitea, release);
    expect(first.status).toBe(202);
    const replay = await sendGitea(dora, 'gitea-acme', SECRETS.gitea, release);
    expect(replay.status).toBe(200);
    expect(replay.body.delivery).toEqual({
      ...first.body.delivery,
      duplicate: true,
    });
    await dora.settled();
    const stored = (await dora.deliveries('?source=gitea-acme')).items.filter(
      (i: any) => i.deliveryId === release.id,
    );
    expect(stored).toEqual([
      expect.objectContaining({
        sourceType: 'gitea',
        eventType: 'release',
        status: 'processed',
      }),
    ]);
    // one production deployment of payments-api (github.com/project-slug acme/payments-api)
    const drill = await dora
      .api()
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
        deployment: expect.objectContaining({
          id: 'gitea-acme:4242',
          teamRef: 'group:default/payments',
        }),
      }),
    ]);
  });

  it("refuses a source's requests over its rate limit with 429 and Retry-After, naming the source", async () => {
    const body = JSON.stringify(gh.push([['e'.repeat(40), 1]], 1).body);
    const send = (id: string) =>
      dora
        .api()
        .post('/api/dora/webhooks/github-limited')
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'push')
        .set('X-GitHub-Delivery', id)
        .set('X-Hub-Signature-256', sign(SECRETS.github, body))
        .send(body);
    expect((await send('limited-1')).status).toBe(202);
    const refused = await send('limited-2');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
    expect(refused.body.error.message).toMatch(
      /^source: github-limited may send at most 1 requests in 3600 s \(dora.sources\[\].rateLimit\)/,
    );
    expect(await deliveryIds()).not.toContain('limited-2');
  });
});
