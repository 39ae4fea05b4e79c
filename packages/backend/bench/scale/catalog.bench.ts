/*
 * Scale benchmark, catalog and permissions part (bench/scale.sh; asserts nothing about time). For
 * each size in BENCH_SCALES (default 1,100,1000) a generated organisation (./generateOrganisation)
 * is loaded through the real catalog on SQLite and on PostgreSQL, and OPA is given its role data.
 * Then, as a developer of a mid-size team (its teams are the deepest groups), side by side, every
 * round asking the portal's OPA policy backend and the allow-all backend in turn:
 *   - the catalog list of every component, every page of 250 (the confidential filter in SQL);
 *   - an entity page's requests (the component, then its related entities by ref);
 *   - a search query of the catalog's documents (the search backend filters each result through
 *     the permission policy), once each backend's collator has indexed the catalog;
 *   - a batch of 100 permission decisions through POST /api/permission/authorize;
 *   - the Jest process's RSS (both test backends, not the portal's backend) when idle after the
 *     load and after the list and the batch.
 * Then, on PostgreSQL, the test backends stopped: the RSS of a production boot of the portal's
 * backend on the loaded catalog (./portalRss). Figures go to recordScale; bench/scale.sh reports.
 */
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import {
  permissionBatch,
  recordScale,
  recordScaleNote,
} from '@internal/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import knexFactory, { Knex } from 'knex';
import os from 'node:os';
import path from 'node:path';
import { developerOf } from './developer';
import {
  generateOrganisation,
  Organisation,
  Scale,
  SIZES,
} from './generateOrganisation';
import { writeOrganisation } from './writeOrganisation';
import { measurePortalRss } from './portalRss';
import {
  Backend,
  baseUrl,
  call,
  closeAgent,
  countKind,
  Engine,
  entityPage,
  ScaleBackendOptions,
  searchCatalog,
  waitForIndex,
  listComponents,
  startScaleBackend,
} from './scaleBackends';

const SCALES = (process.env.BENCH_SCALES ?? '1,100,1000')
  .split(',')
  .map(Number) as Scale[];
/** The engines, named as TestDatabases names them (BENCH_ENGINES=SQLITE_3,POSTGRES_15). */
const ENGINES = (process.env.BENCH_ENGINES ?? 'SQLITE_3,POSTGRES_15')
  .split(',')
  .map(id => (id.startsWith('POSTGRES') ? 'PostgreSQL' : 'SQLite') as Engine);
const PG_URL =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
/** Rounds of the catalog list: fewer at the larger sizes, where one list takes seconds. */
const listRounds = (scale: number) =>
  Number(process.env.BENCH_ROUNDS ?? (scale >= 1000 ? 10 : 30));
const BATCH_ROUNDS = Number(process.env.BENCH_BATCH_ROUNDS ?? 200);
const LOAD_TIMEOUT_MS = 60 * 60_000;

const p50 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMb = () => process.memoryUsage().rss / 2 ** 20;
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Rounds of `fn` against each backend in turn; p50 ms of each, after 3 warm-up rounds. */
async function sideBySide<T>(
  backends: Record<string, Backend>,
  rounds: number,
  fn: (b: Backend) => Promise<T>,
) {
  const times: Record<string, number[]> = {};
  const results: Record<string, T> = {};
  for (let round = 0; round < 3 + rounds; round++) {
    for (const [name, b] of Object.entries(backends)) {
      const t0 = process.hrtime.bigint();
      results[name] = await fn(b);
      if (round >= 3) (times[name] ??= []).push(ms(t0));
    }
  }
  const p = Object.fromEntries(
    Object.entries(times).map(([k, v]) => [k, p50(v)]),
  );
  return { p50: p, results };
}

/** Waits until the catalog holds every entity of the organisation the user may read. */
async function waitForLoad(b: Backend, org: Organisation, user: string) {
  const deadline = Date.now() + LOAD_TIMEOUT_MS;
  const want: Record<string, number> = {
    component: developerOf(org).readable,
    user: org.users.length,
    group: org.groups.length,
    system: org.systems.length,
    api: org.apis.length,
    resource: org.resources.length,
  };
  for (;;) {
    const have: Record<string, number> = {};
    for (const kind of Object.keys(want))
      have[kind] = await countKind(b, user, kind);
    if (Object.keys(want).every(k => have[k] >= want[k])) return;
    if (Date.now() > deadline)
      throw new Error(
        `the catalog did not load the organisation in ${LOAD_TIMEOUT_MS} ms: ${JSON.stringify(
          have,
        )} of ${JSON.stringify(want)}`,
      );
    await new Promise(r => setTimeout(r, 2000));
  }
}

