/*
 * The OPA client against a real OPA process (the pinned build from tools/), serving a small policy
 * written to a temp folder, which the tests edit to show that OPA's --watch picks changes up.
 */
import { ConfigReader } from '@backstage/config';
import { findTool, freePort } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { HttpOpaClient } from './HttpOpaClient';
import { LocalOpaServer } from './LocalOpaServer';
import { OpaUnavailableError } from './OpaClient';

const policy = (answer: string) => `
package t

default answer := "${answer}"

echo := input.value

conflict := 1 if input.value
conflict := 2 if input.value

batch := [d | some q in input.queries; d := echo with input as q]
`;

async function failureOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OpaUnavailableError);
    return (e as OpaUnavailableError).failure;
  }
  throw new Error('expected the query to fail');
}

async function until(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15000,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise(r => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('HttpOpaClient with a real OPA', () => {
  let dir: string;
  let opa: LocalOpaServer;
  let binary: string;
  const clients: HttpOpaClient[] = [];
  const client = (
    opts: Partial<ConstructorParameters<typeof HttpOpaClient>[0]> = {},
  ) => {
    const c = new HttpOpaClient({
      url: opa.url,
      revisionDataPaths: [],
      // a loaded machine may take more than the 200 ms default; the timeout test sets its own
      timeoutMs: 5000,
      ...opts,
    });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opa-client-test-'));
    fs.writeFileSync(path.join(dir, 't.rego'), policy('first'));
    binary = (await findTool(new ConfigReader({}), 'opa')).path;
    opa = await LocalOpaServer.start({ binary, policyDir: dir });
  });

  afterAll(async () => {
    clients.forEach(c => c.stop());
    await opa.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers with the result, OPA’s decision id and the policy revision', async () => {
    const c = client();
    await c.refreshRevision();
    const d = await c.query('t/echo', { value: 'hello' });
    expect(d).toEqual({
      result: 'hello',
      decisionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      revision: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
  });

  it('sends queries with a batch path made in the same tick as one OPA request', async () => {
    const c = client();
    const answers = await Promise.all(
      ['a', 'b', 'c'].map(value =>
        c.query('t/echo', { value }, { batchPath: 't/batch' }),
      ),
    );
    expect(answers.map(a => a.result)).toEqual(['a', 'b', 'c']);
    expect(new Set(answers.map(a => a.decisionId)).size).toBe(1);
    // A lone query goes to its own rule.
    const lone = await c.query(
      't/echo',
      { value: 'd' },
      { batchPath: 't/batch' },
    );
    expect(lone.result).toBe('d');
    expect(lone.decisionId).not.toBe(answers[0].decisionId);
  });

  it('caches by key for the TTL and coalesces identical queries in flight', async () => {
    const c = client({ cacheTtlMs: 60_000 });
    const first = await c.query('t/echo', { value: 'x' }, { cacheKey: 'k' });
    const again = await c.query('t/echo', { value: 'x' }, { cacheKey: 'k' });
    expect(again.decisionId).toBe(first.decisionId);

    const uncached = client({ cacheTtlMs: 0 });
    const [a, b] = await Promise.all([
      uncached.query('t/echo', { value: 'y' }),
      uncached.query('t/echo', { value: 'y' }),
    ]);
    expect(a.decisionId).toBe(b.decisionId);
    const later = await uncached.query('t/echo', { value: 'y' });
    expect(later.decisionId).not.toBe(a.decisionId);
  });

  it('picks up a policy edit without a restart: a new revision, and the cache starts afresh', async () => {
    const c = client({ cacheTtlMs: 60_000 });
    const before = await c.refreshRevision();
    expect((await c.query('t/answer', {}, { cacheKey: 'same' })).result).toBe(
      'first',
    );

    fs.writeFileSync(path.join(dir, 't.rego'), policy('second'));
    await until(
      'OPA to reload the edited policy',
      async () => (await c.refreshRevision()) !== before,
    );
    await until(
      'the new answer',
      async () =>
        (await c.query('t/answer', {}, { cacheKey: 'same' })).result ===
        'second',
    );
    expect(c.status().revision).not.toBe(before);
  });

  it('reports an undefined rule, an OPA error and an unreachable OPA as failures', async () => {
    const c = client();
    expect(await failureOf(c.query('t/nothing_here', {}))).toBe('undefined');
    expect(await failureOf(c.query('t/conflict', { value: true }))).toBe(
      'http-error',
    );
    expect(c.status().lastError).toMatch(/HTTP 500/);

    const closed = await freePort();
    const nowhere = client({ url: `http://127.0.0.1:${closed}` });
    expect(await failureOf(nowhere.query('t/echo', {}))).toBe('unreachable');
  });

  it('gives up after the timeout when OPA hangs, opens the breaker, and recovers when OPA answers again', async () => {
    const c = client({
      timeoutMs: 100,
      breakerFailureThreshold: 2,
      breakerResetMs: 300,
    });
    await opa.pause();
    try {
      expect(await failureOf(c.query('t/echo', { value: 1 }))).toBe('timeout');
      expect(await failureOf(c.query('t/echo', { value: 2 }))).toBe('timeout');
      expect(c.status().breaker).toBe('open');
      // Open: no request goes out at all.
      expect(await failureOf(c.query('t/echo', { value: 3 }))).toBe(
        'breaker-open',
      );
    } finally {
      opa.resume();
    }
    await until('the breaker to let a trial through and close', async () => {
      try {
        return (await c.query('t/echo', { value: 4 })).result === 4;
      } catch {
        return false;
      }
    });
    expect(c.status().breaker).toBe('closed');
  });

  it('treats an answer that is not JSON as malformed', async () => {
    const garbage = net.createServer(socket =>
      socket.on('data', () =>
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\nnot json!'),
      ),
    );
    await new Promise<void>(r => garbage.listen(0, '127.0.0.1', () => r()));
    const { port } = garbage.address() as net.AddressInfo;
    try {
      const c = client({ url: `http://127.0.0.1:${port}` });
      expect(await failureOf(c.query('t/echo', {}))).toBe('malformed');
    } finally {
      await new Promise(r => garbage.close(r));
    }
  });

  it('answers the fallback it was given for a permission, and nothing for the rest', () => {
    const conditions = {
      rule: 'IS_ENTITY_OWNER',
      resourceType: 'catalog-entity',
      params: { claims: '$claims' },
    };
    const c = client({
      fallback: {
        allow: ['catalog.location.read'],
        conditional: [
          {
            permission: 'catalog.entity.read',
            pluginId: 'catalog',
            resourceType: 'catalog-entity',
            conditions,
          },
        ],
      },
    });
    expect(c.fallbackFor('catalog.location.read')).toEqual({ type: 'allow' });
    expect(c.fallbackFor('catalog.entity.read')).toEqual({
      type: 'conditional',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions,
    });
    expect(c.fallbackFor('catalog.entity.delete')).toBeUndefined();
    expect(client().fallbackFor('catalog.location.read')).toBeUndefined();
  });
});
