/*
 * The backends of the catalog and permission scale benchmark (catalog.bench.ts): the catalog with
 * the portal's visibility processor and the permission backend, once with the portal's OPA policy
 * module and once with upstream's allow-all module, on one catalog database (SQLite files copied,
 * or PostgreSQL shared as two replicas would): the OPA one loads the organisation through a `file`
 * location, the allow-all one starts on the loaded catalog with the same location, so nothing is
 * loaded twice. Their other plugins' databases are their own (each search index is in memory and
 * built by its own scheduled task).
 * Both have the search backend (its default in-memory Lunr engine) with the catalog collator, run
 * by the real scheduler a second after start.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import searchPlugin from '@backstage/plugin-search-backend';
import searchModuleCatalog from '@backstage/plugin-search-backend-module-catalog';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import allowAllModule from '@backstage/plugin-permission-backend-module-allow-all-policy';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import {
  actorAwareMockAuthFactory,
  userInfoFactoryFrom,
} from '@internal/backend-test-utils';
import http from 'node:http';
import { Organisation } from './generateOrganisation';

export type Backend = Awaited<ReturnType<typeof startTestBackend>>;
export type Engine = 'SQLite' | 'PostgreSQL';

export const baseUrl = (b: Backend) =>
  `http://127.0.0.1:${(b.server.address() as { port: number }).port}`;

/** Each user's ownership refs: the user and its groups, as the portal's sign-in resolver gives. */
export function memberships(org: Organisation): Map<string, string[]> {
  const members = new Map<string, string[]>();
  for (const u of org.users) {
    const ref = `user:default/${u.metadata.name}`;
    const groups = (u.spec?.memberOf ?? []) as string[];
    members.set(ref, [ref, ...groups.map(g => `group:default/${g}`)]);
  }
  return members;
}

export interface ScaleBackendOptions {
  policy: 'opa' | 'allow-all';
  org: Organisation;
  locationFile: string;
  opaUrl: string;
  /** Where the plugins' databases are: a folder for SQLite files, or a PostgreSQL prefix. */
  database:
    | { engine: 'SQLite'; directory: string }
    | {
        engine: 'PostgreSQL';
        url: string;
        prefix: string;
        /** The prefix of another backend whose catalog database this one shares, as a replica. */
        catalogOf?: string;
      };
}

export function startScaleBackend(options: ScaleBackendOptions) {
  const { database } = options;
  return startTestBackend({
    features: [
      mockServices.rootLogger.factory({
        level: (process.env.BENCH_LOG_LEVEL as 'warn' | undefined) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database:
              database.engine === 'SQLite'
                ? {
                    client: 'better-sqlite3',
                    connection: { directory: database.directory },
                  }
                : {
                    client: 'pg',
                    connection: database.url,
                    prefix: database.prefix,
                    ...(database.catalogOf && {
                      plugin: {
                        catalog: {
                          connection: `${database.url}/${database.catalogOf}catalog`,
                        },
                      },
                    }),
                  },
          },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'API',
                  'Resource',
                  'System',
                  'Domain',
                  'Group',
                  'User',
                  'Location',
                ],
              },
            ],
            locations: [{ type: 'file', target: options.locationFile }],
            processingInterval: { minutes: 60 },
          },
          permission: { enabled: true },
          opa: { url: options.opaUrl },
          search: {
            collators: {
              catalog: {
                schedule: {
                  frequency: { minutes: 600 },
                  timeout: { minutes: 60 },
                  initialDelay: { seconds: 1 },
                },
              },
            },
          },
        },
      }),
      databaseServiceFactory,
      schedulerServiceFactory,
      actorAwareMockAuthFactory,
      userInfoFactoryFrom(() => memberships(options.org)),
      catalogPlugin,
      catalogModuleVisibility,
      permissionPlugin,
      options.policy === 'opa' ? permissionModuleOpa : allowAllModule,
      searchPlugin,
      searchModuleCatalog,
    ],
  });
}

const agent = new http.Agent({ keepAlive: true });

/** A request with a user's credentials over a kept-alive connection; throws on a non-2xx. */
export function call(
  url: string,
  user: string,
  init: { method?: string; body?: unknown } = {},
): Promise<any> {
  return new Promise((resolve, reject) => {
    const body =
      init.body === undefined ? undefined : JSON.stringify(init.body);
    const req = http.request(
      url,
      {
        method: init.method ?? 'GET',
        agent,
        headers: {
          authorization: mockCredentials.user.header(user),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if ((res.statusCode ?? 0) >= 300) {
            reject(
              new Error(`${url}: HTTP ${res.statusCode} ${text.slice(0, 300)}`),
            );
          } else resolve(text ? JSON.parse(text) : undefined);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export const closeAgent = () => agent.destroy();

/** Every page of the components the user may read, as the catalog page lists them. */
export async function listComponents(
  b: Backend,
  user: string,
  pageSize = 250,
): Promise<number> {
  let cursor: string | undefined;
  let n = 0;
  do {
    const q = cursor
      ? `cursor=${encodeURIComponent(cursor)}`
      : `filter=kind=component&limit=${pageSize}`;
    const body = await call(
      `${baseUrl(b)}/api/catalog/entities/by-query?${q}`,
      user,
    );
    n += body.items.length;
    cursor = body.pageInfo?.nextCursor;
  } while (cursor);
  return n;
}

/** How many entities of a kind the user may read (the first page's totalItems). */
export async function countKind(b: Backend, user: string, kind: string) {
  const body = await call(
    `${baseUrl(b)}/api/catalog/entities/by-query?filter=kind=${kind}&limit=1`,
    user,
  );
  return body.totalItems as number;
}

/** The requests an entity page makes for its entity and the entities it relates to. */
export async function entityPage(b: Backend, user: string, name: string) {
  const entity = await call(
    `${baseUrl(b)}/api/catalog/entities/by-name/component/default/${name}`,
    user,
  );
  const refs = [
    ...new Set(
      (entity.relations ?? []).map((r: { targetRef: string }) => r.targetRef),
    ),
  ];
  const related = await call(
    `${baseUrl(b)}/api/catalog/entities/by-refs`,
    user,
    {
      method: 'POST',
      body: { entityRefs: refs },
    },
  );
  return 1 + related.items.filter(Boolean).length;
}

/** A search of the catalog's documents as the search page makes it: the first page of results. */
export async function searchCatalog(b: Backend, user: string, term: string) {
  const body = await call(
    `${baseUrl(b)}/api/search/query?term=${encodeURIComponent(
      term,
    )}&types%5B0%5D=software-catalog`,
    user,
  );
  return body.results.length as number;
}

/** Waits until the backend's search index answers `term` with results (the collator has run). */
export async function waitForIndex(b: Backend, user: string, term: string) {
  const deadline = Date.now() + 30 * 60_000;
  const results = () =>
    searchCatalog(b, user, term).catch(e => {
      // until the collator's first run, the engine has no index for the type
      if (String(e).includes('MissingIndexError')) return 0;
      throw e;
    });
  while ((await results()) === 0) {
    if (Date.now() > deadline)
      throw new Error(`the search index has no results for "${term}"`);
    await new Promise(r => setTimeout(r, 2000));
  }
}
