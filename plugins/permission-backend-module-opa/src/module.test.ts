/*
 * The OPA permission policy inside a real backend: the catalog, the scaffolder and the permission
 * backend, with this module asking a real OPA process (started here, on a port of its own) that
 * has the repository's policies/ loaded. People are the example organisation's (catalog/org.yaml):
 *   dev (payments, developer), chloe (storefront, developer), ben (platform, platform-engineer),
 *   vic (partners, viewer).
 * Only sign-in is simulated (see testing/): startTestBackend's mock credentials, with real
 * on-behalf-of actors, and each user's groups from catalog/org.yaml.
 * The dora plugin is in the first backend for its raw deliveries (platform team only); the second
 * backend loses OPA and answers with the fallback of the repository's app-config.yaml.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { findTool, freePort } from '@internal/plugin-platform-node';
import { ConfigReader } from '@backstage/config';
import doraPlugin from '@internal/plugin-dora-backend';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { permissionModuleOpa } from './module';
import { EXPLAIN_LIMITS } from './router';
import { actorAwareMockAuthFactory } from '@internal/backend-test-utils';
import { orgUserInfoFactory } from '@internal/backend-test-utils';

const repo = path.resolve(__dirname, '../../..');
const policyDir = path.join(repo, 'policies');
const allKinds = [
  'Component',
  'System',
  'API',
  'Resource',
  'Location',
  'Domain',
  'User',
  'Group',
  'Template',
];

const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

async function startOpa(port: number) {
  const opa = await findTool(new ConfigReader({}), 'opa');
  return LocalOpaServer.start({ binary: opa.path, policyDir, port });
}

/** opa.fallback exactly as the portal's app-config.yaml has it. */
const appConfigFallback = parseYaml(
  fs.readFileSync(path.join(repo, 'app-config.yaml'), 'utf8'),
).opa.fallback;

const DORA_SECRET = 'dora-test-secret-0123456789abcdef0123';