/** Forgets the last runs of a plugin's scheduled tasks: each runs again a second after start. */
async function forgetScheduledTasks(config: Knex.Config) {
  const db = knexFactory(config);
  try {
    await db('backstage_backend_tasks__tasks').delete();
  } finally {
    await db.destroy();
  }
}

async function dropDatabases(prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: PG_URL });
  try {
    const names: string[] = await admin('pg_database')
      .where('datname', 'like', `${prefix}%`)
      .pluck('datname');
    for (const name of names)
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [name]);
  } finally {
    await admin.destroy();
  }
}

async function measure(
  scale: Scale,
  engine: Engine,
  org: Organisation,
  written: { locationFile: string },
  opaUrl: string,
  tmp: string,
) {
  const dev = developerOf(org);
  const prefix = `bench_scale_${randomBytes(3).toString('hex')}_`;
  const database: ScaleBackendOptions['database'] =
    engine === 'SQLite'
      ? {
          engine,
          directory: fs.mkdtempSync(path.join(tmp, `sqlite-${scale}-`)),
        }
      : { engine, url: PG_URL, prefix };
  const backends: Record<string, Backend> = {};
  const table = (what: string) => `${what} (${engine})`;
  try {
    const startOpa = () =>
      startScaleBackend({
        policy: 'opa',
        org,
        locationFile: written.locationFile,
        opaUrl,
        database,
      });
    const t0 = process.hrtime.bigint();
    backends.opa = await startOpa();
    await waitForLoad(backends.opa, org, dev.user);
    const loadS = ms(t0) / 1000;
    // Restarted on the loaded catalog, so that its search index (in memory, built a second after
    // start) holds the whole organisation. SQLite: one writer a file, so the allow-all backend
    // gets a copy of the loaded files. PostgreSQL: both on one catalog database, as two replicas,
    // the other plugins' databases their own.
    await backends.opa.stop();
    let second: ScaleBackendOptions['database'] = {
      engine: 'PostgreSQL',
      url: PG_URL,
      prefix: `${prefix}b_`,
      catalogOf: prefix,
    };
    if (database.engine === 'SQLite') {
      second = {
        engine: 'SQLite',
        directory: fs.mkdtempSync(path.join(tmp, `sqlite-${scale}-`)),
      };
      fs.cpSync(database.directory, second.directory, { recursive: true });
      for (const dir of [database.directory, second.directory])
        await forgetScheduledTasks({
          client: 'better-sqlite3',
          connection: { filename: path.join(dir, 'search.sqlite') },
          useNullAsDefault: true,
        });
    } else {
      await forgetScheduledTasks({
        client: 'pg',
        connection: `${PG_URL}/${prefix}search`,
      });
    }
    backends.opa = await startOpa();
    backends['allow-all'] = await startScaleBackend({
      policy: 'allow-all',
      org,
      locationFile: written.locationFile,
      opaUrl,
      database: second,
    });
    await new Promise(r => setTimeout(r, 5000));
    recordScale(table('Load and memory'), scale, {
      'catalog entities': [
        org.groups,
        org.users,
        org.domains,
        org.systems,
        org.components,
        org.apis,
        org.resources,
      ].reduce((n, list) => n + list.length, 0),
      'load through the catalog, s': loadS,
      'Jest process RSS idle after the load, MB (both test backends)': rssMb(),
    });

    const list = await sideBySide(backends, listRounds(scale), b =>
      listComponents(b, dev.user),
    );
    // what the user may read: every component but other teams' confidential ones
    expect([dev.user, list.results.opa]).toEqual([dev.user, dev.readable]);
    expect(list.results['allow-all']).toBe(org.components.length);
    recordScale(table('Catalog list of every component, every page'), scale, {
      'components listed (OPA / allow-all)': `${list.results.opa} / ${list.results['allow-all']}`,
      'portal OPA p50 ms': list.p50.opa,
      'allow-all p50 ms (baseline)': list.p50['allow-all'],
      ratio: list.p50.opa / list.p50['allow-all'],
      'Jest process RSS after, MB': rssMb(),
    });

    const page = await sideBySide(backends, 30, b =>
      entityPage(b, dev.user, dev.pageOf),
    );
    recordScale(table("An entity page's catalog requests"), scale, {
      'entities fetched': page.results.opa,
      'portal OPA p50 ms': page.p50.opa,
      'allow-all p50 ms (baseline)': page.p50['allow-all'],
      ratio: page.p50.opa / page.p50['allow-all'],
    });

    // a term most components' documents hold ("The <area> <suffix> (service).")
    for (const b of Object.values(backends))
      await waitForIndex(b, dev.user, 'service');
    const search = await sideBySide(backends, 20, b =>
      searchCatalog(b, dev.user, 'service'),
    );
    recordScale(table('A search query'), scale, {
      'results on the first page (OPA / allow-all)': `${search.results.opa} / ${search.results['allow-all']}`,
      'portal OPA p50 ms': search.p50.opa,
      'allow-all p50 ms (baseline)': search.p50['allow-all'],
      ratio: search.p50.opa / search.p50['allow-all'],
    });

    const batch = await sideBySide(backends, BATCH_ROUNDS, b =>
      call(`${baseUrl(b)}/api/permission/authorize`, dev.user, {
        method: 'POST',
        body: permissionBatch,
      }),
    );
    recordScale(table('Permission batch of 100 decisions'), scale, {
      'group depth of the user': SIZES[scale].groupLevels.length + 1,
      'portal OPA p50 ms': batch.p50.opa,
      'allow-all p50 ms (baseline)': batch.p50['allow-all'],
      ratio: batch.p50.opa / batch.p50['allow-all'],
      'Jest process RSS after, MB': rssMb(),
    });
    // the test backends' connections closed before the production boot takes its own
    for (const name of Object.keys(backends)) {
      await backends[name].stop();
      delete backends[name];
    }
    if (engine === 'PostgreSQL')
      await measurePortalRss({
        scale,
        prefix,
        opaUrl,
        locationFile: written.locationFile,
      });
  } finally {
    for (const b of Object.values(backends)) await b.stop();
    if (engine === 'PostgreSQL') await dropDatabases(prefix);
  }
}

