/*
 * The portal's backend for the golden-path benchmark, wired as packages/backend wires the parts the
 * node-service template uses: the catalog (with the scaffolder entity model and the visibility
 * module), the scaffolder with this module and the environments module, and the permission backend
 * with the OPA module (the backend starts OPA on policies/ itself, opa.local). Databases on the
 * machine's PostgreSQL, as in production (their timestamps carry the task log's milliseconds),
 * under a prefix of their own, dropped by stop(). Only sign-in is simulated (mock credentials with
 * real on-behalf-of actors, and each user's groups from catalog/org.yaml).
 */
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  actorAwareMockAuthFactory,
  orgUserInfoFactory,
  repoRoot,
} from '@internal/backend-test-utils';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import permissionModuleOpa from '@internal/plugin-permission-backend-module-opa';
import scaffolderModuleEnvironments from '@internal/plugin-scaffolder-backend-module-environments';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import scaffolderModuleGoldenPath from '../src';

export const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
/** What the portal's app-config.yaml says, for the webhook URL the golden path writes. */
export const PORTAL_URL = 'http://localhost:7007';
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The local forge that bench/golden-path.sh started and provisioned (ensure_forge). */
export function benchForge() {
  const url = process.env.GITEA_URL;
  const token = process.env.GITEA_TOKEN;
  if (!url || !token)
    throw new Error(
      'GITEA_URL and GITEA_TOKEN are not set: run bench/golden-path.sh, which starts the local forge (ensure_forge)',
    );
  return { url: url.replace(/\/+$/, ''), host: new URL(url).host, token };
}
export type Forge = ReturnType<typeof benchForge>;

/** `count` Component entities owned by the example teams, in one YAML file. */
export function extraComponents(file: string, count: number) {
  const teams = ['payments', 'storefront', 'platform'];
  const docs = Array.from({ length: count }, (_, i) =>
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      'metadata:',
      `  name: bench-extra-${i + 1}`,
      `  description: Generated component ${i + 1} of ${count}`,
      'spec:',
      '  type: service',
      '  lifecycle: production',
      `  owner: group:default/${teams[i % teams.length]}`,
    ].join('\n'),
  );
  fs.writeFileSync(file, `${docs.join('\n---\n')}\n`);
}

/** The Component entities of catalog-info.yaml and of catalog/all.yaml's targets. */
function exampleComponents(): number {
  const all = parseYaml(
    fs.readFileSync(path.join(repoRoot, 'catalog/all.yaml'), 'utf8'),
  );
  const files = [
    path.join(repoRoot, 'catalog-info.yaml'),
    ...all.spec.targets.map((t: string) => path.join(repoRoot, 'catalog', t)),
  ];
  return files
    .flatMap(f => parseAllDocuments(fs.readFileSync(f, 'utf8')))
    .filter(d => d.toJS()?.kind === 'Component').length;
}

/** SQL through psql's standard input; the rows of the first column. */
export function psql(sql: string): string[] {
  return execFileSync(
    'psql',
    ['--no-psqlrc', '-qtA', '-v', 'ON_ERROR_STOP=1', `${PG}/postgres`],
    { input: sql, encoding: 'utf8' },
  )
    .split('\n')
    .filter(Boolean);
}

