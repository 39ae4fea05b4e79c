/*
 * Search works on both database engines the portal runs on:
 *
 * - PostgreSQL (production): search-backend-module-pg registers the pg search engine, which keeps
 *   its index in the search plugin's database (table `documents`).
 * - SQLite (local development): the pg module declines to register, and the search plugin falls
 *   back to its default in-memory Lunr engine.
 *
 * On each engine a backend with the catalog and search (pg engine module and catalog collator, as
 * in src/index.ts) starts on fresh databases, ingests the example organisation from
 * catalog/all.yaml, indexes it, and answers searches for it over HTTP.
 *
 * PostgreSQL is used when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set; without it
 * (and with BACKSTAGE_TEST_DISABLE_DOCKER=1) that case is left out and only SQLite runs.
 * TEST_LOG_LEVEL=info (or debug) shows the backend's logs.
 */

import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { Knex } from 'knex';
import { coreServices } from '@backstage/backend-plugin-api';
import {
  TestDatabaseId,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// Static imports: handing startTestBackend `import('…')` as src/index.ts does fails under this
// jest setup ("A dynamic import callback was invoked without --experimental-vm-modules").
import catalogPlugin from '@backstage/plugin-catalog-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchCatalogCollator from '@backstage/plugin-search-backend-module-catalog';
import searchPgEngine from '@backstage/plugin-search-backend-module-pg';
import { captureService } from '@internal/backend-test-utils';
import { perPluginTestDatabases } from './__testUtils__/perPluginTestDatabases';
import { waitFor } from './__testUtils__/waitFor';

const exampleCatalog = path.resolve(__dirname, '../../../catalog/all.yaml');

// The id the search plugin gives the catalog collator's task: search_index_<document type>.
const catalogCollatorTaskId = 'search_index_software_catalog';

// At least one entity from each file that catalog/all.yaml points at.
const expectedEntities = [
  'group:default/platform', // org.yaml
  'group:default/payments',
  'group:default/storefront',
  'user:default/guest',
  'system:default/payments-platform', // systems.yaml
  'component:default/payments-api', // components.yaml
  'component:default/checkout-web',
  'api:default/payments-api', // apis.yaml
];

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

type LogLevel = 'none' | 'error' | 'warn' | 'info' | 'debug';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

// The catalog and search APIs are called as the portal's guest user, user:default/guest.
const asGuest = mockCredentials.user.header('user:default/guest');

function parseRef(ref: string) {
  const [, kind, namespace, name] = ref.match(/^([^:]+):([^/]+)\/(.+)$/)!;
  return { kind, namespace, name };
}

// Where the catalog collator's documents point (its default locationTemplate).
function searchLocation(ref: string) {
  const { kind, namespace, name } = parseRef(ref);
  return `/catalog/${namespace}/${kind}/${name}`;
}

// What each search engine leaves in the plugins' databases.
function searchEngineFootprint(databaseId: TestDatabaseId) {
  return {
    // The pg engine keeps its index in the search plugin's own database, never in the catalog's.
    POSTGRES_15: {
      searchTables: expect.arrayContaining(['documents']),
      indexedLocations: expect.arrayContaining(
        expectedEntities.map(searchLocation),
      ),
      catalogTables: expect.not.arrayContaining(['documents']),
    },
    // The pg module opens the search plugin's database only to find it is not PostgreSQL, and
    // leaves search to the Lunr engine, whose index is in memory: no tables at all.
    SQLITE_3: {
      searchTables: [],
      indexedLocations: [],
      catalogTables: expect.not.arrayContaining(['documents']),
    },
  }[databaseId as 'POSTGRES_15' | 'SQLITE_3'];
}

async function listTables(knex: Knex): Promise<string[]> {
  return knex.client.config.client === 'pg'
    ? knex('information_schema.tables')
        .where({ table_schema: 'public' })
        .pluck('table_name')
    : knex('sqlite_master').where({ type: 'table' }).pluck('name');
}

interface SearchResult {
  type: string;
  document: { title: string; text: string; location: string; kind?: string };
}

describe('search', () => {
  it.each(databases.eachSupportedId())(
    'ingests the example catalog and finds it through search on %p',
    async databaseId => {
      expect(fs.existsSync(exampleCatalog)).toBe(true);

      // One database per plugin, as in production; see __testUtils__/perPluginTestDatabases.ts.
      const perPlugin = perPluginTestDatabases(databases, databaseId);
      // startTestBackend's scheduler is a mock that runs a task only when triggered (or at
      // startup, if the task has no initial delay), never on its schedule. The search plugin's
      // instance lets the test run the catalog collator once the catalog holds the organisation.
      const searchScheduler = captureService('search', coreServices.scheduler);

      const backend = await startTestBackend({
        features: [
          perPlugin.factory,
          mockServices.rootLogger.factory({
            level: (process.env.TEST_LOG_LEVEL as LogLevel) ?? 'none',
          }),
          // Permissions are on, as in app-config.yaml, so search answers through its
          // AuthorizedSearchEngine; every decision is ALLOW, made in process. (The real
          // permission-backend cannot be used with startTestBackend's mock auth: a mock
          // on-behalf-of token authenticates as a user without an `actor`, and
          // permission-backend 0.7.16 then rejects the catalog's requests with "Resource
          // permissions require a resourceRef to be set. Direct user requests without a
          // resourceRef are not allowed.")
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.rootConfig.factory({
            data: {
              permission: { enabled: true },
              catalog: {
                rules: [{ allow: allKinds }],
                locations: [
                  {
                    type: 'file',
                    target: exampleCatalog,
                    rules: [{ allow: allKinds }],
                  },
                ],
                // New entities are processed at once; this only bounds re-processing.
                processingInterval: { seconds: 5 },
              },
              search: {
                collators: {
                  catalog: {
                    schedule: {
                      frequency: { seconds: 600 },
                      timeout: { minutes: 3 },
                      initialDelay: { seconds: 0 },
                    },
                  },
                },
              },
            },
          }),
          searchScheduler.feature,
          catalogPlugin,
          searchPlugin,
          searchPgEngine,
          searchCatalogCollator,
        ],
      });

      const search = async (term: string) => {
        const res = await request(backend.server)
          .get('/api/search/query')
          .query({ term })
          .set('Authorization', asGuest);
        expect(res.status).toBe(200);
        return res.body.results as SearchResult[];
      };

      try {
        // 1. The catalog ingests the example organisation.
        const entities = await waitFor(
          'the catalog to ingest the example organisation',
          async () => {
            const responses = await Promise.all(
              expectedEntities.map(ref => {
                const { kind, namespace, name } = parseRef(ref);
                return request(backend.server)
                  .get(
                    `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
                  )
                  .set('Authorization', asGuest);
              }),
            );
            const missing = responses
              .map((res, i) => ({
                ref: expectedEntities[i],
                status: res.status,
                body: res.body,
              }))
              .filter(({ status }) => status !== 200);
            return missing.length
              ? { done: false, last: { missing } }
              : { done: true, value: responses.map(res => res.body) };
          },
        );
        const byRef = new Map(
          expectedEntities.map((ref, i) => [ref, entities[i]]),
        );
        expect(byRef.get('component:default/payments-api')).toMatchObject({
          kind: 'Component',
          metadata: { name: 'payments-api', title: 'Payments API' },
          spec: { owner: 'payments', system: 'payments-platform' },
        });
        expect(byRef.get('user:default/guest')).toMatchObject({
          kind: 'User',
          relations: expect.arrayContaining([
            expect.objectContaining({
              type: 'memberOf',
              targetRef: 'group:default/payments',
            }),
          ]),
        });

        // 2. The catalog collator indexes it, and searches find it.
        await expect(
          searchScheduler.get().getScheduledTasks(),
        ).resolves.toContainEqual(
          expect.objectContaining({ id: catalogCollatorTaskId }),
        );
        const paymentsResults = await waitFor(
          'a search for "payments" to find payments-api',
          async () => {
            // The mock scheduler runs the collation to the end before it returns.
            await searchScheduler.get().triggerTask(catalogCollatorTaskId);
            const results = await search('payments');
            return results.some(
              r =>
                r.document.location ===
                searchLocation('component:default/payments-api'),
            )
              ? { done: true, value: results }
              : { done: false, last: results };
          },
          { timeoutMs: 30_000 },
        );
        expect(paymentsResults).toContainEqual({
          type: 'software-catalog',
          document: expect.objectContaining({
            kind: 'Component',
            title: 'Payments API',
            text: 'Takes card and wallet payments for orders and reports their status.',
            owner: 'payments',
            location: '/catalog/default/component/payments-api',
          }),
          highlight: expect.anything(),
          rank: expect.any(Number),
        });
        expect(paymentsResults).toContainEqual(
          expect.objectContaining({
            document: expect.objectContaining({
              kind: 'API',
              title: 'Payments API',
              location: '/catalog/default/api/payments-api',
            }),
          }),
        );
        // Matching documents only: checkout-web says nothing about payments ...
        expect(paymentsResults.map(r => r.document.location)).not.toContain(
          searchLocation('component:default/checkout-web'),
        );
        // ... and it is found by what it is about, where payments-api is not.
        const checkoutResults = await search('checkout');
        expect(checkoutResults).toContainEqual(
          expect.objectContaining({
            document: expect.objectContaining({
              kind: 'Component',
              title: 'Checkout web',
              location: '/catalog/default/component/checkout-web',
            }),
          }),
        );
        expect(checkoutResults.map(r => r.document.location)).not.toContain(
          searchLocation('component:default/payments-api'),
        );

        // 3. The engine that answered is the one for this database.
        const searchDb = await perPlugin.client('search');
        const catalogDb = await perPlugin.client('catalog');
        const searchTables = await listTables(searchDb);
        expect({
          searchTables,
          indexedLocations: searchTables.includes('documents')
            ? (
                await searchDb('documents')
                  .where({ type: 'software-catalog' })
                  .select(searchDb.raw(`document->>'location' as location`))
              ).map(row => row.location)
            : [],
          catalogTables: await listTables(catalogDb),
        }).toEqual(searchEngineFootprint(databaseId));
      } finally {
        // Stop before TestDatabases' afterAll destroys the connections and drops the databases.
        await backend.stop();
      }
    },
    120_000,
  );
});
