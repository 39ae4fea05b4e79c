/*
 * Fuzzing the dora webhook routes (issue 11): generated deliveries (fast-check, fixed seed) to the
 * GitHub, GitLab, Gitea and CDEvents webhooks (valid and invalid signatures, shapes, types, sizes and
 * encodings, bad UTF-8, wrong content types, huge numbers, deep nesting, missing headers), a body
 * that is not UTF-8, and a source over its rate limit, through the real router in a test backend
 * (src/__testUtils__/fuzzBackend.ts). Properties, for every request: no 5xx; every 4xx body names the
 * field; and nothing is stored for a refused request.
 */
import fc from 'fast-check';
import {
  fuzzBackend,
  RUNS,
  SECRETS,
  SEED,
  sign,
} from './__testUtils__/fuzzBackend';
import { giteaWebhookRequest } from './__testUtils__/fuzzGiteaArbitraries';
import { webhookRequest } from './__testUtils__/fuzzWebhookArbitraries';

/** Every source type's deliveries, about as often each (webhookRequest has three types). */
const request = fc.oneof(
  { weight: 3, arbitrary: webhookRequest },
  { weight: 1, arbitrary: giteaWebhookRequest },
);

describe('fuzzing the dora HTTP API (seeded, in-process): webhooks', () => {
  const { api, check, post, raw, requests, stored } = fuzzBackend();

  it(`webhooks: ${RUNS.webhooks} generated deliveries`, async () => {
    const before = requests();
    await fc.assert(
      fc.asyncProperty(request, async r => {
        const headerName = {
          github: 'X-Hub-Signature-256',
          gitlab: 'X-Gitlab-Token',
          gitea: 'X-Gitea-Signature',
          cdevents: 'X-CDEvents-Signature-256',
        }[r.type];
        // Gitea's X-Gitea-Signature is the bare hex digest: the sha256= form is malformed there
        const bare = (s: string) => (r.type === 'gitea' ? s.slice(7) : s);
        const proof =
          r.type === 'gitlab'
            ? {
                valid: SECRETS.gitlab,
                wrong: 'not-the-token-0123456789',
                malformed: '',
                missing: undefined,
              }[r.signature]
            : {
                valid: bare(sign(SECRETS[r.type], r.body)),
                wrong: bare(sign('not-the-secret-0123456789', r.body)),
                malformed:
                  r.type === 'gitea'
                    ? sign(SECRETS.gitea, r.body)
                    : 'sha256=xyz',
                missing: undefined,
              }[r.signature];
        await post(
          `${r.type} ${r.source} ${r.signature} ${r.contentType} ${r.contentEncoding} ${r.body.length} bytes`,
          () => {
            const t = raw(api().post(`/api/dora/webhooks/${r.source}`));
            if (r.contentType) t.set('Content-Type', r.contentType);
            if (r.contentEncoding) t.set('Content-Encoding', r.contentEncoding);
            if (proof !== undefined) t.set(headerName, proof);
            if (r.type === 'github' && r.event !== undefined)
              t.set('X-GitHub-Event', r.event);
            if (r.type === 'github' && r.delivery !== undefined)
              t.set('X-GitHub-Delivery', r.delivery);
            if (r.type === 'gitlab' && r.event !== undefined)
              t.set('X-Gitlab-Event', r.event);
            if (r.type === 'gitlab' && r.delivery !== undefined)
              t.set('X-Gitlab-Event-UUID', r.delivery);
            if (r.type === 'gitea' && r.event !== undefined)
              t.set('X-Gitea-Event', r.event);
            if (r.type === 'gitea' && r.delivery !== undefined)
              t.set('X-Gitea-Delivery', r.delivery);
            return t.send(r.body);
          },
        );
      }),
      { seed: SEED, numRuns: RUNS.webhooks },
    );
    // every generated request was sent and checked
    expect(requests() - before).toBe(RUNS.webhooks);
  }, 300_000);

  it('refuses a signed body that is not UTF-8 with a 400 naming the body, and stores nothing', async () => {
    const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    const res = await post('not UTF-8', () =>
      raw(api().post('/api/dora/webhooks/github-fuzz'))
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'star')
        .set('X-GitHub-Delivery', 'not-utf8')
        .set('X-Hub-Signature-256', sign(SECRETS.github, body))
        .send(body)
        .expect(400, /body: must be UTF-8 text/),
    );
    expect(res.body.error.message).toMatch(/^body: must be UTF-8 text/);
  });

  it("refuses a source's requests over its rate limit with 429 and Retry-After, before reading them, and stores nothing", async () => {
    const body = Buffer.from(
      JSON.stringify({
        action: 'created',
        repository: { full_name: 'acme/payments-api' },
      }),
    );
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const before = await stored();
      const res = await raw(api().post('/api/dora/webhooks/limited'))
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'star')
        .set('X-GitHub-Delivery', `limited-${i}`)
        .set('X-Hub-Signature-256', sign(SECRETS.github, body))
        .send(body);
      check(res, 'limited');
      answers.push({
        status: res.status,
        retryAfter: res.headers['retry-after'],
        added: (await stored()) - before,
        message: res.body.error?.message,
      });
    }
    expect(answers.slice(0, 3)).toEqual(
      [0, 1, 2].map(() => ({
        status: 202,
        retryAfter: undefined,
        added: 1,
        message: undefined,
      })),
    );
    expect(answers.slice(3)).toEqual(
      [0, 1].map(() => ({
        status: 429,
        retryAfter: expect.stringMatching(/^\d+$/),
        added: 0,
        message: expect.stringMatching(
          /^source: limited may send at most 3 requests in 3600 s/,
        ),
      })),
    );
    // another source is counted apart
    const other = await raw(api().post('/api/dora/webhooks/github-fuzz'))
      .set('X-GitHub-Event', 'star')
      .set('X-GitHub-Delivery', 'other-1')
      .set('X-Hub-Signature-256', sign(SECRETS.github, body))
      .set('Content-Type', 'application/json')
      .send(body);
    expect(other.status).toBe(202);
  });
});