export async function startBenchBackend(options: {
  forge: Forge;
  doraSecret: string;
  extraComponents: number;
}) {
  const { forge } = options;
  const prefix = `bench_gp_${randomBytes(4).toString('hex')}_`;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-golden-path-'));
  const extraLocations = [];
  if (options.extraComponents > 0) {
    const file = path.join(work, 'extra-components.yaml');
    extraComponents(file, options.extraComponents);
    extraLocations.push({ type: 'file', target: file });
  }
  const orgKinds = ['Component', 'System', 'API', 'Resource', 'Location'];
  const backend = await startTestBackend({
    features: [
      databaseServiceFactory,
      mockServices.rootLogger.factory({
        level: (process.env.BENCH_LOG_LEVEL as any) ?? 'none',
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            baseUrl: PORTAL_URL,
            database: { client: 'pg', connection: PG, prefix },
          },
          integrations: {
            gitea: [
              {
                host: forge.host,
                baseUrl: forge.url,
                username: 'portal-admin',
                password: forge.token,
              },
            ],
          },
          goldenPath: { forge: { host: forge.host, organisation: 'acme' } },
          dora: {
            sources: [
              { id: 'gitea', type: 'gitea', secret: options.doraSecret },
            ],
          },
          // app-config.yaml's catalog, with absolute paths (and the extra components)
          catalog: {
            import: { entityFilename: 'catalog-info.yaml' },
            rules: [{ allow: [...orgKinds, 'Domain'] }],
            locations: [
              {
                type: 'file',
                target: path.join(repoRoot, 'catalog-info.yaml'),
              },
              {
                type: 'file',
                target: path.join(repoRoot, 'catalog/all.yaml'),
                rules: [{ allow: [...orgKinds, 'Domain', 'User', 'Group'] }],
              },
              {
                type: 'file',
                target: path.join(repoRoot, 'templates/*/template.yaml'),
                rules: [{ allow: ['Template'] }],
              },
              ...extraLocations,
            ],
          },
          permission: { enabled: true },
          opa: { local: { policyDir: path.join(repoRoot, 'policies') } },
        },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      catalogPlugin,
      catalogModuleTemplates,
      catalogModuleVisibility,
      scaffolderPlugin,
      scaffolderModuleGoldenPath,
      scaffolderModuleEnvironments,
      permissionPlugin,
      permissionModuleOpa,
    ],
  });
  const base = `http://127.0.0.1:${backend.server.port()}`;

  /** A request to the backend as a person of catalog/org.yaml. */
  async function api(
    user: string,
    method: string,
    apiPath: string,
    body?: unknown,
  ) {
    const res = await fetch(`${base}${apiPath}`, {
      method,
      headers: {
        Authorization: mockCredentials.user.header(`user:default/${user}`),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Polls every `intervalMs` until the entity `kind/name` is in the catalog for `user`. */
  async function entity(
    kind: string,
    name: string,
    user = 'dev',
    { intervalMs = 100, timeoutMs = 120_000 } = {},
  ) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await api(
        user,
        'GET',
        `/api/catalog/entities/by-name/${kind}/default/${name}`,
      );
      if (res.status === 200) return res.body;
      if (Date.now() > deadline)
        throw new Error(
          `${kind}:default/${name} is not in the catalog; its locations' errors: ${await locationErrors(
            name,
          )}`,
        );
      await sleep(intervalMs);
    }
  }

  /** The processing errors of the Location entities whose target names `name`. */
  async function locationErrors(name: string): Promise<string> {
    const res = await api(
      'ana',
      'GET',
      '/api/catalog/entities/by-query?filter=kind=location&limit=500',
    );
    const errors = (res.body?.items ?? [])
      .filter((e: any) => JSON.stringify(e.spec ?? {}).includes(name))
      .flatMap((e: any) =>
        (e.status?.items ?? []).map((i: any) => i.error?.message),
      );
    return errors.length ? errors.join('; ') : 'none';
  }

  /** The number of Component entities (as ana, an admin, who reads confidential ones too). */
  async function components(): Promise<number> {
    const res = await api(
      'ana',
      'GET',
      '/api/catalog/entities/by-query?filter=kind=component&limit=1',
    );
    return res.body.totalItems;
  }

  // Ready when the template, the organisation and every component are in the catalog.
  await entity('template', 'node-service', 'ana', { intervalMs: 250 });
  await entity('group', 'payments', 'ana', { intervalMs: 250 });
  const expected = exampleComponents() + options.extraComponents;
  for (
    const deadline = Date.now() + 120_000;
    (await components()) < expected;

  ) {
    if (Date.now() > deadline)
      throw new Error(`the catalog did not ingest ${expected} components`);
    await sleep(250);
  }

  return {
    api,
    entity,
    components,
    async stop() {
      await backend.stop();
      const dbs = psql(
        `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`,
      );
      for (const db of dbs)
        psql(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
      fs.rmSync(work, { recursive: true, force: true });
    },
  };
}
export type BenchBackend = Awaited<ReturnType<typeof startBenchBackend>>;
