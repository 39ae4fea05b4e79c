/*
 * Scale benchmark of the environments (issue 14; asserts nothing about time). At each size of
 * BENCH_SCALES (default 1,100,1000), on SQLite and on PostgreSQL (BENCH_ENGINES to pick), in a
 * fresh database: s environments (bench/scalePopulate.ts: a tenth active, applied for real with
 * OpenTofu, the rest destroyed with their history and runs), the plugin in a test backend
 * (bench/scaleBackend.ts), then p50 of BENCH_ROUNDS rounds (default 5), each beside its baseline in
 * the same database (bench/scaleMeasure.ts):
 *  - the team list and the all-environments list, every page, through the REST router
 *    (permission decided by OPA) - one SQL query of the same rows;
 *  - one reaper pass with nothing to reap, and with a tenth of the active ones expired - the SQL
 *    query that finds the expired ones;
 *  - one drift-check pass (BENCH_DRIFT_ROUNDS rounds, default 3) - `tofu plan -refresh-only` of
 *    the same folders and state, one after another (BENCH_DRIFT_ROUNDS=0: no drift check, and the
 *    active environments are not applied);
 *  - the process's RSS with the backend idle, before and after the measurements.
 * Records each figure with recordScale (BENCH_SCALE_RESULTS); bench/scale.sh makes the section.
 */
// cd plugins/environments-backend && CI=true yarn backstage-cli package test --roots "$PWD/bench" \
//   --testMatch '**/bench/scale.bench.ts' --testTimeout 3600000 --verbose=false
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  recordScale,
  recordScaleNote,
  scaleResultsFile,
} from '@internal/backend-test-utils';
import { startScaleBackend } from './scaleBackend';
import {
  driftBaseline,
  driftPass,
  expiredBaseline,
  EXPIRED_SQL,
  listBaseline,
  listEveryPage,
  LIST_SQL,
  p50,
  rssMb,
  states,
  storePages,
  timed,
} from './scaleMeasure';
import { populate, Population } from './scalePopulate';

const SCALES = (process.env.BENCH_SCALES ?? '1,100,1000')
  .split(',')
  .map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DRIFT_ROUNDS = Math.min(
  ROUNDS,
  Number(process.env.BENCH_DRIFT_ROUNDS ?? 3),
);
const ENGINES = [
  { id: 'SQLITE_3' as TestDatabaseId, name: 'SQLite' },
  { id: 'POSTGRES_15' as TestDatabaseId, name: 'PostgreSQL' },
].filter(e =>
  (process.env.BENCH_ENGINES ?? 'SQLITE_3,POSTGRES_15')
    .split(',')
    .includes(e.id),
);
const databases = TestDatabases.create({ ids: ENGINES.map(e => e.id) });

const TABLES = {
  team: 'Environments: team list, every page',
  all: 'Environments: all-environments list, every page',
  reapNone: 'Environments: reaper pass, nothing to reap',
  reapSome: 'Environments: reaper pass, a tenth of the active expired',
  drift: 'Environments: drift-check pass over the active',
  rss: 'Environments: backend process RSS',
};

