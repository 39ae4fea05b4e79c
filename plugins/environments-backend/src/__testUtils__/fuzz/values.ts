/*
 * Test-only: the values of the fuzz suites (fast-check arbitraries): request bodies of POST
 * /environments, valid, well-shaped with mutations, or anything; the values and keys they are
 * made of (huge numbers, odd strings, prototype-pollution keys). Imported by the fuzz tests alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import fc from 'fast-check';

/** An object with an own key named like a prototype (JSON.stringify keeps it; a literal would not). */
export function withOwnKey(
  target: Record<string, unknown>,
  key: string,
  value: unknown,
) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return target;
}
const huge = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 53,
  -1,
  0,
  0.5,
  1e-300,
  4294967296,
  8761,
);
export const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: huge },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'a'.repeat(5000),
      '../../etc/passwd',
      '$(id)',
      '${jndi:x}',
      '%00',
      '\ud800',
    ),
  },
);
const protoKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
);
export const unknownKey = fc.oneof(
  protoKey,
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.constantFrom('requestedBy', 'state', 'id', 'owner ', 'NAME'),
);
const name = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.stringMatching(/^[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}$/),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a'.repeat(41),
      'A',
      'a--b',
      '-a',
      'a/../b',
      'x$(id)',
      'ünïcode',
    ),
  },
  { weight: 1, arbitrary: anyValue },
);
const blueprint = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'workspace',
      'postgres-sandbox',
      'k8s-namespace',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'mainframe',
      '__proto__',
      'constructor',
      'Workspace',
      '',
    ),
  },
  { weight: 1, arbitrary: anyValue },
);
const owner = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'group:default/payments',
      'group:default/storefront',
      'group:default/platform',
      'group:default/partners',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'user:default/dev',
      'group:other/payments',
      'group:default/__proto__',
      'payments',
      `group:default/${'x'.repeat(300)}`,
    ),
  },
  { weight: 1, arbitrary: anyValue },
);
const size = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('small', 'medium', 'large', 'xl', 'constructor'),
  },
  { weight: 1, arbitrary: anyValue },
);
export const hours = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 800 }) },
  { weight: 1, arbitrary: huge },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.double(),
      fc.constantFrom('24', '1e3', null, true, [24], { n: 1 }),
    ),
  },
);
const variablesValue = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record(
      {
        service: fc.constantFrom('orders', 'a;rm -rf /', ''),
        log_level: fc.constantFrom('info', 'debug', 'trace', 3),
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(protoKey, anyValue)
      .map(([k, v]) => withOwnKey({}, k, v)),
  },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.string({ maxLength: 20 }), anyValue, {
      maxKeys: 5,
    }),
  },
  { weight: 1, arbitrary: anyValue },
);

/** A request the API accepts (queued, or pending approval over 168 hours) until quotas refuse it. */
const validBody = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,2}$/),
    blueprint: fc.constant('workspace'),
    owner: fc.constantFrom(
      'group:default/payments',
      'group:default/storefront',
      'group:default/platform',
    ),
    size: fc.constantFrom('small', 'medium'),
    ttlHours: fc.integer({ min: 1, max: 300 }),
    variables: fc.record(
      {
        service: fc.constantFrom('orders', 'cart'),
        log_level: fc.constantFrom('debug', 'info', 'warn'),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['name', 'blueprint', 'owner'] },
);

/** A POST /environments body: valid, well-shaped with mutations, or anything. */
export const createBody = fc.oneof(
  { weight: 3, arbitrary: validBody as fc.Arbitrary<unknown> },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.record(
          {
            name,
            blueprint,
            owner,
            size,
            ttlHours: hours,
            variables: variablesValue,
          },
          { requiredKeys: ['name', 'blueprint', 'owner'] },
        ),
        fc.array(fc.tuple(unknownKey, anyValue), { maxLength: 2 }),
        fc.boolean(),
      )
      .map(([body, extra, withExtra]) => {
        const out: Record<string, unknown> = { ...body };
        if (withExtra) for (const [k, v] of extra) withOwnKey(out, k, v);
        return out as unknown;
      }),
  },
  { weight: 1, arbitrary: anyValue },
);
