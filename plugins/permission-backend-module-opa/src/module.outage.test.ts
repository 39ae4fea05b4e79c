/*
 * The OPA permission policy inside a real backend (see __testUtils__/portal.ts) when its OPA
 * stops, hangs or answers garbage: the backend answers with the fallback of the repository's
 * app-config.yaml, and resumes when OPA is back.
 */
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { freePort } from '@internal/plugin-platform-node';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import {
  appConfigFallback,
  as,
  Backend,
  entity,
  eventually,
  explain,
  ingested,
  listComponents,
  refresh,
  repo,
  startOpa,
  startPortal,
  unregister,
} from './__testUtils__/portal';

describe('OPA permission policy when OPA fails', () => {
  let port: number;
  let opa: LocalOpaServer | undefined;
  let backend: Backend;

  beforeAll(async () => {
    port = await freePort();
    opa = await startOpa(port);
    backend = await startPortal(`http://127.0.0.1:${port}`, {
      cache: { ttlMs: 0 },
      breaker: { failureThreshold: 3, resetMs: 300 },
      fallback: appConfigFallback,
    });
    await ingested(backend, [
      'component:default/payments-api',
      'component:default/ledger-service',
    ]);
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await opa?.stop();
  });

  const writeAsBen = () =>
    refresh(backend, 'ben', 'component:default/payments-api');
  const readAsDev = () =>
    entity(backend, 'component:default/payments-api', 'dev');

  const ledger = (user: string) =>
    entity(backend, 'component:default/ledger-service', user);

  it('keeps a confidential entity from other teams while OPA is stopped, lets its owners read it, denies writes, and resumes when OPA is back', async () => {
    expect(appConfigFallback.allow ?? []).toEqual([]); // nothing unconditional in app-config.yaml
    expect((await writeAsBen()).status).toBe(200);
    expect((await ledger('vic')).status).toBe(404);
    await opa!.stop();
    await eventually('OPA to be gone', async () =>
      (await writeAsBen()).status === 403 ? true : undefined,
    );

    // reads: the fallback's condition, as the policy's: restricted entities to their owners only
    expect((await ledger('vic')).status).toBe(404); // a viewer of another team
    expect((await ledger('chloe')).status).toBe(404); // a developer of another team
    expect((await ledger('dev')).status).toBe(200); // payments owns it
    expect((await readAsDev()).status).toBe(200);
    expect(await listComponents(backend, 'vic')).toEqual(
      expect.arrayContaining(['payments-api', 'storefront-api']),
    );
    expect(await listComponents(backend, 'vic')).not.toContain(
      'ledger-service',
    );
    expect(await listComponents(backend, 'dev')).toContain('ledger-service');
    const read = await explain(
      backend,
      'vic',
      'catalog.entity.read',
      'read',
      'catalog-entity',
    );
    expect(read.body).toMatchObject({
      result: 'conditional',
      fallback: expect.stringMatching(/unreachable|breaker-open/),
      reasons: [
        expect.stringContaining(
          'restricted entities are shown only to their owners',
        ),
      ],
    });

    // writes: denied, even to the platform team and to owners
    expect((await writeAsBen()).status).toBe(403);
    expect(
      (await refresh(backend, 'dev', 'component:default/payments-api')).status,
    ).toBe(403);
    expect(
      (await unregister(backend, 'dev', 'component:default/payments-api'))
        .status,
    ).toBe(403);
    const location = await request(backend.server)
      .post('/api/catalog/locations')
      .set('Authorization', as('ben'))
      .send({ type: 'file', target: path.join(repo, 'catalog-info.yaml') });
    expect(location.status).toBe(403);
    const why = await explain(
      backend,
      'ben',
      'catalog.entity.refresh',
      'update',
      'catalog-entity',
    );
    expect(why.body).toMatchObject({
      result: 'deny',
      fallback: expect.stringMatching(/unreachable|breaker-open/),
    });

    opa = await startOpa(port);
    await eventually('decisions to resume', async () =>
      (await writeAsBen()).status === 200 ? true : undefined,
    );
    expect((await ledger('vic')).status).toBe(404);
  });

  it('applies the timeout when OPA hangs', async () => {
    await opa!.pause();
    try {
      const why = await explain(
        backend,
        'ben',
        'catalog.entity.refresh',
        'update',
        'catalog-entity',
      );
      expect(why.body).toMatchObject({
        result: 'deny',
        fallback: expect.stringMatching(/timeout|breaker-open/),
      });
      expect((await writeAsBen()).status).toBe(403);
    } finally {
      opa!.resume();
    }
    await eventually('decisions to resume', async () =>
      (await writeAsBen()).status === 200 ? true : undefined,
    );
  });

  it('denies when OPA answers malformed JSON (a stand-in server on OPA’s port), and resumes when OPA is back', async () => {
    await opa!.stop();
    const garbage = net.createServer(socket => {
      socket.on('data', () => {
        socket.end(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 14\r\n\r\n{"result": {de',
        );
      });
    });
    await new Promise<void>(r => garbage.listen(port, '127.0.0.1', () => r()));
    try {
      const why = await explain(
        backend,
        'ben',
        'catalog.entity.refresh',
        'update',
        'catalog-entity',
      );
      expect(why.body).toMatchObject({
        result: 'deny',
        fallback: expect.stringMatching(/malformed|breaker-open/),
      });
      expect((await writeAsBen()).status).toBe(403);
    } finally {
      await new Promise(r => garbage.close(r));
    }
    opa = await startOpa(port);
    await eventually('decisions to resume', async () =>
      (await writeAsBen()).status === 200 ? true : undefined,
    );
  });
});
