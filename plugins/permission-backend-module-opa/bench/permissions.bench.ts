/*
 * Benchmark (not a test: it asserts nothing about time). Run with bench/permissions.sh, which writes
 * the results to docs/benchmarks.md. Every ratio is measured side by side in one run: all backends
 * run at once and every round asks each of them in turn, so machine noise hits them alike.
 *
 * 1. A batch of 100 decisions through POST /api/permission/authorize:
 *    this module (OPA, default cache) / the allow-all policy module, and this module with its cache
 *    off, and the community OPA wrapper (@parsifal-m/plugin-permission-backend-module-opa-wrapper)
 *    against the same OPA with an equivalent Rego (bench/opa-wrapper/adapter.rego).
 * 2. A catalog list of 1,000 entities (GET /api/catalog/entities/by-query, every page) under the
 *    CONDITIONAL confidential-read policy, against allow-all.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleVisibility from '@internal/plugin-catalog-backend-module-visibility';
import permissionPlugin from '@backstage/plugin-permission-backend';
import allowAllModule from '@backstage/plugin-permission-backend-module-allow-all-policy';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import {
  actorAwareMockAuthFactory,
  appendBenchmarkSection,
  describeMachine,
  orgUserInfoFactory,
  permissionBatch,
} from '@internal/backend-test-utils';
import { findTool } from '@internal/plugin-platform-node';
import wrapperModule from '@parsifal-m/plugin-permission-backend-module-opa-wrapper';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { randomBytes } from 'node:crypto';
import knexFactory from 'knex';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { permissionModuleOpa } from '../src/module';

const repo = path.resolve(__dirname, '../../..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const CATALOG_ROUNDS = Number(process.env.BENCH_CATALOG_ROUNDS ?? 40);
const PG_URL =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

const users = ['dev', 'ben', 'vic', 'chloe'];
const batch = permissionBatch;

const agent = new http.Agent({ keepAlive: true });
function call(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(url, { ...init, agent }, res => {
      const chunks: Buffer[] = [];
      res.on('data', c => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function percentile(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

type Backend = Awaited<ReturnType<typeof startTestBackend>>;
const baseUrl = (b: Backend) =>
  `http://127.0.0.1:${(b.server.address() as any).port}`;

async function startBackend(
  policy: 'opa' | 'opa-nocache' | 'allow-all' | 'wrapper',
  opaUrl: string,
  extra: { features?: any[]; config?: object } = {},
) {
  const module = {
    opa: permissionModuleOpa,
    'opa-nocache': permissionModuleOpa,
    'allow-all': allowAllModule,
    wrapper: wrapperModule,
  }[policy];
  return startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: 'none' }),
      mockServices.rootConfig.factory({
        data: {
          permission: {
            enabled: true,
            opa: {
              baseUrl: opaUrl,
              policy: {
                policyEntryPoint: 'bench/wrapper/decision',
                policyFallbackDecision: 'deny',
              },
            },
          },
          opa: {
            url: opaUrl,
            cache: { ttlMs: policy === 'opa-nocache' ? 0 : 2000 },
          },
          ...extra.config,
        },
      }),
      actorAwareMockAuthFactory,
      orgUserInfoFactory,
      permissionPlugin,
      module,
      ...(extra.features ?? []),
    ],
  });
}

function generatedCatalog(dir: string) {
  const teams = ['payments', 'storefront', 'platform'];
  const docs = Array.from({ length: 1000 }, (_, i) => {
    const confidential =
      i % 10 === 0
        ? "\n  annotations:\n    portal.acme.example/confidential: 'true'"
        : '';
    return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bench-${i}${confidential}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: ${
      teams[i % 3]
    }`;
  });
  const file = path.join(dir, 'bench-catalog.yaml');
  fs.writeFileSync(file, docs.join('\n---\n'));
  return file;
}

describe('permission benchmark', () => {
  jest.setTimeout(60 * 60_000);

  it('measures the OPA policy against allow-all and against the community wrapper', async () => {
    const opaTool = await findTool(new ConfigReader({}), 'opa');
    const opa = await LocalOpaServer.start({
      binary: opaTool.path,
      policyDir: path.join(repo, 'policies'),
      extraPaths: [path.join(repo, 'bench/opa-wrapper')],
    });
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-permissions-'));
    const backends: Record<string, Backend> = {};
    const lines: string[] = [];
    try {
      // ---------------------------------------------------------------- 1. authorize batches
      for (const p of ['allow-all', 'opa', 'opa-nocache', 'wrapper'] as const) {
        backends[p] = await startBackend(p, opa.url);
      }
      const times: Record<string, number[]> = Object.fromEntries(
        Object.keys(backends).map(k => [k, []]),
      );
      const verdicts: Record<string, string> = {};
      for (let round = 0; round < WARMUP + ROUNDS; round++) {
        const user = users[round % users.length];
        for (const [name, b] of Object.entries(backends)) {
          const t0 = process.hrtime.bigint();
          const res = await call(`${baseUrl(b)}/api/permission/authorize`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: mockCredentials.user.header(
                `user:default/${user}`,
              ),
            },
            body: JSON.stringify(batch),
          });
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          if (res.status !== 200)
            throw new Error(
              `${name}: HTTP ${res.status} ${res.body.slice(0, 300)}`,
            );
          if (round === 0)
            verdicts[name] = JSON.parse(res.body)
              .items.map((x: any) => x.result[0])
              .join('');
          if (round >= WARMUP) times[name].push(ms);
        }
      }
      // The OPA-backed modules must agree with each other (same Rego); allow-all allows everything.
      expect(verdicts.wrapper).toBe(verdicts.opa);
      expect(verdicts['opa-nocache']).toBe(verdicts.opa);
      const stat = (k: string) => ({
        p50: percentile(times[k], 50),
        p99: percentile(times[k], 99),
      });
      const s = Object.fromEntries(Object.keys(times).map(k => [k, stat(k)]));
      const r = (a: number, b: number) => (a / b).toFixed(2);
      lines.push(
        `### Permission decisions: a batch of 100 through POST /api/permission/authorize (${ROUNDS} rounds after ${WARMUP} warm-up, users rotating)`,
        '',
        '| policy module | p50 ms | p99 ms | p50 ratio | p99 ratio |',
        '| --- | ---: | ---: | ---: | ---: |',
        `| allow-all (baseline) | ${s['allow-all'].p50.toFixed(2)} | ${s[
          'allow-all'
        ].p99.toFixed(2)} | 1.00 | 1.00 |`,
        `| portal OPA policy (cache 2 s, default) | ${s.opa.p50.toFixed(
          2,
        )} | ${s.opa.p99.toFixed(2)} | ${r(
          s.opa.p50,
          s['allow-all'].p50,
        )} | ${r(s.opa.p99, s['allow-all'].p99)} |`,
        `| portal OPA policy, cache off | ${s['opa-nocache'].p50.toFixed(
          2,
        )} | ${s['opa-nocache'].p99.toFixed(2)} | ${r(
          s['opa-nocache'].p50,
          s['allow-all'].p50,
        )} | ${r(s['opa-nocache'].p99, s['allow-all'].p99)} |`,
        `| community OPA wrapper 2.0.2, same OPA and Rego | ${s.wrapper.p50.toFixed(
          2,
        )} | ${s.wrapper.p99.toFixed(2)} | ${r(
          s.wrapper.p50,
          s['allow-all'].p50,
        )} | ${r(s.wrapper.p99, s['allow-all'].p99)} |`,
        '',
        `Targets: portal/allow-all p50 ≤ 1.5 (measured ${r(
          s.opa.p50,
          s['allow-all'].p50,
        )}; cache off ${r(
          s['opa-nocache'].p50,
          s['allow-all'].p50,
        )}), p99 ≤ 2 (measured ${r(
          s.opa.p99,
          s['allow-all'].p99,
        )}; cache off ${r(s['opa-nocache'].p99, s['allow-all'].p99)}); ` +
          `wrapper/portal p50 ≥ 3 (measured ${r(
            s.wrapper.p50,
            s.opa.p50,
          )}; against the portal with its cache off ${r(
            s.wrapper.p50,
            s['opa-nocache'].p50,
          )}).`,
        '',
      );
      for (const b of Object.values(backends)) await b.stop();
      for (const k of Object.keys(backends)) delete backends[k];

      // ---------------------------------------------------------------- 2. catalog list
      if (!process.env.BENCH_SKIP_CATALOG) await catalogList();
    } finally {
      for (const b of Object.values(backends)) await b.stop();
      await opa.stop();
      agent.destroy();
      fs.rmSync(tmp, { recursive: true, force: true });
    }

    async function catalogList() {
      const file = generatedCatalog(tmp);
      const catalogConfig = {
        catalog: {
          rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
          locations: [
            { type: 'file', target: file },
            {
              type: 'file',
              target: path.join(repo, 'catalog/org.yaml'),
              rules: [{ allow: ['Group', 'User'] }],
            },
          ],
          processingInterval: { seconds: 600 },
        },
      };
      const listAll = async (b: Backend, user: string) => {
        let cursor: string | undefined;
        let n = 0;
        do {
          const q = cursor
            ? `cursor=${encodeURIComponent(cursor)}`
            : 'filter=kind=component&limit=250';
          const res = await call(
            `${baseUrl(b)}/api/catalog/entities/by-query?${q}`,
            {
              method: 'GET',
              headers: {
                authorization: mockCredentials.user.header(
                  `user:default/${user}`,
                ),
              },
            },
          );
          if (res.status !== 200)
            throw new Error(
              `catalog: HTTP ${res.status} ${res.body.slice(0, 200)}`,
            );
          const body = JSON.parse(res.body);
          n += body.items.length;
          cursor = body.pageInfo?.nextCursor;
        } while (cursor);
        return n;
      };
      lines.push(
        `### Catalog list of 1,000 components, every page of 250 (${CATALOG_ROUNDS} rounds), as a storefront developer`,
        '',
        '| database | policy | entities returned | p50 ms | p99 ms | p50 ratio |',
        '| --- | --- | ---: | ---: | ---: | ---: |',
      );
      const ratios: string[] = [];
      for (const engine of ['SQLite (in memory)', 'PostgreSQL 15'] as const) {
        const prefix = `bench_${randomBytes(4).toString('hex')}_`;
        const db =
          engine === 'PostgreSQL 15'
            ? {
                features: [databaseServiceFactory],
                config: {
                  backend: {
                    database: {
                      client: 'pg',
                      connection: PG_URL,
                      prefix: `${prefix}a_`,
                    },
                  },
                },
              }
            : { features: [], config: {} };
        const pair: Record<string, Backend> = {};
        try {
          for (const p of ['allow-all', 'opa'] as const) {
            const config =
              engine === 'PostgreSQL 15'
                ? {
                    backend: {
                      database: {
                        client: 'pg',
                        connection: PG_URL,
                        prefix: `${prefix}${p === 'opa' ? 'o' : 'a'}_`,
                      },
                    },
                  }
                : {};
            pair[p] = backends[p] = await startBackend(p, opa.url, {
              features: [
                catalogPlugin,
                catalogModuleVisibility,
                ...db.features,
              ],
              config: { ...catalogConfig, ...config },
            });
          }
          const deadline = Date.now() + 10 * 60_000;
          for (;;) {
            const counts = await Promise.all(
              Object.values(pair).map(b => listAll(b, 'ana')),
            );
            if (counts.every(c => c >= 1000)) break;
            if (Date.now() > deadline)
              throw new Error(`catalog ingestion stalled at ${counts}`);
            await new Promise(res => setTimeout(res, 1000));
          }
          const ctimes: Record<string, number[]> = { 'allow-all': [], opa: [] };
          const seen: Record<string, number> = {};
          for (let round = 0; round < 5 + CATALOG_ROUNDS; round++) {
            for (const [name, b] of Object.entries(pair)) {
              const t0 = process.hrtime.bigint();
              seen[name] = await listAll(b, 'chloe');
              const ms = Number(process.hrtime.bigint() - t0) / 1e6;
              if (round >= 5) ctimes[name].push(ms);
            }
          }
          const c = (k: string) => ({
            p50: percentile(ctimes[k], 50),
            p99: percentile(ctimes[k], 99),
          });
          const ratio = (c('opa').p50 / c('allow-all').p50).toFixed(2);
          ratios.push(`${engine} ${ratio}`);
          lines.push(
            `| ${engine} | allow-all (baseline) | ${seen['allow-all']} | ${c(
              'allow-all',
            ).p50.toFixed(1)} | ${c('allow-all').p99.toFixed(1)} | 1.00 |`,
            `| ${engine} | portal OPA, CONDITIONAL confidential read (filtered in SQL) | ${
              seen.opa
            } | ${c('opa').p50.toFixed(1)} | ${c('opa').p99.toFixed(
              1,
            )} | ${ratio} |`,
          );
        } finally {
          for (const [k, b] of Object.entries(pair)) {
            await b.stop();
            delete backends[k];
          }
          if (engine === 'PostgreSQL 15') {
            const admin = knexFactory({ client: 'pg', connection: PG_URL });
            const dbs: string[] = await admin('pg_database')
              .where('datname', 'like', `${prefix}%`)
              .pluck('datname');
            for (const name of dbs)
              await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [
                name,
              ]);
            await admin.destroy();
          }
        }
      }
      lines.push(
        '',
        `Target: ≤ 1.3 (measured ${ratios.join(
          ', ',
        )}). The OPA list returns fewer entities: the 67 confidential components other teams own are filtered out in the database query.`,
        '',
      );
    }

    const header = `## OPA permissions, ${new Date()
      .toISOString()
      .slice(
        0,
        10,
      )}\n\nMachine: ${describeMachine()}. Command: \`bench/permissions.sh\`. OPA ${
      (await findTool(new ConfigReader({}), 'opa')).path
    } with policies/ (and bench/opa-wrapper/ for the wrapper), one process shared by every backend.\n\n`;
    const section = header + lines.join('\n');
    appendBenchmarkSection(section);
    console.log(section);
  });
});
