/*
 * Fuzz suite of the vending API (fast-check, fixed seed): thousands of generated requests over
 * POST /environments, extend, approve/reject and the list query strings, with valid and invalid
 * shapes, types, sizes, encodings, unknown fields, huge numbers and prototype-pollution keys,
 * through a whole backend (permission backend, OPA policy module, a real OPA on policies/, the
 * environments plugin on SQLite). Properties of every answer:
 *   - never a 5xx;
 *   - a 400/413/415 names the field ("field: rule"); a 403/404/409/429 says why;
 *   - nothing is stored for a refused request (rows counted before and after), except what a
 *     refusal by the guardrails stores by design: the environment as rejected, with its history;
 *   - Object.prototype is never polluted.
 * This replica serves the API only (runs.concurrency 0): accepted requests are admitted and
 * queued, never provisioned.
 */
import { coreServices } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import {
  actorAwareMockAuthFactory,
  captureService,
  environmentsTestConfig,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import fc from 'fast-check';
import { Knex } from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { environmentsPlugin } from './plugin';
import { EnvironmentStore } from './store/EnvironmentStore';

const SEED = 20261211;
const RUNS = {
  create: 1600,
  encodings: 400,
  extend: 700,
  decide: 700,
  lists: 1000,
};

const E = '/api/environments';
const PEOPLE = ['dev', 'fatima', 'chloe', 'eli', 'vic', 'ben', 'ana'];
/** The OPA timeout raised for a loaded test machine (the tests are not about OPA's latency). */
const slowMachine = (config: ReturnType<typeof environmentsTestConfig>) => ({
  ...config,
  opa: { ...config.opa, timeoutMs: 5000 },
});
const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

/** An object with an own key named like a prototype (JSON.stringify keeps it; a literal would not). */
function withOwnKey(
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

// ------------------------------------------------------------------ values

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
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
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
const unknownKey = fc.oneof(
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
      'group:default/' + 'x'.repeat(300),
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
const hours = fc.oneof(
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
const createBody = fc.oneof(
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

// ------------------------------------------------------------------ how a body is sent

interface Sent {
  contentType?: string;
  contentEncoding?: string;
  raw: string | Buffer;
}

const json = (body: unknown): Sent => ({
  contentType: 'application/json',
  raw: JSON.stringify(body) ?? 'null',
});

const encoding = fc.oneof(
  fc.constant<(b: unknown) => Sent>(json),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json; charset=utf-8',
    raw: `\ufeff${JSON.stringify(b)}`,
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json; charset=utf-16',
    raw: Buffer.from(JSON.stringify(b) ?? '', 'utf16le'),
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json; charset=koi8-r',
    raw: JSON.stringify(b) ?? '',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    contentEncoding: 'gzip',
    raw: gzipSync(JSON.stringify(b) ?? ''),
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    contentEncoding: 'gzip',
    raw: (JSON.stringify(b) ?? '') + 'not gzip',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    contentEncoding: 'br',
    raw: JSON.stringify(b) ?? '',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'text/plain',
    raw: JSON.stringify(b) ?? '',
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/x-www-form-urlencoded',
    raw: `name=${encodeURIComponent(String((b as any)?.name))}`,
  })),
  fc.constant<(b: unknown) => Sent>(b => ({
    contentType: 'application/json',
    raw: (JSON.stringify(b) ?? '').slice(0, -1),
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"name": "a", "name": "b", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"__proto__": {"polluted": "yes"}, "name": "p", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"constructor": {"prototype": {"polluted": "yes"}}}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"variables": {"__proto__": {"service": "orders"}}, "name": "p", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: `{"name": "${'a'.repeat(70_000)}"}`,
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: `${'['.repeat(5000)}${']'.repeat(5000)}`,
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: `{"ttlHours": 1${'0'.repeat(
      400,
    )}, "name": "n", "blueprint": "workspace", "owner": "group:default/payments"}`,
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: '{"name": "\\ud800", "blueprint": "workspace", "owner": "group:default/payments"}',
  })),
  fc.constant<(b: unknown) => Sent>(() => ({
    contentType: 'application/json',
    raw: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  })),
);

// ------------------------------------------------------------------ query strings

const queryValue = fc.oneof(
  fc.constantFrom(
    'mine',
    'team',
    'all',
    'active',
    'queued,active',
    'bogus',
    '1',
    '0',
    '-1',
    '200',
    '201',
    '2000',
    '1e2',
    '9'.repeat(30),
    '',
    ' 5',
    '5 ',
    '0x10',
  ),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    'WzEsImEiXQ',
    'WzAsIiJd',
    'eyJ4IjoxfQ',
    'W251bGwsbnVsbF0',
    'WzEuNSwiYSJd',
    'W10',
    '!!',
    'a'.repeat(300),
  ),
);
const queryKey = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.constantFrom('scope', 'state', 'limit', 'cursor', 'after'),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'scope[]',
      'limit[a]',
      '__proto__[polluted]',
      'constructor[prototype][polluted]',
      'x',
      '',
    ),
  },
);
const rawEncode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80'; // a lone surrogate, as bytes
  }
};
const queryString = fc
  .tuple(
    fc.array(fc.tuple(queryKey, queryValue), { maxLength: 4 }),
    fc.constantFrom('', '&%zz=1', '&limit=%', '&cursor=%E0%A4%A'),
  )
  .map(
    ([pairs, tail]) =>
      pairs.map(([k, v]) => `${rawEncode(k)}=${rawEncode(v)}`).join('&') + tail,
  );