describe('scale: catalog and permissions', () => {
  jest.setTimeout(6 * 60 * 60_000);

  it('measures the OPA policy against allow-all at each size', async () => {
    const opaBinary = (await findTool(new ConfigReader({}), 'opa')).path;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
    const measured: string[] = [];
    try {
      for (const scale of SCALES) {
        const org = generateOrganisation({ scale, seed: 1 });
        const written = await writeOrganisation(
          path.join(tmp, `org-${scale}`),
          org,
        );
        const opa = await LocalOpaServer.start({
          binary: opaBinary,
          policyDir: written.policyDir,
        });
        try {
          for (const engine of ENGINES) {
            await measure(scale, engine, org, written, opa.url, tmp);
            measured.push(`${scale}× ${engine}`);
          }
        } finally {
          await opa.stop();
        }
      }
      for (const engine of ENGINES) {
        recordScaleNote(
          `Catalog list of every component, every page (${engine})`,
          "As a developer of the team with the median head count, pages of 250. Baseline: the same list from a backend with upstream's allow-all policy on the same database. The OPA list leaves out the confidential components of other teams, filtered in the SQL query. Target: the ratio at 1,000× no more than 1.2 times the ratio at 1×.",
        );
        recordScaleNote(
          `A search query (${engine})`,
          'GET /api/search/query?term=service for the software catalog, the first page (25), as the same developer; the search backend checks each result against the permission policy (the confidential condition through the catalog). Each backend indexed the catalog with its own in-memory Lunr index. Baseline: allow-all.',
        );
        recordScaleNote(
          `Permission batch of 100 decisions (${engine})`,
          'The 100 basic decisions of bench/permissions.sh for the same developer, whose team is the deepest level of groups (4 at 1,000×). Target at 1,000×: p50 ≤ 1.5 × allow-all.',
        );
      }
      expect(measured).toHaveLength(SCALES.length * ENGINES.length);
    } finally {
      closeAgent();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