function notes(engine: string) {
  const t = (name: string) => `${name} (${engine})`;
  const sizes =
    'At size s: s environments, a tenth active (applied with OpenTofu, workspace blueprint), the rest destroyed with their history and runs; teams 3, 40, 300 at 1×, 100×, 1,000×, the person listing is in one.';
  recordScaleNote(
    t(TABLES.team),
    `GET /environments?scope=team through the REST router (permission decided by OPA), every page of 50 following nextCursor, p50 of ${ROUNDS}. Baseline: \`${LIST_SQL.team}\` (the person and their team; index environments_owner_state_idx). Target at 1,000×: under 200 ms p50 (a page). ${sizes}`,
  );
  recordScaleNote(
    t(TABLES.all),
    `GET /environments?scope=all through the REST router, every page of 50 following nextCursor, p50 of ${ROUNDS}; "per page" is the p50 of one page. Baseline: \`${LIST_SQL.all}\` (index environments_created_idx), all rows at once. "store, a page of the newer/older half": the page query alone (EnvironmentStore.listPage, keyset on created_at and id), p50 of the pages in each half of the list. Target at 1,000×: under 200 ms p50 (a page). ${sizes}`,
  );
  recordScaleNote(
    t(TABLES.reapNone),
    `The plugin's reaper task (environments-reaper) triggered once, p50 of ${ROUNDS}. Baseline: \`${EXPIRED_SQL}\` (index environments_state_expires_idx). Target at 1,000×: under 1 s.`,
  );
  recordScaleNote(
    t(TABLES.reapSome),
    `As above with a tenth of the active environments (at least 1) expired before each pass (their expiry moved to the past through the store); the pass sends each to destroying with its history row and destroy run, one transaction each. Baseline: the same query, which finds them. Rounds: up to ${ROUNDS}, as many as there are active environments to expire.`,
  );
  recordScaleNote(
    t(TABLES.drift),
    `The plugin's drift task (environments-drift) queues a refresh run per active environment; one worker works them one at a time (refresh-only plan in each environment's folder, log lines stored, drift flag set), p50 of ${DRIFT_ROUNDS}. Baseline: plain \`tofu plan -refresh-only -input=false -no-color\` in the same folders with the same (local, encrypted) state and environment, one after another. Every active environment is applied for real.`,
  );
  recordScaleNote(
    t(TABLES.rss),
    'RSS of the jest process that runs the backend (OPA and OpenTofu are child processes, not counted): idle after the backend started, before the measurements (after the environments were made) and after them. Each size runs in a fresh backend and database in the same process, so the figures include what earlier sizes left to the garbage collector.',
  );
}

async function measureLists(
  b: Awaited<ReturnType<typeof startScaleBackend>>,
  pop: Population,
  scale: number,
  engine: string,
) {
  for (const scope of ['team', 'all'] as const) {
    const first = await listEveryPage(b, scope); // warm-up, and the check
    expect(first.ids).toEqual(await listBaseline(b, scope));
    const portal: number[] = [];
    const pages: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const [ms, res] = await timed(() => listEveryPage(b, scope));
      portal.push(ms);
      pages.push(...res.pageMs);
      base.push((await timed(() => listBaseline(b, scope)))[0]);
    }
    const firstMs: number[] = [];
    const lastMs: number[] = [];
    for (let r = 0; r < (scope === 'all' ? ROUNDS : 0); r++) {
      // the pages of the list's newer half, and of its older half (one page each at 100×)
      const pageMs = await storePages(b);
      const half = Math.ceil(pageMs.length / 2);
      firstMs.push(...pageMs.slice(0, half));
      lastMs.push(...pageMs.slice(pageMs.length > 1 ? half : 0));
    }
    const storeRows: Record<string, number> =
      scope === 'all'
        ? {
            'store p50 ms, a page of the newer half': p50(firstMs),
            'store p50 ms, a page of the older half': p50(lastMs),
          }
        : {};
    recordScale(`${TABLES[scope]} (${engine})`, scale, {
      environments: pop.total,
      'rows listed': first.ids.length,
      pages: first.pageMs.length,
      'portal p50 ms, every page': p50(portal),
      'portal p50 ms, a page': p50(pages),
      'baseline p50 ms (one SQL query)': p50(base),
      ratio: p50(portal) / p50(base),
      ...storeRows,
    });
  }
}

async function measureReaper(
  b: Awaited<ReturnType<typeof startScaleBackend>>,
  pop: Population,
  scale: number,
  engine: string,
) {
  await b.trigger('environments-reaper');
  const portal: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    portal.push((await timed(() => b.trigger('environments-reaper')))[0]);
    const [ms, n] = await timed(() => expiredBaseline(b));
    expect(n).toBe(0);
    base.push(ms);
  }
  expect((await states(b)).active).toBe(pop.active.length);
  recordScale(`${TABLES.reapNone} (${engine})`, scale, {
    environments: pop.total,
    active: pop.active.length,
    'portal p50 ms': p50(portal),
    'baseline p50 ms (expired query)': p50(base),
    ratio: p50(portal) / p50(base),
  });
}

