/*
 * Sign-in at a cold start, in a real backend: the auth plugin with this module, the real catalog
 * and Backstage's health endpoints with the readiness gates. The organisation (catalog/org.yaml's
 * entities) reaches the catalog only when the test says so, through an entity provider: the catalog
 * "still ingesting", made certain rather than left to a race.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import {
  catalogProcessingExtensionPoint,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { rootHealthWithGatesServiceFactory } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { authModuleCatalogSignIn } from './module';

jest.setTimeout(60_000);

const ORG_YAML = path.resolve(__dirname, '../../../catalog/org.yaml');
const org = parseAllDocuments(fs.readFileSync(ORG_YAML, 'utf8'))
  .map(d => d.toJS() as Entity)
  .filter(e => e && ['User', 'Group'].includes(e.kind));

/** An entity provider that hands the catalog the organisation when `ingest()` is called. */
function organisationProvider() {
  let connection: EntityProviderConnection | undefined;
  const feature = createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-organisation',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'test-organisation',
            connect: async c => {
              connection = c;
            },
          });
        },
      });
    },
  });
  const ingest = () =>
    connection!.applyMutation({
      type: 'full',
      entities: org.map(entity => ({
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              'backstage.io/managed-by-location': `file:${ORG_YAML}`,
              'backstage.io/managed-by-origin-location': `file:${ORG_YAML}`,
            },
          },
        },
        locationKey: 'test-organisation',
      })),
    });
  return { feature, ingest };
}

describe('sign-in at a cold start', () => {
  it('readiness waits for the organisation, and a guest token asked for before it carries the teams', async () => {
    const provider = organisationProvider();
    const backend = await startTestBackend({
      features: [
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            catalog: { processingInterval: { seconds: 1 } },
            auth: {
              providers: {
                guest: {
                  userEntityRef: 'user:default/guest',
                  dangerouslyAllowOutsideDevelopment: true,
                },
              },
            },
          },
        }),
        rootHealthWithGatesServiceFactory,
        catalogPlugin,
        provider.feature,
        authPlugin,
        authModuleCatalogSignIn,
      ],
    });
    try {
      const api = () => request(backend.server);
      const waiting = await api().get('/.backstage/health/v1/readiness');
      expect(waiting.status).toBe(503);
      expect(waiting.body.message).toBe(
        "Waiting for: the catalog to hold the organisation's users and groups",
      );

      // Asked for while the catalog holds no one; answered once the organisation is in.
      const token = api()
        .get('/api/auth/guest/refresh')
        .set('X-Requested-With', 'XMLHttpRequest')
        .then(res => res);
      await new Promise(r => setTimeout(r, 1_500));
      await provider.ingest();
      const res = await token;
      expect(res.status).toBe(200);
      const { identity } = res.body.backstageIdentity;
      expect(identity.userEntityRef).toBe('user:default/guest');
      expect([...identity.ownershipEntityRefs].sort()).toEqual([
        'group:default/payments',
        'user:default/guest',
      ]);

      const deadline = Date.now() + 30_000;
      let ready = await api().get('/.backstage/health/v1/readiness');
      while (ready.status !== 200 && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 250));
        ready = await api().get('/.backstage/health/v1/readiness');
      }
      expect(ready.status).toBe(200);
    } finally {
      await backend.stop();
    }
  });
});
