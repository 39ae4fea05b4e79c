/*
 * The DORA history of the scale benchmark's services, in the way the webhooks bring it: 90 days of
 * GitHub deliveries a service (demoHistory, the demo seeder's history, with the four example
 * repositories' profiles in turn), stored in the delivery queue as POST /webhooks stores them
 * (DeliveryQueue.insert, after the signature check), then normalised, attributed to the catalog's
 * components (CatalogAttribution, as the plugin) and linked by the plugin's DeliveryProcessor.
 * One template run a service
 * (the component created from its template, spread over the 90 days: a third of them in the page's
 * 30-day window), recorded as POST /template-runs does.
 */
import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import knexFactory, { Knex } from 'knex';
import { CatalogAttribution } from '../src/attribution/Attribution';
import { DeliveryProcessor } from '../src/ingest/DeliveryProcessor';
import { DEMO_PROFILES, demoHistories } from '../src/seed/demoHistory';
import { DoraStore } from '../src/store/DoraStore';

const DAY = 24 * 3600_000;

export async function ingestHistory(options: {
  knex: Knex;
  catalog: CatalogService;
  auth: AuthService;
  services: { name: string; repo: string; team: string }[];
  now: Date;
  log: (m: string) => void;
}): Promise<{ deliveries: number; seconds: number }> {
  const { knex, services, now, log } = options;
  const store = await DoraStore.create(knex, { skipMigrations: true });
  // On PostgreSQL the normaliser commits every delivery; the history is loaded on connections
  // that do not wait for the commit's flush to disk (synchronous_commit off; same statements,
  // same rows), or 1,000× would take most of an hour on this machine's disk.
  const ingestKnex = store.isPostgres
    ? knexFactory({
        ...knex.client.config,
        pool: {
          min: 0,
          max: 4,
          afterCreate: (conn: any, done: (e?: Error) => void) =>
            conn.query('set synchronous_commit = off', (e?: Error) => done(e)),
        },
      })
    : knex;
  const ingestStore = store.isPostgres
    ? await DoraStore.create(ingestKnex, { skipMigrations: true })
    : store;
  const t0 = performance.now();
  // each repository's deployments numbered in a range of its own, as the demo seeder does
  const histories = demoHistories(
    services.map((s, i) => ({
      ...DEMO_PROFILES[i % DEMO_PROFILES.length],
      repo: s.repo,
    })),
    now,
    90,
  ).map(h => h.map((d, k) => ({ d, k })));
  // one repository's history after another, as a backfill replays them: a batch of the normaliser
  // then touches one or two services, whose links it rebuilds (interleaved, every batch would
  // re-link every service it touched: see the report of scale.bench.ts)
  const deliveries = histories.flatMap((h, i) => h.map(e => ({ ...e, i })));
  for (let start = 0; start < deliveries.length; start += 2000) {
    await Promise.all(
      deliveries.slice(start, start + 2000).map(({ d, i, k }) =>
        store.deliveries.insert({
          source: 'github-acme',
          sourceType: 'github',
          deliveryId: `scale-${i}-${k}`,
          eventType: d.event,
          payload: JSON.stringify(d.body),
          receivedAt: now.getTime(),
        }),
      ),
    );
  }
  log(`${deliveries.length} deliveries stored`);
  const attribution = new CatalogAttribution({
    catalog: options.catalog,
    auth: options.auth,
  });
  // One normaliser: two side by side (as on two replicas) can re-link the same subject at once,
  // and the second INSERT of its links then fails on the primary key (see the report).
  await new DeliveryProcessor({
    store: ingestStore,
    attribution,
    sources: new Map(),
  }).drain();
  if (ingestKnex !== knex) await ingestKnex.destroy();
  const counts = await store.deliveries.count();
  if (counts.failed || counts.pending)
    throw new Error(`deliveries left: ${JSON.stringify(counts)}`);
  // every deployment status of the history is a deployment of its own
  const statuses = deliveries.filter(e => e.d.event === 'deployment_status');
  const [{ n }] = await knex('dora_deployments').count({ n: '*' });
  if (Number(n) !== statuses.length)
    throw new Error(`${n} deployments stored, not ${statuses.length}`);
  await store.platform.recordRuns(
    services.map((s, i) => ({
      taskId: `scale-run-${i}`,
      templateRef: 'template:default/node-service',
      createdBy: 'user:default/ana',
      teamRef: `group:default/${s.team}`,
      status: 'completed',
      componentRef: `component:default/${s.name}`,
      createdAt:
        now.getTime() - 90 * DAY + ((i + 0.5) / services.length) * 90 * DAY,
    })),
    now.getTime(),
  );
  const seconds = (performance.now() - t0) / 1000;
  log(
    `${deliveries.length} deliveries normalised in ${seconds.toFixed(
      0,
    )} s: ${JSON.stringify(counts)}`,
  );
  return { deliveries: deliveries.length, seconds };
}