// ------------------------------------------------------------------ the suite

describe('environments API fuzz', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let work: string;
  let knex: Knex;
  let store: EnvironmentStore;
  const database = captureService('environments', coreServices.database);
  const stats = { requests: 0, byStatus: {} as Record<string, number>, ms: 0 };
  const fixtures = {
    active: '',
    pending: '',
    run: '',
    other: '00000000-0000-4000-8000-000000000000',
  };

  const rows = async () => {
    const [e, h, r] = await Promise.all(
      ['environments', 'environment_history', 'runs'].map(t =>
        knex(t).count({ n: '*' }).first(),
      ),
    );
    return {
      environments: Number(e!.n),
      history: Number(h!.n),
      runs: Number(r!.n),
    };
  };
  const prototypeKeys = () =>
    Object.getOwnPropertyNames(Object.prototype).sort().join();
  let cleanPrototype = '';

  /** Sends one request and checks the properties; returns the response. */
  async function check(
    kind: string,
    method: 'get' | 'post',
    url: string,
    user: string,
    sent?: Sent,
  ): Promise<request.Response> {
    const before = await rows();
    let req = request(backend.server)
      [method](url)
      .set('Authorization', as(user));
    if (sent) {
      if (sent.contentType) req = req.set('Content-Type', sent.contentType);
      if (sent.contentEncoding)
        req = req.set('Content-Encoding', sent.contentEncoding);
      req = req.send(sent.raw);
    }
    const res = await req;
    const after = await rows();
    stats.requests++;
    stats.byStatus[res.status] = (stats.byStatus[res.status] ?? 0) + 1;
    const what = {
      kind,
      method,
      url,
      user,
      body: sent && String(sent.raw).slice(0, 300),
      status: res.status,
      error: res.body?.error?.message,
    };

    expect(res.status < 500 ? 'no 5xx' : what).toBe('no 5xx');
    expect(
      prototypeKeys() === cleanPrototype && ({} as any).polluted === undefined
        ? 'clean'
        : what,
    ).toBe('clean');
    if (res.status >= 400) {
      const message: unknown = res.body?.error?.message;
      expect(
        typeof message === 'string' && message.length > 0 ? 'explained' : what,
      ).toBe('explained');
      if ([400, 413, 415].includes(res.status)) {
        // "field: rule", the field a name or a dotted path
        expect(
          /^("(?:[^"\\]|\\.){1,101}"|[^\s:"]{1,101}): \S/.test(
            message as string,
          )
            ? 'names the field'
            : what,
        ).toBe('names the field');
      }
      const refusedByGuardrails =
        res.status === 403 &&
        /refused by the guardrails/.test(message as string) &&
        kind === 'create';
      const stored = refusedByGuardrails
        ? {
            environments: before.environments + 1,
            history: before.history + 2,
            runs: before.runs,
          }
        : before;
      expect({ what, rows: after }).toEqual({ what, rows: stored });
    } else if (method === 'get') {
      expect({ what, rows: after }).toEqual({ what, rows: before });
    }
    return res;
  }

  /** Ends every queued or pending environment but the fixtures, so that teams are under quota (nothing runs here). */
  let created = 0;
  const freeQuotas = async () => {
    for (const env of await store.list({
      states: ['queued', 'pending_approval'],
    })) {
      if (env.id === fixtures.pending) continue;
      if (env.state === 'queued')
        await store.transition(env.id, 'destroying', { actor: 'test' });
      await store.transition(
        env.id,
        env.state === 'queued' ? 'destroyed' : 'rejected',
        { actor: 'test' },
      );
    }
  };

  /** A new pending request of payments, after freeing the teams' quotas. */
  const newPending = async () => {
    fixtures.pending = '';
    await freeQuotas();
    const res = await request(backend.server)
      .post(`${E}/environments`)
      .set('Authorization', as('fatima'))
      .send({
        name: 'pending',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
    expect(res.status).toBe(202);
    fixtures.pending = res.body.environment.id;
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-fuzz-'));
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
        }),
        mockServices.rootConfig.factory({
          // API only; the refusal rate limit out of the way (it is tested in api.acceptance.test.ts)
          data: slowMachine(
            environmentsTestConfig(work, {
              runs: { concurrency: 0 },
              rateLimit: { refusals: { max: 1_000_000 } },
            }),
          ),
        }),
        actorAwareMockAuthFactory,
        orgUserInfoFactory,
        database.feature,
        permissionPlugin,
        permissionModuleOpa,
        environmentsPlugin,
      ],
    });
    knex = await database.get().getClient();
    store = await EnvironmentStore.create(knex, { skipMigrations: true });
    cleanPrototype = prototypeKeys();

    // An active environment of payments, made active through the store (nothing provisioned).
    const created = await request(backend.server)
      .post(`${E}/environments`)
      .set('Authorization', as('dev'))
      .send({
        name: 'fuzz-active',
        blueprint: 'workspace',
        owner: 'group:default/payments',
      });
    expect(created.status).toBe(201);
    fixtures.active = created.body.environment.id;
    const [run] = await store.runs.list(fixtures.active);
    fixtures.run = run.id;
    await store.runs.appendLog(run.id, [
      { level: 'info', message: 'Apply complete!' },
    ]);
    await store.transition(fixtures.active, 'provisioning', { actor: 'test' });
    await store.transition(fixtures.active, 'active', {
      actor: 'test',
      patch: { expiresAt: new Date(Date.now() + 48 * 3600_000) },
    });
    await newPending();
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(work, { recursive: true, force: true });
    // eslint-disable-next-line no-console
    console.info(
      `fuzz: ${stats.requests} requests in ${(stats.ms / 1000).toFixed(
        1,
      )} s; by status ${JSON.stringify(stats.byStatus)}`,
    );
  });

  const timed = async (fn: () => Promise<void>) => {
    const t = Date.now();
    await fn();
    stats.ms += Date.now() - t;
  };
  const user = fc.constantFrom(...PEOPLE);
  const target = () =>
    fc.constantFrom(
      fixtures.active,
      fixtures.pending,
      fixtures.other,
      'not-an-id',
      '%zz',
      encodeURIComponent('a\u0000b'),
      'x'.repeat(2000),
    );

  it(
    'POST /environments: any body shape and type',
    () =>
      timed(() =>
        fc.assert(
          fc.asyncProperty(user, createBody, async (who, body) => {
            await check('create', 'post', `${E}/environments`, who, json(body));
            if (++created % 50 === 0) await freeQuotas();
          }),
          { seed: SEED, numRuns: RUNS.create, endOnFailure: true },
        ),
      ),
    300_000,
  );

  it(
    'POST /environments: any encoding, charset, size and malformed JSON',
    () =>
      timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            createBody,
            encoding,
            async (who, body, encode) => {
              await check(
                'create',
                'post',
                `${E}/environments`,
                who,
                encode(body),
              );
            },
          ),
          { seed: SEED + 1, numRuns: RUNS.encodings, endOnFailure: true },
        ),
      ),
    300_000,
  );

  it(
    'POST /environments/:id/extend: any body, on any id',
    () =>
      timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            target(),
            fc.oneof(
              {
                weight: 4,
                arbitrary: fc.record({ hours }, { requiredKeys: [] }),
              },
              {
                weight: 1,
                arbitrary: fc
                  .tuple(unknownKey, anyValue)
                  .map(([k, v]) => withOwnKey({ hours: 1 }, k, v)),
              },
              { weight: 1, arbitrary: anyValue },
            ),
            encoding,
            fc.nat(9),
            async (who, id, body, encode, pick) => {
              await check(
                'extend',
                'post',
                `${E}/environments/${id}/extend`,
                who,
                pick < 7 ? json(body) : encode(body),
              );
            },
          ),
          { seed: SEED + 2, numRuns: RUNS.extend, endOnFailure: true },
        ),
      ),
    300_000,
  );

  it(
    'POST /environments/:id/approve and /reject: any body, on any id',
    () =>
      timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            fc.constantFrom('approve', 'reject'),
            fc.nat(9),
            fc.oneof(
              {
                weight: 3,
                arbitrary: fc.record(
                  { reason: fc.oneof(fc.string({ maxLength: 600 }), anyValue) },
                  { requiredKeys: [] },
                ),
              },
              {
                weight: 1,
                arbitrary: fc
                  .tuple(unknownKey, anyValue)
                  .map(([k, v]) => withOwnKey({}, k, v)),
              },
              { weight: 1, arbitrary: anyValue },
            ),
            encoding,
            async (who, decision, pick, body, encode) => {
              const id =
                pick < 6
                  ? fixtures.pending
                  : [fixtures.active, fixtures.other, 'not-an-id', '%E0%A4%A'][
                      pick - 6
                    ];
              const res = await check(
                'decide',
                'post',
                `${E}/environments/${id}/${decision}`,
                who,
                pick % 3 === 0 ? encode(body) : json(body),
              );
              if (res.status === 200) await newPending();
            },
          ),
          { seed: SEED + 3, numRuns: RUNS.decide, endOnFailure: true },
        ),
      ),
    300_000,
  );

  it(
    'GET lists: any query string',
    () =>
      timed(() =>
        fc.assert(
          fc.asyncProperty(
            user,
            fc.constantFrom(
              () => `${E}/environments`,
              () => `${E}/environments/${fixtures.active}/runs`,
              () => `${E}/environments/${fixtures.active}/history`,
              () =>
                `${E}/environments/${fixtures.active}/runs/${fixtures.run}/logs`,
              () =>
                `${E}/environments/${fixtures.pending}/runs/${fixtures.run}/logs`,
              () => `${E}/blueprints`,
            ),
            queryString,
            async (who, path, query) => {
              await check('list', 'get', `${path()}?${query}`, who);
            },
          ),
          { seed: SEED + 4, numRuns: RUNS.lists, endOnFailure: true },
        ),
      ),
    300_000,
  );
});