/** Last: the reaped ones keep their destroy runs queued (the replica serves the API only). */
async function measureReaperWithExpired(
  b: Awaited<ReturnType<typeof startScaleBackend>>,
  pop: Population,
  scale: number,
  engine: string,
) {
  const k = Math.max(1, Math.round(pop.active.length / 10));
  const rounds = Math.min(ROUNDS, Math.floor(pop.active.length / k));
  const portal: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const ids = pop.active.slice(r * k, (r + 1) * k);
    for (const id of ids)
      await b.store.extend(id, new Date(Date.now() - 60_000), {
        actor: 'system:bench',
        reason: 'expiry moved to the past by the scale benchmark',
      });
    const [bm, n] = await timed(() => expiredBaseline(b));
    expect(n).toBe(k);
    base.push(bm);
    portal.push((await timed(() => b.trigger('environments-reaper')))[0]);
    for (const id of ids)
      expect((await b.store.get(id)).state).toBe('destroying');
  }
  recordScale(`${TABLES.reapSome} (${engine})`, scale, {
    environments: pop.total,
    'expired a pass': k,
    rounds,
    'portal p50 ms': p50(portal),
    'portal p50 ms per reaped': p50(portal) / k,
    'baseline p50 ms (expired query)': p50(base),
    ratio: p50(portal) / p50(base),
  });
}

async function measureDrift(
  b: Awaited<ReturnType<typeof startScaleBackend>>,
  pop: Population,
  scale: number,
  engine: string,
) {
  const portal: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < DRIFT_ROUNDS; r++) {
    const [ms, n] = await timed(() => driftPass(b));
    expect(n).toBe(pop.active.length);
    portal.push(ms);
    base.push((await timed(() => driftBaseline(b, pop.active)))[0]);
  }
  for (const id of pop.active)
    expect((await b.store.get(id)).drift).toBe(false);
  recordScale(`${TABLES.drift} (${engine})`, scale, {
    environments: pop.total,
    'active checked': pop.active.length,
    'portal p50 ms': p50(portal),
    'portal p50 ms per environment': p50(portal) / pop.active.length,
    'baseline p50 ms (tofu plan -refresh-only, each)': p50(base),
    ratio: p50(portal) / p50(base),
  });
}

async function measureSize(id: TestDatabaseId, engine: string, scale: number) {
  const knex = await databases.init(id);
  const b = await startScaleBackend(knex);
  const idle = rssMb();
  try {
    const pop = await populate(b, scale, { apply: DRIFT_ROUNDS > 0 });
    console.log(
      `${engine} ${scale}×: ${pop.total} environments (${
        pop.active.length
      } active, ${
        pop.teams
      } teams): destroyed ones made in ${pop.walkSeconds.toFixed(
        1,
      )} s, active ones applied in ${pop.applySeconds.toFixed(1)} s`,
    );
    // PostgreSQL's autovacuum analyzes a table this size within a minute of the inserts; without
    // statistics yet, the planner's choices would depend on when the measurement starts
    if (id === 'POSTGRES_15') await knex.raw('ANALYZE');
    const before = rssMb();
    await measureLists(b, pop, scale, engine);
    await measureReaper(b, pop, scale, engine);
    if (DRIFT_ROUNDS > 0) await measureDrift(b, pop, scale, engine);
    await measureReaperWithExpired(b, pop, scale, engine);
    recordScale(`${TABLES.rss} (${engine})`, scale, {
      environments: pop.total,
      'idle MB': idle,
      'before MB': before,
      'after MB': rssMb(),
    });
  } finally {
    await b.stop();
    await knex.destroy();
  }
}

it('measures the environments at each size, against their baselines', async () => {
  console.log(`scale results: ${scaleResultsFile()}`);
  let measured = 0;
  for (const { id, name } of ENGINES) {
    notes(name);
    for (const scale of SCALES) {
      await measureSize(id, name, scale);
      measured++;
    }
  }
  expect(measured).toBe(ENGINES.length * SCALES.length);
}, 3_600_000);
