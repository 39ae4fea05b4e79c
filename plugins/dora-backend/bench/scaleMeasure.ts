/*
 * The measurements of the DORA and scorecards scale benchmark (scale.bench.ts), each with its
 * baseline, alternating round by round.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  DORA_MAX_METRICS_BATCH,
  DORA_MAX_PAGE_SIZE,
} from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import path from 'node:path';
import { DoraMetricsService } from '../src/metrics/DoraMetricsService';
import { ScorecardDefinitions } from '../src/scorecards/ScorecardDefinitions';
import { ScorecardService } from '../src/scorecards/ScorecardService';
import { DoraStore } from '../src/store/DoraStore';
import { ScorecardStore } from '../src/store/ScorecardStore';
import { REPO } from './scaleOrganisation';

const DAY = 24 * 3600_000;
/** The page's default window (plugins/dora/src/lib/window.ts, DEFAULT_WINDOW). */
export const WINDOW_DAYS = 30;
/** Requests a browser has in flight to one host over HTTP/1.1. */
const IN_FLIGHT = 6;

export const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const rssMb = () => process.memoryUsage().rss / 2 ** 20;

async function time(fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * Scorecards: one evaluation of every scorecard over every component, by the plugin's
 * ScorecardService composed as plugin.ts composes it (the catalog and auth the plugin receives, the
 * repository's scorecards/, the DORA metrics, results stored with their history). Baseline:
 * reading the same facts without evaluating: the catalog's entities as the evaluator reads them
 * (getEntities with the plugin's credentials) and one grouped, indexed count of each component's
 * deployments in the checks' 30 days.
 */
export async function measureScorecards(options: {
  knex: Knex;
  catalog: CatalogService;
  auth: AuthService;
  now: Date;
  rounds: number;
}) {
  const { knex, catalog, auth, now, rounds } = options;
  const store = await DoraStore.create(knex, { skipMigrations: true });
  const definitions = ScorecardDefinitions.load(path.join(REPO, 'scorecards'));
  const service = new ScorecardService({
    definitions,
    store: new ScorecardStore(knex),
    catalog,
    auth,
    metrics: new DoraMetricsService(store),
  });
  const facts = async () => {
    const credentials = await auth.getOwnServiceCredentials();
    await catalog.getEntities({}, { credentials });
    await knex('dora_deployments')
      .where('counted', true)
      .where('deployed_at', '>=', now.getTime() - 30 * DAY)
      .where('deployed_at', '<', now.getTime())
      .groupBy('component_ref')
      .select('component_ref', knex.raw('count(*) as n'));
  };
  let evaluated = 0;
  const first = await time(async () => {
    evaluated = (await service.evaluateAll(now)).evaluated;
  });
  const portal: number[] = [];
  const baseline: number[] = [];
  await facts();
  for (let i = 0; i < rounds; i++) {
    // each later round is the hourly evaluation: results unchanged, marked as seen again
    portal.push(await time(() => service.evaluateAll(now)));
    baseline.push(await time(facts));
  }
  return {
    evaluated,
    first,
    portal: median(portal),
    baseline: median(baseline),
  };
}

/** Runs `fn` on every item with `n` in flight. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/**
 * The Engineering metrics page (plugins/dora/src/components/EngineeringMetricsPage.tsx) through the
 * plugin's REST routes, as a signed-in user: POST /metrics/batch for the organisation and every
 * team, DORA_MAX_METRICS_BATCH entities a request (useMetricsOfMany), GET /scorecards/teams, /platform/template-adoption and
 * /platform/time-to-first-deploy, each list read page after page (DoraClient), IN_FLIGHT requests
 * at a time. The page's own catalog request (the teams) is the catalog's, not measured here.
 * Baseline: one indexed count (dora_deployments_org_idx) of the organisation's counted deployments
 * in the window and the previous one: the rows the metrics of the organisation, and of the teams
 * together, aggregate.
 */
export async function measurePage(options: {
  knex: Knex;
  baseUrl: string;
  authorization: string;
  teams: string[];
  now: Date;
  rounds: number;
}) {
  const { knex, baseUrl, authorization, teams, now, rounds } = options;
  const at = now.toISOString();
  const get = async (route: string, query: Record<string, string | number>) => {
    const qs = new URLSearchParams(
      Object.entries(query).map(([k, v]) => [k, String(v)]),
    );
    const res = await fetch(`${baseUrl}/api/dora${route}?${qs}`, {
      headers: { authorization },
    });
    if (!res.ok)
      throw new Error(`${route}?${qs}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const post = async (route: string, body: object) => {
    const res = await fetch(`${baseUrl}/api/dora${route}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  let requests = 0;
  const list = async (
    route: string,
    query: Record<string, string | number>,
  ) => {
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      requests++;
      const page: { nextOffset?: number } = await get(route, {
        ...query,
        limit: DORA_MAX_PAGE_SIZE,
        ...(offset ? { offset } : {}),
      });
      offset = page.nextOffset;
    }
  };
  const entities = ['org', ...teams.map(t => `group:default/${t}`)];
  const chunks: string[][] = [];
  for (let i = 0; i < entities.length; i += DORA_MAX_METRICS_BATCH)
    chunks.push(entities.slice(i, i + DORA_MAX_METRICS_BATCH));
  const calls: (() => Promise<unknown>)[] = [
    () => list('/scorecards/teams', {}),
    () => list('/platform/template-adoption', { window: WINDOW_DAYS, at }),
    () => list('/platform/time-to-first-deploy', { window: WINDOW_DAYS, at }),
    ...chunks.map(chunk => async () => {
      requests++;
      const { items } = await post('/metrics/batch', {
        entities: chunk,
        window: WINDOW_DAYS,
        at,
      });
      // every team is visible to the user: each item is its metrics
      if (items.some((i: { result?: object }) => !i.result))
        throw new Error(`/metrics/batch: ${JSON.stringify(items)}`);
    }),
  ];
  const page = () => pool(calls, IN_FLIGHT, c => c().then(() => undefined));
  const org = () => get('/metrics', { entity: 'org', window: WINDOW_DAYS, at });
  const to = now.getTime();
  const count = async () =>
    Number(
      (
        await knex('dora_deployments')
          .where('counted', true)
          .where('deployed_at', '>=', to - 2 * WINDOW_DAYS * DAY)
          .where('deployed_at', '<', to)
          .count({ n: '*' })
      )[0].n,
    );
  // warm up, and check that the baseline counts the rows the organisation's metrics count
  await page();
  const result = await org();
  const rows = await count();
  const m = result.metrics.deploymentFrequency;
  if (m.sampleSize + m.previous.sampleSize !== rows)
    throw new Error(
      `the count (${rows}) is not the organisation's deployments (${m.sampleSize} + ${m.previous.sampleSize})`,
    );
  requests = 0;
  const pages: number[] = [];
  const orgs: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < rounds; i++) {
    pages.push(await time(page));
    orgs.push(await time(org));
    counts.push(await time(count));
  }
  return {
    requests: requests / rounds,
    rows,
    page: median(pages),
    org: median(orgs),
    count: median(counts),
  };
}
