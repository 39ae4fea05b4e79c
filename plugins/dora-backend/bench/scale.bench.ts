/*
 * Scale benchmark, DORA and scorecards part (issue 14; asserts nothing about time). At each size
 * of BENCH_SCALES (1, 100 and 1,000 times the example organisation: 10 / 1,000 / 10,000
 * components, 3 / 40 / 300 teams, 1 / 50 / 500 services with 90 days of DORA history), on SQLite
 * and on PostgreSQL (BENCH_ENGINES, as bench/scale.sh sets it), in a test backend of its own (scaleBackend.ts: the real
 * catalog reading the organisation from a `file` location, permissions decided by a real OPA, the
 * dora plugin), with the history brought in through the plugin's ingest path (scaleHistory.ts):
 *  - scorecards: one evaluation of every scorecard over every component, against reading the
 *    same facts without evaluating (scaleMeasure.ts, measureScorecards);
 *  - DORA: the Engineering metrics page's requests to the plugin (the teams' metrics in batches of
 *    DORA_MAX_METRICS_BATCH), against one indexed count of
 *    the organisation's deployments in the window and the previous one (measurePage);
 *  - the process's RSS before and after the measurements.
 * p50 of BENCH_ROUNDS rounds (default 5). Figures go to the scale results file
 * (BENCH_SCALE_RESULTS, @internal/backend-test-utils recordScale), which bench/scale.sh turns into
 * docs/benchmarks.md's section.
 *
 *   cd plugins/dora-backend && CI=true yarn backstage-cli package test --roots "$PWD/bench" \
 *     --testMatch '**\/bench/scale.bench.ts' --testTimeout 3600000 --verbose=false
 */
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { recordScale, recordScaleNote } from '@internal/backend-test-utils';
import { DORA_MAX_METRICS_BATCH } from '@internal/plugin-dora-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { as, startScaleBackend } from './scaleBackend';
import { ingestHistory } from './scaleHistory';
import {
  measurePage,
  measureScorecards,
  rssMb,
  WINDOW_DAYS,
} from './scaleMeasure';
import { writeOrganisation } from './scaleOrganisation';

process.env.BACKSTAGE_TEST_DISABLE_DOCKER ??= '1';
process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??=
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

const SCALES = (process.env.BENCH_SCALES ?? '1,100,1000')
  .split(',')
  .map(s => Number(s.trim()));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const DATABASES = (
  process.env.BENCH_ENGINES ??
  process.env.BENCH_DATABASES ??
  'SQLITE_3,POSTGRES_15'
)
  .split(',')
  .map(s => s.trim() as TestDatabaseId);
const NAMES: Record<string, string> = {
  SQLITE_3: 'SQLite',
  POSTGRES_15: 'PostgreSQL',
};
const databases = TestDatabases.create({ ids: DATABASES });
const NOW = new Date('2026-11-02T12:00:00Z');
const log = (m: string) =>
  console.log(`${new Date().toISOString()} scale ${m}`);

const pageTable = (db: string) => `DORA: organisation page queries (${db})`;
const cardsTable = (db: string) =>
  `Scorecards: every scorecard over every component (${db})`;
const rssTable = (db: string) => `DORA and scorecards: process RSS (${db})`;

it('measures the DORA organisation page and the scorecards at each size', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dora-scale-'));
  try {
    for (const id of DATABASES) {
      const db = NAMES[id] ?? id;
      recordScaleNote(
        pageTable(db),
        `The Engineering metrics page's requests to the dora plugin (POST /metrics/batch of the organisation and every team, ${DORA_MAX_METRICS_BATCH} entities a request; /scorecards/teams, /platform/template-adoption and /platform/time-to-first-deploy, every page of each list), ${WINDOW_DAYS}-day window, as a signed-in user with 6 in flight, permissions decided by OPA. Baseline: one indexed count (dora_deployments_org_idx) of the organisation's counted deployments in the window and the previous one, the rows the metrics aggregate. "org metrics" is GET /metrics?entity=org alone, over exactly those rows. p50 of ${ROUNDS} rounds; the history came in through the plugin's ingest path (delivery queue, normaliser, attribution, linking). Time figures are from a shared 2-core machine.`,
      );
      recordScaleNote(
        cardsTable(db),
        `One evaluation of every scorecard in scorecards/ over every component (ScorecardService.evaluateAll, as the hourly job: the catalog's entities, each component's DORA metrics, each result recorded). The p50 is of the later rounds (results unchanged, marked as seen again); "first evaluation" wrote every result. Baseline: reading the same facts without evaluating: the catalog's entities with the plugin's credentials, and one grouped count of the components' deployments in 30 days. p50 of ${ROUNDS} rounds.`,
      );
      recordScaleNote(
        rssTable(db),
        'The benchmark process (Jest, hosting the test backend with the catalog, permissions and dora plugins) in MB: with the backend started and the history ingested, after the scorecards, and after the page.',
      );
      for (const scale of SCALES) {
        const org = writeOrganisation(scale, dir, NOW);
        log(
          `${db} ${scale}×: ${org.components} components, ${org.teams.length} teams, ${org.services.length} services`,
        );
        const rssIdle = rssMb();
        const backend = await startScaleBackend({
          databases,
          db: id,
          catalogFile: org.file,
          expect: {
            component: org.components,
            group: org.teams.length,
            resource: org.teams.length,
          },
        });
        try {
          log(`catalog loaded`);
          const ingest = await ingestHistory({
            ...backend,
            services: org.services,
            now: NOW,
            log,
          });
          if (backend.knex.client.config.client === 'pg')
            await backend.knex.raw('analyze');
          // a turn for the event loop: keep-alive sockets the server closed while the normaliser
          // held the loop (SQLite answers synchronously) are seen closed, not reused
          await new Promise(r => setTimeout(r, 1000));
          const rssBefore = rssMb();
          const cards = await measureScorecards({
            ...backend,
            now: NOW,
            rounds: ROUNDS,
          });
          log(`scorecards ${JSON.stringify(cards)}`);
          // one result for each service and website, each scorecard applying to both
          expect(cards.evaluated).toBe(org.scored);
          const rssCards = rssMb();
          const page = await measurePage({
            ...backend,
            authorization: as('ana'),
            teams: org.teams,
            now: NOW,
            rounds: ROUNDS,
          });
          log(`page ${JSON.stringify(page)}`);
          const rssAfter = rssMb();
          recordScale(pageTable(db), scale, {
            services: org.services.length,
            teams: org.teams.length,
            'deliveries ingested': ingest.deliveries,
            'deployments counted': page.rows,
            'requests a page': page.requests,
            'portal p50 ms (whole page)': page.page,
            'portal ms a request': page.page / page.requests,
            'org metrics p50 ms': page.org,
            'baseline p50 ms (indexed count)': page.count,
            ratio: page.page / page.count,
            'ratio, org metrics alone': page.org / page.count,
          });
          recordScale(cardsTable(db), scale, {
            components: org.components,
            'results evaluated': cards.evaluated,
            'first evaluation ms': cards.first,
            'portal p50 ms': cards.portal,
            'baseline p50 ms (entities + grouped count)': cards.baseline,
            ratio: cards.portal / cards.baseline,
            'portal µs a result': (1000 * cards.portal) / cards.evaluated,
          });
          recordScale(rssTable(db), scale, {
            'before the backend MB': rssIdle,
            'backend started, history ingested MB': rssBefore,
            'after the scorecards MB': rssCards,
            'after the page MB': rssAfter,
          });
        } finally {
          await backend.stop();
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
