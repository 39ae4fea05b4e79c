/*
 * Generators of the dora fuzz suite's JSON API requests (src/fuzz.api.test.ts): POST /events bodies
 * (valid events, events with a field replaced by anything, any JSON) and the query strings of the
 * list endpoints (sensible values, near misses, huge numbers, repeated parameters). For tests only.
 */
import fc from 'fast-check';
import { MAX_PAGE_SIZE } from '../limits';
import {
  bodyBytes,
  contentEncoding,
  contentType,
  deliveryId,
  hex,
  shortText,
} from './fuzzWebhookArbitraries';

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
export const eventsRequest = fc.record({
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
export const listRequest = fc.oneof(
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
