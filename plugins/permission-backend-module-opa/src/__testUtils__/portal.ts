/*
 * A real backend for the module's tests: the catalog, the scaffolder and the permission backend,
 * with this module asking a real OPA process (started on a port of its own) that has the
 * repository's policies/ loaded. People are the example organisation's (catalog/org.yaml):
 *   dev (payments, developer), chloe (storefront, developer), ben (platform, platform-engineer),
 *   vic (partners, viewer), ana (admin).
 * Only sign-in is simulated: startTestBackend's mock credentials, with real on-behalf-of actors
 * (@internal/backend-test-utils), and each user's groups from catalog/org.yaml.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { findTool, freePort } from '@internal/plugin-platform-node';
import { ConfigReader } from '@backstage/config';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import {
  actorAwareMockAuthFactory,
  orgUserInfoFactory,
} from '@internal/backend-test-utils';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse as parseYaml } from 'yaml';
import { permissionModuleOpa } from '../module';

export const repo = path.resolve(__dirname, '../../../..');
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

export const as = (user: string) =>
  mockCredentials.user.header(`user:default/${user}`);

export async function startOpa(port: number) {
  const opa = await findTool(new ConfigReader({}), 'opa');
  return LocalOpaServer.start({ binary: opa.path, policyDir, port });
}

/** opa.fallback exactly as the portal's app-config.yaml has it. */
export const appConfigFallback = parseYaml(
  fs.readFileSync(path.join(repo, 'app-config.yaml'), 'utf8'),
).opa.fallback;

export const DORA_SECRET = 'dora-test-secret-0123456789abcdef0123';

export async function startPortal(
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
      // the real actions registry (startTestBackend's is a mock): actions over HTTP, as MCP calls them
      actionsRegistryServiceFactory,
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

export async function eventually<T>(
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

export type Backend = Awaited<ReturnType<typeof startPortal>>;

export async function entity(backend: Backend, ref: string, user = 'ben') {
  const [kind, rest] = ref.split(':');
  const [ns, name] = rest.split('/');
  return request(backend.server)
    .get(`/api/catalog/entities/by-name/${kind}/${ns}/${name}`)
    .set('Authorization', as(user));
}

export async function ingested(backend: Backend, refs: string[]) {
  await eventually(`the catalog to ingest ${refs.join(', ')}`, async () => {
    // ana is an admin and reads everything, confidential entities included.
    const all = await Promise.all(refs.map(r => entity(backend, r, 'ana')));
    return all.every(r => r.status === 200) ? true : undefined;
  });
}

export const refresh = (backend: Backend, user: string, entityRef: string) =>
  request(backend.server)
    .post('/api/catalog/refresh')
    .set('Authorization', as(user))
    .send({ entityRef });

export async function unregister(backend: Backend, user: string, ref: string) {
  const found = await entity(backend, ref, 'ana');
  expect(found.status).toBe(200);
  return request(backend.server)
    .delete(`/api/catalog/entities/by-uid/${found.body.metadata.uid}`)
    .set('Authorization', as(user));
}

export async function listComponents(
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

export const explain = (
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

/**
 * An OPA on a port of its own and a backend asking it (with `extraFeatures`), once the catalog has
 * ingested `refs`.
 */
export async function startRunningPortal(
  refs: string[],
  extraFeatures: any[] = [],
): Promise<{ opa: LocalOpaServer; backend: Backend }> {
  const opa = await startOpa(await freePort());
  const backend = await startPortal(opa.url, {}, extraFeatures);
  await ingested(backend, refs);
  return { opa, backend };
}
