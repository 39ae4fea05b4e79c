/*
 * A fuzz suite for the dora plugin's HTTP surface (issue 11): generated requests (fast-check, with a
 * fixed seed) to the webhook routes (GitHub, GitLab, CDEvents: valid and invalid signatures, shapes,
 * types, sizes and encodings, bad UTF-8, wrong content types, huge numbers, deep nesting, missing
 * headers), to the JSON API (POST /events) and to the query strings of the list endpoints, through
 * the real router in a test backend (SQLite; the catalog served in memory from
 * catalog/components.yaml, sign-in simulated with startTestBackend's mock credentials).
 *
 * Properties, for every request: no 5xx; every 4xx body names the field (a message that starts
 * with "<field>: "); and nothing is stored for a refused request (the number of stored deliveries,
 * read through the API before and after, changes only by the one delivery a 202 stored).
 */
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
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { MAX_PAGE_SIZE } from './limits';
import { doraPlugin } from './plugin';

const SEED = 20261211;
const repo = path.resolve(__dirname, '../../..');
const SECRETS = {
  github: 'fuzz-github-secret-0123456789abcdef',
  gitlab: 'fuzz-gitlab-token-0123456789abcdef',
  cdevents: 'fuzz-cdevents-secret-0123456789abc',
};
const MAX = 16 * 1024;
const RUNS = { webhooks: 2000, events: 2000, lists: 2200 };
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);
const sign = (secret: string, body: Buffer) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const entities = parseAllDocuments(
  fs.readFileSync(path.join(repo, 'catalog/components.yaml'), 'utf8'),
)
  .map(d => d.toJS() as Entity)
  .filter(e => e?.kind === 'Component');

/** A message that names its field: "<field>: <rule>" (a dotted path, a header name, `body`, `limit`...). */
const NAMES_FIELD = /^[A-Za-z][\w.\-[\]]*( [a-z]+)?: \S/;

// ---------------------------------------------------------------------------------------------
// Generators

const shortText = fc.string({ maxLength: 40 });
/** Lower-case hex digits (fast-check 4 has no hexaString). */
const hex = (c: { minLength?: number; maxLength?: number } = {}) =>
  fc.string({
    unit: fc.constantFrom(...'0123456789abcdef'),
    minLength: c.minLength ?? 0,
    maxLength: c.maxLength ?? 40,
  });
