/*
 * Benchmark (asserts nothing about time). Run with bench/dora-ingest.sh; appends to
 * docs/benchmarks.md. On the local PostgreSQL (a database of its own, dropped afterwards):
 *  - portal: signed GitHub events POSTed over HTTP (keep-alive, CONCURRENCY in flight) to the dora
 *    plugin in a test backend: the credentials barrier, the raw body, the HMAC-SHA256 check, JSON
 *    parse and the INSERT of the raw delivery; measured with the normaliser held to its schedule
 *    (receiving alone), and again with it kicked by every delivery (the default: it starts after a
 *    250 ms lull in arrivals, at most 2 s after a burst's first delivery, then competes for the cores);
 *  - baseline: a bare INSERT of the same raw rows into the same table through knex, one statement
 *    a row, with the same number in flight.
 * Then the time the normaliser takes to turn the portal's deliveries into rows (events/s).
 */
import { mockServices, startTestBackend, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ComponentIndex } from '../attribution/Attribution';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { doraPlugin } from '../plugin';
import { DoraStore } from '../store/DoraStore';
import { githubPayloads } from '../testing/githubPayloads';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../../..');
const OUT = process.env.BENCH_OUT ?? path.join(repo, 'docs/benchmarks.md');
const EVENTS = Number(process.env.BENCH_EVENTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECRET = 'bench-github-secret-0123456789';
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function inParallel<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

const payments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default', annotations: { 'github.com/project-slug': 'acme/payments-api' } },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

/** A round's events: a quarter each of pushes, merged pull requests, deployment statuses and incident issues, signed. */
function makeEvents(round: number) {
  const gh = githubPayloads('acme/payments-api', new Date(Date.UTC(2026, 0, 1 + round)));
  return Array.from({ length: EVENTS }, (_, i) => {
    const sha = (i + round * EVENTS).toString(16).padStart(40, '0');
    const n = round * EVENTS + i;
    const d =
      i % 4 === 0
        ? gh.push([[sha, i / 100, `change ${i}`]], i / 100)
        : i % 4 === 1
          ? gh.mergedPullRequest(n, sha, i / 100 - 1, i / 100)
          : i % 4 === 2
            ? gh.deploymentStatus(n, { sha, atH: i / 100 })
            : gh.issue(n, { openedH: i / 100, closedH: i / 100 + 1 });
    const raw = JSON.stringify(d.body);
    return { ...d, id: `r${round}-${d.id}`, raw, signature: `sha256=${createHmac('sha256', SECRET).update(raw).digest('hex')}` };
  });
}
type BenchEvent = ReturnType<typeof makeEvents>[number];

/** The dora plugin in a test backend on a fresh PostgreSQL database; `immediate` as dora.processing.immediate. */
async function portal(immediate: boolean) {
  const knex = await databases.init('POSTGRES_15');
  const backend = await startTestBackend({
    features: [
      mockServices.rootLogger.factory({ level: (process.env.BENCH_LOG_LEVEL as any) ?? 'none' }),
      mockServices.rootConfig.factory({
        data: {
          dora: {
            scaffolder: { sync: false },
            processing: { immediate, frequencySeconds: immediate ? 10 : 3600 },
            sources: [{ id: 'github-bench', type: 'github', secret: SECRET }],
          },
        },
      }),
      mockServices.database.factory({ knex }),
      catalogServiceMock.factory({ entities: [payments] }),
      doraPlugin,
    ],
  });
  const url = `http://127.0.0.1:${(backend.server.address() as AddressInfo).port}/api/dora/webhooks/github-bench`;
  const pending = async () => Number((await knex('dora_deliveries').whereIn('status', ['pending', 'processing']).count({ n: '*' }).first())?.n);
  return {
    knex,
    /** Sends the events from a load generator in a process of its own; events a second. */
    async send(events: BenchEvent[]) {
      const file = path.join(os.tmpdir(), `dora-bench-${process.pid}-${Date.now()}.ndjson`);
      fs.writeFileSync(file, events.map(e => JSON.stringify({ event: e.event, id: e.id, signature: e.signature, raw: e.raw })).join('\n'));
      try {
        const { stdout } = await run(process.execPath, [path.join(__dirname, 'post-deliveries.js'), url, file, String(CONCURRENCY)], { maxBuffer: 1 << 20 });
        const result = JSON.parse(stdout) as { seconds: number; statuses: Record<string, number> };
        if (result.statuses['202'] !== events.length) throw new Error(`expected ${events.length} × 202, got ${JSON.stringify(result.statuses)}`);
        return events.length / result.seconds;
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    /** Works the queue to the end: the plugin's own processor when kicked, else the same processor code run here. */
    async normalise() {
      const t = performance.now();
      if (!immediate) {
        const store = await DoraStore.create(knex, { skipMigrations: true });
        const index = new ComponentIndex([payments]);
        await new DeliveryProcessor({ store, attribution: { resolve: async x => index.resolve(x) }, sources: new Map() }).drain();
      }
      while ((await pending()) > 0) await new Promise(r => setTimeout(r, 20));
      return (performance.now() - t) / 1000;
    },
    stop: () => backend.stop(),
  };
}

it('measures signed GitHub ingest against a bare INSERT', async () => {
  const held = await portal(false);
  const kicked = await portal(true);
  try {
    // the baseline's table: the same columns, defaults, indexes and unique key as dora_deliveries
    await held.knex.raw('create table dora_bare_inserts (like dora_deliveries including all)');
    const receive: number[] = [];
    const competing: number[] = [];
    const bare: number[] = [];
    let normalised = { seconds: 0, events: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const events = makeEvents(round);
      // portal first, then the bare INSERT of the same rows, in every round (side by side)
      receive.push(await held.send(events));
      const seconds = await held.normalise();
      normalised = { seconds: normalised.seconds + seconds, events: normalised.events + events.length };

      const t = performance.now();
      await inParallel(events, CONCURRENCY, async e => {
        await held.knex('dora_bare_inserts').insert({
          source: 'github-bench',
          source_type: 'github',
          delivery_id: e.id,
          event_type: e.event,
          payload: e.raw,
          status: 'pending',
          received_at: Date.now(),
        });
      });
      bare.push(events.length / ((performance.now() - t) / 1000));
      competing.push(await kicked.send(events));
      await kicked.normalise();
    }

    const counts = await held.knex('dora_deliveries').groupBy('status').select('status', held.knex.raw('count(*) as n'));
    const cpus = os.cpus();
    const pg = (await held.knex.raw('show server_version')).rows[0].server_version;
    const section = [
      `## DORA ingest, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Linux ${os.release()}, Node ${process.version}, PostgreSQL ${pg}, load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')} at the end (the machine is shared). Command: \`bench/dora-ingest.sh\` (${ROUNDS} rounds of ${EVENTS} signed GitHub events, ${CONCURRENCY} in flight; medians).`,
      '',
      '| measure | events/s | ratio to bare INSERT (target ≥ 0.5) |',
      '| --- | ---: | ---: |',
      `| bare INSERT of the same raw rows (knex, one statement a row) | ${median(bare).toFixed(0)} | 1.00 |`,
      `| portal: POST /api/dora/webhooks (signature, raw INSERT), normaliser on its schedule | ${median(receive).toFixed(0)} | **${(median(receive) / median(bare)).toFixed(2)}** |`,
      `| portal, normaliser kicked by every delivery (the default: after a 250 ms lull, at most 2 s into a burst) | ${median(competing).toFixed(0)} | ${(median(competing) / median(bare)).toFixed(2)} |`,
      `| normaliser: stored deliveries to deployments, changes, incidents and links | ${(normalised.events / normalised.seconds).toFixed(0)} | |`,
      '',
      `Deliveries after the run: ${counts.map((c: any) => `${c.status} ${c.n}`).join(', ')}. The HTTP load generator (\`src/bench/post-deliveries.js\`, node:http with keep-alive) runs in a process of its own; it, the backend and PostgreSQL share the two cores. The bare INSERT runs in the backend's process and has no HTTP at all.`,
      '',
    ].join('\n');
    if (!fs.existsSync(OUT)) fs.writeFileSync(OUT, '# Benchmarks\n');
    fs.appendFileSync(OUT, `\n${section}`);
    console.log(section);
  } finally {
    await held.stop();
    await kicked.stop();
  }
}, 30 * 60_000);
