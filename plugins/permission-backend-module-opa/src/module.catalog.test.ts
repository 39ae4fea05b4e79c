/*
 * The OPA permission policy inside a real backend (see __testUtils__/portal.ts): a team's rights
 * on the catalog's entities, confidential components, identity taken only from credentials, and
 * the explain, refusals and status endpoints.
 */
import { LocalOpaServer } from '@internal/plugin-opa-node';
import request from 'supertest';
import { EXPLAIN_LIMITS } from './router';
import {
  as,
  Backend,
  entity,
  explain,
  listComponents,
  refresh,
  startRunningPortal,
  unregister,
} from './__testUtils__/portal';

describe('OPA permission policy in a running backend: the catalog, identity and explanations', () => {
  let opa: LocalOpaServer;
  let backend: Backend;

  beforeAll(async () => {
    ({ opa, backend } = await startRunningPortal([
      'component:default/payments-api',
      'component:default/storefront-api',
      'component:default/ledger-service',
      'api:default/payment-events',
      'api:default/catalog-search-api',
      'api:default/ledger-api',
    ]));
  }, 120_000);

  afterAll(async () => {
    await backend?.stop();
    await opa?.stop();
  });

  it("lets a developer refresh and unregister their own team's entities but not another team's", async () => {
    expect(
      (await refresh(backend, 'dev', 'component:default/payments-api')).status,
    ).toBe(200);
    expect(
      (await refresh(backend, 'dev', 'component:default/storefront-api'))
        .status,
    ).toBe(403);
    expect(
      (await unregister(backend, 'dev', 'api:default/catalog-search-api'))
        .status,
    ).toBe(403);
    expect(
      (await unregister(backend, 'dev', 'api:default/payment-events')).status,
    ).toBe(204);
    expect(
      (await entity(backend, 'api:default/payment-events', 'ana')).status,
    ).toBe(404);
  });

  it('lets a platform engineer refresh and unregister any team’s entities', async () => {
    expect(
      (await refresh(backend, 'ben', 'component:default/payments-api')).status,
    ).toBe(200);
    expect(
      (await refresh(backend, 'ben', 'component:default/storefront-api'))
        .status,
    ).toBe(200);
    expect(
      (await unregister(backend, 'ben', 'api:default/catalog-search-api'))
        .status,
    ).toBe(204);
  });

  it('lets a viewer only read', async () => {
    expect(
      (await entity(backend, 'component:default/payments-api', 'vic')).status,
    ).toBe(200);
    expect(await listComponents(backend, 'vic')).toContain('payments-api');
    expect(
      (await refresh(backend, 'vic', 'component:default/payments-api')).status,
    ).toBe(403);
    expect(
      (await unregister(backend, 'vic', 'api:default/ledger-api')).status,
    ).toBe(403);
    const why = await explain(
      backend,
      'vic',
      'catalog.entity.delete',
      'delete',
      'catalog-entity',
    );
    expect(why.body).toMatchObject({
      result: 'deny',
      reasons: [expect.stringContaining('only allow reading')],
    });
  });

  it("hides a confidential component from another team's list and entity page, and shows it to its owners", async () => {
    expect(await listComponents(backend, 'chloe')).not.toContain(
      'ledger-service',
    );
    expect(await listComponents(backend, 'chloe')).toContain('storefront-api');
    expect(
      (await entity(backend, 'component:default/ledger-service', 'chloe'))
        .status,
    ).toBe(404);
    expect(await listComponents(backend, 'dev')).toContain('ledger-service');
    expect(
      (await entity(backend, 'component:default/ledger-service', 'dev')).status,
    ).toBe(200);
  });

  it('ignores a request body or header that claims another identity', async () => {
    const spoofed = await request(backend.server)
      .post('/api/catalog/refresh')
      .set('Authorization', as('vic'))
      .set('x-backstage-user', 'user:default/ana')
      .set('x-forwarded-user', 'user:default/ana')
      .send({ entityRef: 'component:default/payments-api' });
    expect(spoofed.status).toBe(403);

    const authorize = await request(backend.server)
      .post('/api/permission/authorize')
      .set('Authorization', as('vic'))
      .set('x-backstage-user', 'user:default/ana')
      .send({
        principal: {
          type: 'user',
          userEntityRef: 'user:default/ana',
          ownershipEntityRefs: ['user:default/ana'],
        },
        user: 'user:default/ana',
        items: [
          {
            id: '1',
            permission: {
              type: 'basic',
              name: 'scaffolder.task.create',
              attributes: { action: 'create' },
            },
          },
        ],
      });
    expect(authorize.status).toBe(200);
    expect(authorize.body.items[0]).toMatchObject({ id: '1', result: 'DENY' });

    const why = await request(backend.server)
      .post('/api/permission/opa/explain')
      .set('Authorization', as('vic'))
      .send({
        principal: { type: 'user', userEntityRef: 'user:default/ana' },
        permission: {
          type: 'basic',
          name: 'scaffolder.task.create',
          attributes: { action: 'create' },
        },
      });
    expect(why.body.principal.userEntityRef).toBe('user:default/vic');
    expect(why.body.result).toBe('deny');
  });

  it('explains a refusal with the reasons from the policy, its decision id and revision', async () => {
    const res = await explain(
      backend,
      'dev',
      'environments.request.approve',
      'update',
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      result: 'deny',
      reasons: [expect.stringContaining('platform team')],
      decisionId: expect.stringMatching(/.+/),
      policyRevision: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
  });

  it("lists a person's recent refusals with the policy's reasons, and only their own", async () => {
    expect(
      (await refresh(backend, 'vic', 'component:default/storefront-api'))
        .status,
    ).toBe(403);
    const mine = await request(backend.server)
      .get('/api/permission/opa/refusals')
      .set('Authorization', as('vic'));
    expect(mine.status).toBe(200);
    expect(mine.body.items.find((r: any) => !r.read)).toMatchObject({
      permission: 'catalog.entity.refresh',
      result: 'deny',
      reasons: [expect.stringContaining('only allow reading')],
    });
    const others = await request(backend.server)
      .get('/api/permission/opa/refusals')
      .set('Authorization', as('ana'));
    expect(others.body.items.map((r: any) => r.permission)).not.toContain(
      'catalog.entity.refresh',
    );
  });

  it('names the field and the rule when an explain request is malformed', async () => {
    const res = await request(backend.server)
      .post('/api/permission/opa/explain')
      .set('Authorization', as('dev'))
      .send({ permission: { type: 'basic' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/body\.permission/);
  });

  it('limits the length of an explain request, naming the field and the limit', async () => {
    const long = await explain(
      backend,
      'dev',
      `catalog.${'x'.repeat(EXPLAIN_LIMITS.nameLength)}`,
      'read',
    );
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe(
      `body.permission.name: must be at most ${EXPLAIN_LIMITS.nameLength} characters`,
    );
    const longType = await explain(
      backend,
      'dev',
      'catalog.entity.read',
      'read',
      't'.repeat(EXPLAIN_LIMITS.resourceTypeLength + 1),
    );
    expect(longType.status).toBe(400);
    expect(longType.body.error.message).toBe(
      `body.permission.resourceType: must be at most ${EXPLAIN_LIMITS.resourceTypeLength} characters`,
    );
    const huge = await request(backend.server)
      .post('/api/permission/opa/explain')
      .set('Authorization', as('dev'))
      .set('Content-Type', 'application/json')
      .send(
        JSON.stringify({
          permission: { type: 'basic', name: 'catalog.entity.read' },
          pad: 'p'.repeat(EXPLAIN_LIMITS.bodyBytes),
        }),
      );
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toBe(
      `body: must be at most ${EXPLAIN_LIMITS.bodyBytes} bytes`,
    );
    const atLimit = await explain(
      backend,
      'dev',
      `catalog.${'x'.repeat(EXPLAIN_LIMITS.nameLength - 8)}`,
      'read',
    );
    expect(atLimit.status).toBe(200);
    // the limit is the explain route's alone: the permission backend's /authorize, which shares
    // this router, still takes a batch far larger than it
    const items = Array.from({ length: 100 }, (_, i) => ({
      id: String(i),
      permission: {
        type: 'basic',
        name: 'scaffolder.task.create',
        attributes: { action: 'create' },
      },
    }));
    expect(JSON.stringify({ items }).length).toBeGreaterThan(
      2 * EXPLAIN_LIMITS.bodyBytes,
    );
    const batch = await request(backend.server)
      .post('/api/permission/authorize')
      .set('Authorization', as('dev'))
      .send({ items });
    expect(batch.status).toBe(200);
    expect(batch.body.items).toHaveLength(100);
    expect(
      batch.body.items.every((d: { result: string }) => d.result === 'ALLOW'),
    ).toBe(true);
  });

  it('reports the policy revision on the status endpoint', async () => {
    const res = await request(backend.server)
      .get('/api/permission/opa/status')
      .set('Authorization', as('dev'));
    expect(res.body).toMatchObject({
      url: `${opa.url}/`,
      breaker: 'closed',
      revision: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
  });
});
