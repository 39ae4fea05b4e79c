/*
 * Generators of the dora fuzz suite's webhook deliveries (src/fuzz.webhooks.test.ts): GitHub,
 * GitLab and CDEvents bodies (valid and invalid shapes, types, sizes and encodings, bad UTF-8, huge
 * numbers, deep nesting), content types and encodings, signatures and delivery headers; the body
 * and header generators are shared with the JSON API's (fuzzApiArbitraries.ts) and Gitea's
 * (fuzzGiteaArbitraries.ts). For tests only.
 */
import fc from 'fast-check';
import { MAX } from './fuzzBackend';

export const shortText = fc.string({ maxLength: 40 });
/** Lower-case hex digits (fast-check 4 has no hexaString). */
export const hex = (c: { minLength?: number; maxLength?: number } = {}) =>
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
export const T = fc.constantFrom(
  '2026-03-01T10:00:00Z',
  '2026-03-01 10:00:00 UTC',
  1772359200,
  'yesterday',
  '',
  null,
  'x'.repeat(200),
);
export const labels = fc.array(
  fc.oneof(
    fc.constantFrom('incident', 'bug'),
    fc.record({ name: fc.constantFrom('incident', 'bug') }),
    fc.constant(null),
    fc.integer(),
  ),
  { maxLength: 3 },
);
export const incidentText = fc.oneof(
  shortText,
  fc.constantFrom(
    'Deployment: 42\nRoot-cause: abcdef1',
    '\n'.repeat(3000),
    `deployment:${' '.repeat(3000)}`,
  ),
);

export const githubBody = fc.oneof(
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
export const bodyBytes = (json: fc.Arbitrary<unknown>) =>
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

export const contentType = fc.oneof(
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
export const deliveryId = fc.oneof(
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
export const headerValue = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e]{0,40}$/),
  fc.constant('x'.repeat(300)),
  fc.constant(undefined),
);
export const signatureKind = fc.constantFrom(
  'valid',
  'valid',
  'valid',
  'wrong',
  'malformed',
  'missing',
);
export const contentEncoding = fc.oneof(
  { weight: 8, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'identity', 'nope') },
);

export const webhookRequest = fc.oneof(
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
