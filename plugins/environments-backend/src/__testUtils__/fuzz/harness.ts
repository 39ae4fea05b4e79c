/*
 * Test-only: the harness of the fuzz suites (src/fuzz/): a whole backend (permission backend, OPA
 * policy module, a real OPA on policies/, the environments plugin on SQLite) that serves the API
 * only (runs.concurrency 0: accepted requests are admitted and queued, never provisioned), with an
 * active environment (and a run with a log line) and a pending one of payments as targets, and the
 * properties every answer must have:
 *   - never a 5xx;
 *   - a 400/413/415 names the field ("field: rule"); a 403 names the permission it lacks or the
 *     guardrails' reasons, a 404 the id it did not find, a 409 the state, a 429 the limit;
 *   - nothing is stored for a refused request (rows counted before and after), except what a
 *     refusal by the guardrails stores by design: the environment as rejected, with its history;
 *   - Object.prototype is never polluted.
 * Imported by the fuzz tests alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import fc from 'fast-check';
import request from 'supertest';
import {
  API,
  as,
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from '../testBackend';
import { Sent } from './sending';

/** What a refusal's message names, by status (400, 413 and 415 name the field: checked apart). */
const SUBJECT_OF_REFUSAL: Record<number, RegExp> = {
  403: /^(environments(\.[a-z]+)+ is not allowed|the (request|extension) was refused by the guardrails)/,
  404: /^(no (environment|run) with id \S+|.*not found)/i,
  409: /(the environment is [a-z_]+|this one is [a-z_]+|changed while it was being)/,
  429: /^requests: \d+ of your requests were refused/,
};

/** The fast-check seed of the suites; each property adds its own offset. */
export const SEED = 20261211;

/** How many requests each property sends. */
export const RUNS = {
  create: 1600,
  encodings: 400,
  extend: 700,
  decide: 700,
  lists: 1000,
};

export const E = API;

/** Who sends: developers of payments and storefront, a viewer, platform engineers. */
export const user = fc.constantFrom(
  'dev',
  'fatima',
  'chloe',
  'eli',
  'vic',
  'ben',
  'ana',
);

/**
 * Starts the fuzz backend before the tests of the calling describe block and stops it after them
 * (printing how many requests were sent, by status). `name` names the suite in that line.
 */
export function fuzzBackend(name: string) {
  let env: EnvironmentsTestBackend;
  const stats = { requests: 0, byStatus: {} as Record<string, number>, ms: 0 };
  const fixtures = {
    active: '',
    pending: '',
    run: '',
    other: '00000000-0000-4000-8000-000000000000',
  };

  const rows = () => env.rows();
  const prototypeKeys = () =>
    Object.getOwnPropertyNames(Object.prototype).sort().join();
  let cleanPrototype = '';

  /** Sends one request and checks the properties; returns the response. */
  async function check(
    kind: string,
    method: 'get' | 'post',
    url: string,
    who: string,
    sent?: Sent,
  ): Promise<request.Response> {
    const before = await rows();
    let req = env.request()[method](url).set('Authorization', as(who));
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
      user: who,
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
      const subject = SUBJECT_OF_REFUSAL[res.status];
      if (subject) {
        // what a refusal is about: the permission, the environment, its state, or the limit
        expect(
          subject.test(message as string) ? 'names its subject' : what,
        ).toBe('names its subject');
      }
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
  const freeQuotas = async () => {
    for (const e of await env.store.list({
      states: ['queued', 'pending_approval'],
    })) {
      if (e.id === fixtures.pending) continue;
      if (e.state === 'queued')
        await env.store.transition(e.id, 'destroying', { actor: 'test' });
      await env.store.transition(
        e.id,
        e.state === 'queued' ? 'destroyed' : 'rejected',
        { actor: 'test' },
      );
    }
  };

  /** A new pending request of payments, after freeing the teams' quotas. */
  const newPending = async () => {
    fixtures.pending = '';
    await freeQuotas();
    const res = await env.post('fatima', '/environments', {
      name: 'pending',
      blueprint: 'workspace',
      owner: 'group:default/payments',
      ttlHours: 200,
    });
    expect(res.status).toBe(202);
    fixtures.pending = res.body.environment.id;
  };

  beforeAll(async () => {
    env = await startEnvironmentsBackend({
      name: `environments-fuzz-${name}-`,
      // API only; the refusal rate limit out of the way (it is tested in api.acceptance.test.ts)
      environments: {
        runs: { concurrency: 0 },
        rateLimit: { refusals: { max: 1_000_000 } },
      },
    });
    cleanPrototype = prototypeKeys();

    // An active environment of payments, made active through the store (nothing provisioned).
    const active = await env.post('dev', '/environments', {
      name: 'fuzz-active',
      blueprint: 'workspace',
      owner: 'group:default/payments',
    });
    expect(active.status).toBe(201);
    fixtures.active = active.body.environment.id;
    const [run] = await env.store.runs.list(fixtures.active);
    fixtures.run = run.id;
    await env.store.runs.appendLog(run.id, [
      { level: 'info', message: 'Apply complete!' },
    ]);
    await env.store.transition(fixtures.active, 'provisioning', {
      actor: 'test',
    });
    await env.store.transition(fixtures.active, 'active', {
      actor: 'test',
      patch: { expiresAt: new Date(Date.now() + 48 * 3600_000) },
    });
    await newPending();
  }, 60_000);

  afterAll(async () => {
    await env?.stop();
    // eslint-disable-next-line no-console
    console.info(
      `fuzz (${name}): ${stats.requests} requests in ${(
        stats.ms / 1000
      ).toFixed(1)} s; by status ${JSON.stringify(stats.byStatus)}`,
    );
  });

  const timed = async (fn: () => Promise<void>) => {
    const t = Date.now();
    await fn();
    stats.ms += Date.now() - t;
  };
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

  let created = 0;
  return {
    check,
    freeQuotas,
    newPending,
    timed,
    target,
    fixtures,
    /** Counts a create request; every 50th frees the teams' quotas. */
    created: async () => {
      if (++created % 50 === 0) await freeQuotas();
    },
  };
}