const hugeNumber = fc.constantFrom(
  '1e400',
  '-1e400',
  '123456789012345678901234567890',
  '-0',
  '0.0000001',
  '9007199254740993',
);
/** A JSON text that JSON.stringify cannot make: huge numbers, deep nesting, duplicate keys, a BOM, trailing garbage. */
const oddJson = fc.oneof(
  hugeNumber.map(n => `{"deployment_id": ${n}, "n": ${n}}`),
  fc
    .integer({ min: 100, max: 20_000 })
    .map(d => `${'['.repeat(d)}${']'.repeat(d)}`),
  fc
    .integer({ min: 100, max: 5_000 })
    .map(d => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`),
  fc.constant('{"a":1,"a":2}'),
  fc.constant('\ufeff{"object_kind":"push"}'),
  fc.constant('{"x":1} trailing'),
  fc.constant(''),
  fc.constant('null'),
  fc.constant('[]'),
  fc.constant('"a string"'),
);
const T = fc.constantFrom(
  '2026-03-01T10:00:00Z',
  '2026-03-01 10:00:00 UTC',
  1772359200,
  'yesterday',
  '',
  null,
  'x'.repeat(200),
);
const labels = fc.array(
  fc.oneof(
    fc.constantFrom('incident', 'bug'),
    fc.record({ name: fc.constantFrom('incident', 'bug') }),
    fc.constant(null),
    fc.integer(),
  ),
  { maxLength: 3 },
);
const incidentText = fc.oneof(
  shortText,
  fc.constantFrom(
    'Deployment: 42\nRoot-cause: abcdef1',
    '\n'.repeat(3000),
    'deployment:' + ' '.repeat(3000),
  ),
);

const githubBody = fc.oneof(
  fc.record(
    {
      action: fc.constantFrom('opened', 'closed'),
      issue: fc.record({
        number: fc.nat(),
        title: shortText,
        body: incidentText,
        labels,
        state: fc.constantFrom('open', 'closed'),
        created_at: T,
        closed_at: T,
      }),
      repository: fc.record({
        full_name: fc.constantFrom('acme/payments-api', 'acme/ui-kit'),
      }),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      ref: fc.constantFrom('refs/heads/main', 'refs/heads/x'),
      repository: fc.record({
        full_name: fc.constantFrom('acme/payments-api'),
        default_branch: fc.constant('main'),
      }),
      commits: fc.array(
        fc.record({
          id: hex({ minLength: 40, maxLength: 40 }),
          timestamp: T,
          message: shortText,
        }),
        { maxLength: 3 },
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      deployment: fc.record({
        id: fc.oneof(fc.nat(), shortText),
        environment: fc.constantFrom('production', 'staging'),
        sha: hex(),
        description: fc.oneof(shortText, fc.constant(null)),
        created_at: T,
      }),
      deployment_status: fc.record({
        state: fc.constantFrom('success', 'failure', 'queued'),
        created_at: T,
      }),
      repository: fc.record({
        full_name: fc.constantFrom('acme/payments-api'),
      }),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);
const gitlabBody = fc.oneof(
  fc.record(
    {
      object_kind: fc.constantFrom(
        'merge_request',
        'issue',
        'deployment',
        'push',
        'note',
      ),
      project: fc.record({
        path_with_namespace: fc.constantFrom('acme/ui-kit'),
        default_branch: fc.constant('main'),
      }),
      object_attributes: fc.record(
        {
          action: fc.constantFrom('merge', 'open'),
          iid: fc.nat(),
          title: shortText,
          description: incidentText,
          issue_type: fc.constantFrom('incident', 'issue'),
          created_at: T,
          merged_at: T,
          merge_commit_sha: hex(),
        },
        { requiredKeys: [] },
      ),
      status: fc.constantFrom('success', 'failed'),
      deployment_id: fc.nat(),
      status_changed_at: T,
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);
const cdeventBody = fc.oneof(
  fc.record(
    {
      context: fc.record(
        {
          id: fc.oneof(
            { weight: 3, arbitrary: fc.uuid() },
            { weight: 1, arbitrary: fc.oneof(shortText, fc.nat()) },
          ),
          source: shortText,
          type: fc.constantFrom(
            'dev.cdevents.service.deployed.0.2.0',
            'dev.cdevents.incident.detected.0.2.0',
            'dev.cdevents.change.merged.0.2.0',
            'dev.cdevents.x',
            'x'.repeat(300),
          ),
          timestamp: T,
        },
        { requiredKeys: [] },
      ),
      subject: fc.record(
        {
          id: fc.oneof(shortText, hex({ minLength: 7, maxLength: 41 })),
          content: fc.record(
            {
              environment: fc.record({ id: shortText }),
              artifactId: fc.oneof(
                shortText,
                fc.constant(`pkg:oci/web@${'a'.repeat(40)}`),
              ),
              repository: fc.record({ id: shortText }),
            },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
      customData: fc.jsonValue({ maxDepth: 2 }),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 4 }),
);

/** The bytes of a body: JSON of a generated value, odd JSON text, random bytes (often not UTF-8), or more than the limit. */
const bodyBytes = (json: fc.Arbitrary<unknown>) =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: json.map(v => Buffer.from(JSON.stringify(v) ?? 'null')),
    },
    { weight: 2, arbitrary: oddJson.map(s => Buffer.from(s)) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 200 }).map(a => Buffer.from(a)),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
        Buffer.from('{"a":"\ud800"}'),
        Buffer.from([0xc3, 0x28]),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: MAX - 100, max: MAX + 100 })
        .map(n =>
          Buffer.from(
            JSON.stringify({ filler: 'x'.repeat(Math.max(0, n - 14)) }),
          ),
        ),
    },
  );

const contentType = fc.oneof(
  { weight: 4, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | undefined>(
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
      'application/json; charset=nope',
      undefined,
    ),
  },
);
/** A delivery id: mostly a new one (so that deliveries are stored), else anything a header can carry, or none. */
const deliveryId = fc.oneof(
  { weight: 3, arbitrary: fc.uuid() },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
      fc.constant('x'.repeat(300)),
      fc.constant(undefined),
    ),
  },
);
const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
  fc.constant('x'.repeat(300)),
  fc.constant(undefined),
);
const signatureKind = fc.constantFrom(
  'valid',
  'valid',
  'valid',
  'wrong',
  'malformed',
  'missing',
);
const contentEncoding = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'identity', 'nope') },
);

const webhookRequest = fc.oneof(
  fc.record({
    type: fc.constant('github' as const),
    source: fc.constantFrom(
      'github-fuzz',
      'github-fuzz',
      'nope',
      'GITHUB-FUZZ',
    ),
    body: bodyBytes(githubBody),
    event: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          'issues',
          'push',
          'deployment_status',
          'pull_request',
          'star',
        ),
      },
      { weight: 1, arbitrary: headerValue },
    ),
    delivery: deliveryId,
    signature: signatureKind,
    contentType,
    contentEncoding,
  }),
  fc.record({
    type: fc.constant('gitlab' as const),
    source: fc.constantFrom('gitlab-fuzz'),
    body: bodyBytes(gitlabBody),
    event: fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom('Merge Request Hook', 'Issue Hook'),
      },
      { weight: 1, arbitrary: headerValue },
    ),
    delivery: deliveryId,
    signature: signatureKind,
    contentType,
    contentEncoding,
  }),
  fc.record({
    type: fc.constant('cdevents' as const),
    source: fc.constantFrom('cd-fuzz'),
    body: bodyBytes(cdeventBody),
    event: fc.constant(undefined),
    delivery: fc.constant(undefined),
    signature: signatureKind,
    contentType,
    contentEncoding,
  }),
);

const isoTime = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '2026-03-01T12:00:00Z',
      '2026-03-01T12:00:00+02:00',
      1772366400000,
    ),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
);
const name = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'payments-api',
      'storefront-api',
      'acme/payments-api',
    ),
  },
  { weight: 1, arbitrary: fc.oneof(shortText, fc.constant('x'.repeat(300))) },
);
const validEvent = fc.oneof(
  fc.record(
    {
      type: fc.constant('deployment'),
      id: name,
      service: name,
      environment: name,
      status: fc.constantFrom('success', 'failure', 'pending'),
      deployedAt: isoTime,
      sha: hex({ minLength: 7, maxLength: 64 }),
      rollback: fc.boolean(),
      url: fc.constantFrom('https://ci.example/1', 'not a url'),
    },
    { requiredKeys: ['type', 'id', 'environment', 'status', 'deployedAt'] },
  ),
  fc.record(
    {
      type: fc.constant('change'),
      repo: name,
      sha: hex({ minLength: 7, maxLength: 64 }),
      committedAt: isoTime,
      landedAt: isoTime,
      pullRequest: fc.oneof(fc.integer(), fc.double()),
      title: shortText,
    },
    { requiredKeys: ['type', 'repo', 'sha', 'committedAt'] },
  ),
  fc.record(
    {
      type: fc.constant('incident'),
      id: name,
      component: fc.constantFrom(
        'component:default/payments-api',
        'payments-api',
      ),
      startedAt: isoTime,
      resolvedAt: fc.oneof(isoTime, fc.constant(null)),
      deployment: name,
      rootCauseSha: hex(),
    },
    { requiredKeys: ['type', 'id', 'startedAt'] },
  ),
);
/** A valid-looking event with one field replaced by anything, or an extra key. */
const mutatedEvent = fc
  .tuple(
    validEvent,
    fc.constantFrom(
      'type',
      'id',
      'status',
      'deployedAt',
      'repo',
      'sha',
      'sender',
      'extra',
    ),
    fc.jsonValue({ maxDepth: 3 }),
  )
  .map(([e, k, v]) => ({ ...e, [k]: v }));
const eventsRequest = fc.record({
  body: bodyBytes(
    fc.oneof(
      { weight: 3, arbitrary: validEvent },
      { weight: 2, arbitrary: mutatedEvent },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    ),
  ),
  contentType,
  contentEncoding,
  idempotencyKey: deliveryId,
});

/** A query value: a sensible one, a near miss, a huge number, an array (repeated parameter), an object. */
const q = (good: string[]) =>
  fc.oneof(
    fc.constantFrom(...good),
    fc.constantFrom(
      '',
      '-1',
      '0',
      '1.5',
      'NaN',
      'Infinity',
      '1e400',
      String(MAX_PAGE_SIZE + 1),
      '99999999999999999999',
      'null',
    ),
    shortText,
    fc.constant(undefined),
  );
const listRequest = fc.oneof(
  fc.record({
    path: fc.constant('/deliveries'),
    query: fc.record({
      limit: q(['1', '50', String(MAX_PAGE_SIZE)]),
      offset: q(['0', '3']),
      status: q(['processed', 'failed']),
      source: q(['api', 'github-fuzz']),
    }),
  }),
  fc.record({
    path: fc.constant('/metrics/drilldown'),
    query: fc.record({
      entity: q([
        'org',
        'component:default/payments-api',
        'group:default/payments',
      ]),
      metric: q([
        'deploymentFrequency',
        'changeLeadTime',
        'failedDeploymentRecoveryTime',
        'changeFailureRate',
      ]),
      window: q(['30', '366']),
      period: q(['current', 'previous']),
      limit: q(['1', '10']),
      offset: q(['0', '1']),
      at: q(['2026-03-02T00:00:00Z']),
    }),
  }),
  fc.record({
    path: fc.constant('/metrics'),
    query: fc.record({
      entity: q(['org', 'component:default/payments-api']),
      window: q(['7']),
      benchmark: q(['2024', 'acme']),
    }),
  }),
  fc.record({
    path: fc.constant('/benchmarks'),
    query: fc.record({ limit: q(['1', '2']), offset: q(['0', '1']) }),
  }),
  fc.record({
    path: fc.constant('/scorecards/teams'),
    query: fc.record({
      teamRef: q(['group:default/payments']),
      limit: q(['1']),
      offset: q(['0']),
    }),
  }),
  fc.record({
    path: fc.constant('/scorecards/definitions'),
    query: fc.record({ limit: q(['1']), offset: q(['0']) }),
  }),
  fc.record({
    path: fc.constantFrom(
      '/platform/template-adoption',
      '/platform/time-to-first-deploy',
    ),
    query: fc.record({
      window: q(['30']),
      team: q(['group:default/payments']),
      limit: q(['1']),
      offset: q(['0']),
    }),
  }),
  fc.record({
    path: fc.constantFrom(
      '/deliveries/1',
      '/deliveries/abc',
      '/deliveries/99999999999999999999',
      '/deliveries/-1',
    ),
    query: fc.constant({}),
  }),
);

// ---------------------------------------------------------------------------------------------

describe('fuzzing the dora HTTP API (seeded, in-process)', () => {
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

  it(`webhooks: ${RUNS.webhooks} generated deliveries`, async () => {
    await fc.assert(
      fc.asyncProperty(webhookRequest, async r => {
        const headerName = {
          github: 'X-Hub-Signature-256',
          gitlab: 'X-Gitlab-Token',
          cdevents: 'X-CDEvents-Signature-256',
        }[r.type];
        const proof =
          r.type === 'gitlab'
            ? {
                valid: SECRETS.gitlab,
                wrong: 'not-the-token-0123456789',
                malformed: '',
                missing: undefined,
              }[r.signature]
            : {
                valid: sign(SECRETS[r.type], r.body),
                wrong: sign('not-the-secret-0123456789', r.body),
                malformed: 'sha256=xyz',
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
            return t.send(r.body);
          },
        );
      }),
      { seed: SEED, numRuns: RUNS.webhooks },
    );
  }, 300_000);

  it(`JSON API: ${RUNS.events} generated POST /events`, async () => {
    await fc.assert(
      fc.asyncProperty(eventsRequest, async r => {
        await post(
          `events ${r.contentType} ${r.contentEncoding} ${r.body
            .toString('utf8')
            .slice(0, 200)}`,
          () => {
            const t = raw(api().post('/api/dora/events')).set(
              'Authorization',
              mockCredentials.service.header(),
            );
            if (r.contentType) t.set('Content-Type', r.contentType);
            if (r.contentEncoding) t.set('Content-Encoding', r.contentEncoding);
            if (r.idempotencyKey !== undefined)
              t.set('Idempotency-Key', r.idempotencyKey);
            return t.send(r.body);
          },
        );
      }),
      { seed: SEED, numRuns: RUNS.events },
    );
  }, 300_000);

  it(`list endpoints: ${RUNS.lists} generated query strings`, async () => {
    await fc.assert(
      fc.asyncProperty(listRequest, async r => {
        const query = Object.entries(r.query).filter(
          ([, v]) => v !== undefined,
        ) as [string, string][];
        const res = await api()
          .get(`/api/dora${r.path}`)
          .query(Object.fromEntries(query))
          .set('Authorization', as('dev'));
        check(res, `GET ${r.path} ${JSON.stringify(r.query)}`);
        if (
          res.status === 200 &&
          Array.isArray(res.body.items ?? res.body.rows)
        ) {
          const limit = Number((r.query as { limit?: string }).limit ?? 100);
          expect(
            (res.body.items ?? res.body.rows).filter(
              (x: any) =>
                x.type !== 'incident' || r.path !== '/metrics/drilldown',
            ).length,
          ).toBeLessThanOrEqual(limit);
        }
      }),
      { seed: SEED, numRuns: RUNS.lists },
    );
  }, 300_000);

  it('refuses a signed body that is not UTF-8 with a 400 naming the body, and stores nothing', async () => {
    const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    await post('not UTF-8', () =>
      raw(api().post('/api/dora/webhooks/github-fuzz'))
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', 'star')
        .set('X-GitHub-Delivery', 'not-utf8')
        .set('X-Hub-Signature-256', sign(SECRETS.github, body))
        .send(body)
        .expect(400, /body: must be UTF-8 text/),
    );
  });

  it('a limit above the largest page is a 400 naming limit, on every list endpoint', async () => {
    for (const p of [
      '/deliveries',
      '/benchmarks',
      '/scorecards/teams',
      '/scorecards/definitions',
      '/platform/template-adoption',
      '/platform/time-to-first-deploy',
      '/metrics/drilldown?entity=org&metric=changeLeadTime&',
    ]) {
      const res = await api()
        .get(
          `/api/dora${p}${p.includes('?') ? '' : '?'}limit=${
            MAX_PAGE_SIZE + 1
          }`,
        )
        .set('Authorization', as('dev'));
      check(res, p);
      expect([p, res.status, res.body.error.message]).toEqual([
        p,
        400,
        `limit: must be at most ${MAX_PAGE_SIZE} (the largest page)`,
      ]);
    }
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