async function startPortal(
  opaUrl: string,
  opaConfig: object = {},
  extraFeatures: any[] = [],
) {
  return startTestBackend({
    features: [
      mockServices.rootLogger.factory({
        level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          permission: { enabled: true },
          opa: {
            url: opaUrl,
            timeoutMs: 200,
            revisionIntervalMs: 500,
            ...opaConfig,
          },
          catalog: {
            rules: [{ allow: allKinds }],
            locations: [
              {
                type: 'file',
                target: path.join(repo, 'catalog/all.yaml'),
                rules: [{ allow: allKinds }],
              },
              {
                type: 'file',
                target: path.join(repo, 'templates/*/template.yaml'),
                rules: [{ allow: ['Template'] }],
              },
            ],
            processingInterval: { seconds: 5 },
          },
          dora: {
            scaffolder: { sync: false },
            sources: [
              { id: 'github-test', type: 'github', secret: DORA_SECRET },
            ],
            scorecards: { dir: path.join(repo, 'scorecards') },
          },
        },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      catalogPlugin,
      catalogModuleTemplates,
      catalogModuleVisibility,
      scaffolderPlugin,
      permissionPlugin,
      permissionModuleOpa,
      ...extraFeatures,
    ],
  });
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what} (last error: ${last})`);
}

type Backend = Awaited<ReturnType<typeof startPortal>>;

async function entity(backend: Backend, ref: string, user = 'ben') {
  const [kind, rest] = ref.split(':');
  const [ns, name] = rest.split('/');
  return request(backend.server)
    .get(`/api/catalog/entities/by-name/${kind}/${ns}/${name}`)
    .set('Authorization', as(user));
}

async function ingested(backend: Backend, refs: string[]) {
  await eventually(`the catalog to ingest ${refs.join(', ')}`, async () => {
    // ana is an admin and reads everything, confidential entities included.
    const all = await Promise.all(refs.map(r => entity(backend, r, 'ana')));
    return all.every(r => r.status === 200) ? true : undefined;
  });
}

const refresh = (backend: Backend, user: string, entityRef: string) =>
  request(backend.server)
    .post('/api/catalog/refresh')
    .set('Authorization', as(user))
    .send({ entityRef });

async function unregister(backend: Backend, user: string, ref: string) {
  const found = await entity(backend, ref, 'ana');
  expect(found.status).toBe(200);
  return request(backend.server)
    .delete(`/api/catalog/entities/by-uid/${found.body.metadata.uid}`)
    .set('Authorization', as(user));
}

async function listComponents(
  backend: Backend,
  user: string,
): Promise<string[]> {
  const res = await request(backend.server)
    .get('/api/catalog/entities/by-query')
    .query({ filter: 'kind=component', limit: 100 })
    .set('Authorization', as(user));
  expect(res.status).toBe(200);
  return res.body.items.map((e: any) => e.metadata.name).sort();
}

const explain = (
  backend: Backend,
  user: string,
  name: string,
  action: string,
  resourceType?: string,
) =>
  request(backend.server)
    .post('/api/permission/opa/explain')
    .set('Authorization', as(user))
    .send({
      permission: resourceType
        ? { type: 'resource', name, resourceType, attributes: { action } }
        : { type: 'basic', name, attributes: { action } },
    });

describe('OPA permission policy in a running backend', () => {
  let opa: LocalOpaServer;
  let backend: Backend;

  beforeAll(async () => {
    opa = await startOpa(await freePort());
    backend = await startPortal(opa.url, {}, [doraPlugin]);
    await ingested(backend, [
      'component:default/payments-api',
      'component:default/storefront-api',
      'component:default/ledger-service',
      'api:default/payment-events',
      'api:default/catalog-search-api',
      'api:default/ledger-api',
      'template:default/platform-runbook',
      'template:default/node-service',
    ]);
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

  it('refuses a platform-only template to a developer and runs it for the platform team', async () => {
    const values = {
      operation: 'rotate the ledger password',
      system: 'system:default/payments-platform',
    };
    const templateRef = 'template:default/platform-runbook';
    const refused = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', as('dev'))
      .send({ templateRef, values });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect((await entity(backend, templateRef, 'dev')).status).toBe(404);

    const started = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', as('ben'))
      .send({ templateRef, values });
    expect(started.status).toBe(201);
    const task = await eventually('the runbook task to finish', async () => {
      const res = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${started.body.id}`)
        .set('Authorization', as('ben'));
      return ['completed', 'failed'].includes(res.body.status)
        ? res.body
        : undefined;
    });
    expect(task.status).toBe('completed');
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
    expect(mine.body.items[0]).toMatchObject({
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

  it("lets only a template run's creator and the platform team read or cancel it (IS_TASK_OWNER)", async () => {
    const start = async (user: string, name: string) => {
      const res = await request(backend.server)
        .post('/api/scaffolder/v2/tasks')
        .set('Authorization', as(user))
        .send({
          templateRef: 'template:default/node-service',
          values: { name, owner: 'group:default/payments' },
        });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const read = (user: string, id: string) =>
      request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set('Authorization', as(user));
    const cancel = (user: string, id: string) =>
      request(backend.server)
        .post(`/api/scaffolder/v2/tasks/${id}/cancel`)
        .set('Authorization', as(user));
    const listed = async (user: string) => {
      const res = await request(backend.server)
        .get('/api/scaffolder/v2/tasks')
        .set('Authorization', as(user));
      expect(res.status).toBe(200);
      return res.body.tasks.map((t: any) => t.id);
    };

    const devTask = await start('dev', 'order-history');
    const chloeTask = await start('chloe', 'basket-history');

    // another developer: neither reads nor cancels it, nor sees it in the list
    expect((await read('chloe', devTask)).status).toBe(403);
    expect((await cancel('chloe', devTask)).status).toBe(403);
    expect(await listed('chloe')).toEqual(expect.arrayContaining([chloeTask]));
    expect(await listed('chloe')).not.toContain(devTask);
    const why = await explain(
      backend,
      'chloe',
      'scaffolder.task.read',
      'read',
      'scaffolder-task',
    );
    expect(why.body).toMatchObject({
      result: 'conditional',
      reasons: [expect.stringContaining('whoever started them')],
    });

    // its creator and the platform team do
    expect((await read('dev', devTask)).status).toBe(200);
    expect((await read('ben', devTask)).status).toBe(200);
    expect(await listed('ben')).toEqual(
      expect.arrayContaining([devTask, chloeTask]),
    );
    expect((await cancel('dev', devTask)).status).toBe(200);
    expect((await cancel('ben', chloeTask)).status).toBe(200);
  });

  it('shows raw DORA deliveries and retries them for the platform team only', async () => {
    const body = JSON.stringify({
      zen: 'Keep it logically awesome.',
      hook_id: 1,
    });
    const sent = await request(backend.server)
      .post('/api/dora/webhooks/github-test')
      .set('Content-Type', 'application/json')
      .set('X-GitHub-Event', 'ping')
      .set('X-GitHub-Delivery', 'policy-test-1')
      .set(
        'X-Hub-Signature-256',
        `sha256=${createHmac('sha256', DORA_SECRET)
          .update(body)
          .digest('hex')}`,
      )
      .send(body);
    expect(sent.status).toBeLessThan(300);

    const list = (user: string) =>
      request(backend.server)
        .get('/api/dora/deliveries')
        .set('Authorization', as(user));
    for (const user of ['dev', 'vic']) {
      const refused = await list(user);
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).not.toContain(
        'Keep it logically awesome',
      );
    }
    const listed = await list('ben');
    expect(listed.status).toBe(200);
    const delivery = listed.body.items.find(
      (d: any) => d.deliveryId === 'policy-test-1',
    );
    expect(delivery).toBeDefined();

    const one = (user: string) =>
      request(backend.server)
        .get(`/api/dora/deliveries/${delivery.id}`)
        .set('Authorization', as(user));
    expect((await one('dev')).status).toBe(403);
    expect((await one('ben')).status).toBe(200);

    const retry = (user: string) =>
      request(backend.server)
        .post(`/api/dora/deliveries/${delivery.id}/retry`)
        .set('Authorization', as(user));
    expect((await retry('dev')).status).toBe(403);
    expect((await retry('ben')).status).toBe(202);

    const why = await explain(backend, 'dev', 'dora.deliveries.read', 'read');
    expect(why.body).toMatchObject({
      result: 'deny',
      reasons: [
        expect.stringContaining(
          'dora.deliveries.read is for the platform team',
        ),
      ],
    });
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
