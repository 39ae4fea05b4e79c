/*
 * Benchmark (asserts nothing about time): run with bench/dora-ingest.sh; appends to
 * docs/benchmarks.md. On the local PostgreSQL, in databases of its own (dropped afterwards):
 *  - portal: signed GitHub events POSTed (keep-alive, CONCURRENCY in flight, by post-deliveries.js
 *    in a process of its own) to /api/dora/webhooks of the dora plugin running on Backstage's
 *    production services in a process of its own (ingestBackend.ts): the root router's middleware,
 *    the credentials barrier, the raw body, the HMAC-SHA256 check, JSON parse and the INSERT of the
 *    raw delivery. Measured with the normaliser held to its schedule (receiving alone), and again
 *    in a second backend with the normaliser kicked by every delivery (the default: it starts after
 *    a 250 ms lull in arrivals, at most 2 s after a burst's first delivery, then competes for the
 *    cores);
 *  - baseline: a bare INSERT of the same raw rows into a table like dora_deliveries through knex,
 *    one statement a row, the same number in flight, from this process (no HTTP at all).
 * Then the rate at which the normaliser turns the stored deliveries into rows.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs bench/ingest.ts
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  appendBenchmarkSection,
  describeMachine,
} from '@internal/backend-test-utils';
import { freePort } from '@internal/plugin-platform-node';
import knexFactory, { Knex } from 'knex';
import { ComponentIndex } from '../src/attribution/Attribution';
import { DeliveryProcessor } from '../src/ingest/DeliveryProcessor';
import { DoraStore } from '../src/store/DoraStore';
import { BenchEvent, benchComponent, makeEvents } from './ingestEvents';

const run = promisify(execFile);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
// The backend runs with NODE_ENV=production, which refuses short webhook secrets and those in the repository.
const SECRET = randomBytes(24).toString('hex');
const TAG = `dora_bench_${Date.now().toString(36)}_${process.pid}`;
/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8')
      .split(') ')[1]
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime, in clock ticks of 1/100 s
  } catch {
    return NaN;
  }
}
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function inParallel<T>(
  items: T[],
  n: number,
  fn: (item: T) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** One backend process (ingestBackend.ts) with its own database; `immediate` as dora.processing.immediate. */
async function portal(name: string, immediate: boolean) {
  const port = await freePort();
  const prefix = `${TAG}_${name}_`;
  const logFile = path.join(os.tmpdir(), `${prefix}backend.log`);
  const log = fs.openSync(logFile, 'w');
  const config = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: { client: 'pg', connection: PG, prefix },
    },
    dora: {
      scaffolder: { sync: false },
      processing: { immediate, frequencySeconds: immediate ? 10 : 3600 },
      // the benchmark measures receiving, not the rate limit
      sources: [
        {
          id: 'github-bench',
          type: 'github',
          secret: SECRET,
          rateLimit: { requests: 1_000_000_000, windowSeconds: 1 },
        },
      ],
      scorecards: {
        dir: path.join(os.tmpdir(), `${prefix}no-scorecards`),
        initialDelaySeconds: 3600,
      },
    },
  };
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(process.env.DORA_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      path.join(__dirname, 'ingestBackend.ts'),
    ],
    {
      cwd: path.resolve(__dirname, '..'),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DORA_BENCH_CONFIG: JSON.stringify(config),
      },
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  const base = `http://127.0.0.1:${port}`;
  for (let t = Date.now(); ; ) {
    if (child.exitCode !== null)
      throw new Error(
        `the ${name} backend exited with ${
          child.exitCode
        }; its log:\n${fs.readFileSync(logFile, 'utf8')}`,
      );
    const ready = await fetch(`${base}/.backstage/health/v1/readiness`).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() - t > 120_000)
      throw new Error(
        `the ${name} backend did not become ready; its log:\n${fs.readFileSync(
          logFile,
          'utf8',
        )}`,
      );
    await new Promise(r => setTimeout(r, 200));
  }
  const knex = knexFactory({
    client: 'pg',
    connection: `${PG}/${prefix}dora`,
    pool: { min: 0, max: CONCURRENCY },
  });
  const url = `${base}/api/dora/webhooks/github-bench`;
  const pending = async () =>
    Number(
      (
        await knex('dora_deliveries')
          .whereIn('status', ['pending', 'processing'])
          .count({ n: '*' })
          .first()
      )?.n,
    );
  return {
    knex,
    /** The backend's CPU time for each delivery of the last send, in µs. */
    cpuPerDelivery: NaN,
    /** Sends the events from the load generator; events a second. */
    async send(events: BenchEvent[]) {
      const file = path.join(os.tmpdir(), `${prefix}${Date.now()}.ndjson`);
      fs.writeFileSync(file, events.map(e => JSON.stringify(e)).join('\n'));
      try {
        const cpu = cpuSeconds(child.pid);
        const { stdout } = await run(
          process.execPath,
          [
            path.join(__dirname, 'post-deliveries.js'),
            url,
            file,
            String(CONCURRENCY),
          ],
          { maxBuffer: 1 << 20 },
        );
        const result = JSON.parse(stdout) as {
          seconds: number;
          statuses: Record<string, number>;
        };
        if (result.statuses['202'] !== events.length)
          throw new Error(
            `expected ${events.length} × 202, got ${JSON.stringify(
              result.statuses,
            )}`,
          );
        this.cpuPerDelivery =
          ((cpuSeconds(child.pid) - cpu) * 1e6) / events.length;
        return events.length / result.seconds;
      } finally {
        fs.rmSync(file, { force: true });
      }
    },
    /** Works the queue to the end: the backend's own processor when kicked, else the same processor code run here; seconds. */
    async normalise() {
      const t = performance.now();
      if (!immediate) {
        const store = await DoraStore.create(knex, { skipMigrations: true });
        const index = new ComponentIndex([benchComponent]);
        await new DeliveryProcessor({
          store,
          attribution: { resolve: async x => index.resolve(x) },
          sources: new Map(),
        }).drain();
      }
      while ((await pending()) > 0) await new Promise(r => setTimeout(r, 20));
      return (performance.now() - t) / 1000;
    },
    async stop() {
      await knex.destroy();
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      fs.closeSync(log);
      fs.rmSync(logFile, { force: true });
    },
  };
}

async function dropDatabases(admin: Knex) {
  const { rows } = await admin.raw(
    `select datname from pg_database where datname like ?`,
    [`${TAG}%`],
  );
  for (const { datname } of rows)
    await admin.raw(`drop database if exists "${datname}" with (force)`);
}

async function main() {
  const admin = knexFactory({
    client: 'pg',
    connection: `${PG}/postgres`,
    pool: { min: 0, max: 1 },
  });
  const started: Awaited<ReturnType<typeof portal>>[] = [];
  try {
    const held = await portal('held', false);
    started.push(held);
    const kicked = await portal('kicked', true);
    started.push(kicked);
    // the baseline's table: the same columns, defaults, indexes and unique key as dora_deliveries
    await held.knex.raw(
      'create table dora_bare_inserts (like dora_deliveries including all)',
    );
    const receive: number[] = [];
    const competing: number[] = [];
    const bare: number[] = [];
    const cpu: number[] = [];
    let normalised = { seconds: 0, events: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const events = makeEvents(round, EVENTS, SECRET);
      // portal first, then the bare INSERT of the same rows, then the default path, in every round
      receive.push(await held.send(events));
      cpu.push(held.cpuPerDelivery);
      const seconds = await held.normalise();
      normalised = {
        seconds: normalised.seconds + seconds,
        events: normalised.events + events.length,
      };

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
      process.stdout.write(
        `round ${round + 1}/${ROUNDS}: portal ${receive[round].toFixed(
          0,
        )}/s, bare INSERT ${bare[round].toFixed(0)}/s, default path ${competing[
          round
        ].toFixed(0)}/s; backend CPU ${cpu[round].toFixed(0)} µs a delivery\n`,
      );
    }

    const counts = await held
      .knex('dora_deliveries')
      .groupBy('status')
      .select('status', held.knex.raw('count(*) as n'));
    const pg = (await held.knex.raw('show server_version')).rows[0]
      .server_version;
    // the ratio of each round (the portal and the bare INSERT one after the other, so both see the
    // same moments of the shared machine), and the median of those
    const ratio = (xs: number[]) => median(xs.map((x, i) => x / bare[i]));
    const range = (xs: number[]) =>
      `${Math.min(...xs.map((x, i) => x / bare[i])).toFixed(2)}–${Math.max(
        ...xs.map((x, i) => x / bare[i]),
      ).toFixed(2)}`;
    const section = [
      `## DORA ingest, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${describeMachine([
        `PostgreSQL ${pg}`,
      ])}. Command: \`bench/dora-ingest.sh\` (${ROUNDS} rounds of ${EVENTS} signed GitHub events, ${CONCURRENCY} in flight).`,
      '',
      '| measure | events/s (median) | ratio to bare INSERT (median of the rounds; target ≥ 0.5) | ratio, lowest–highest round |',
      '| --- | ---: | ---: | ---: |',
      `| bare INSERT of the same raw rows (knex, one statement a row) | ${median(
        bare,
      ).toFixed(0)} | 1.00 | |`,
      `| portal: POST /api/dora/webhooks (production middleware, signature, raw INSERT), normaliser on its schedule | ${median(
        receive,
      ).toFixed(0)} | **${ratio(receive).toFixed(2)}** | ${range(receive)} |`,
      `| portal, normaliser kicked by every delivery (the default: after a 250 ms lull, at most 2 s into a burst) | ${median(
        competing,
      ).toFixed(0)} | ${ratio(competing).toFixed(2)} | ${range(competing)} |`,
      `| backend CPU (user + system, from /proc) a delivery, while receiving; swings with the shared machine | ${median(
        cpu,
      ).toFixed(0)} µs | | ${Math.min(...cpu).toFixed(0)}–${Math.max(
        ...cpu,
      ).toFixed(0)} µs |`,
      `| normaliser: stored deliveries to deployments, changes, incidents and links | ${(
        normalised.events / normalised.seconds
      ).toFixed(0)} | | |`,
      '',
      `Rounds (portal / bare INSERT / default path, events/s): ${receive
        .map(
          (r, i) =>
            `${r.toFixed(0)} / ${bare[i].toFixed(0)} / ${competing[i].toFixed(
              0,
            )}`,
        )
        .join('; ')}. Deliveries after the run: ${counts
        .map((c: any) => `${c.status} ${c.n}`)
        .join(', ')}.`,
      '',
      "The backend is the dora plugin on Backstage's production services (`createBackend()`, NODE_ENV=production, logging at the default level to a file) with the portal's root HTTP router (`webhookRootHttpRouterServiceFactory`, as in packages/backend: webhook answers not compressed, accepted deliveries access-logged at debug), in a process of its own; the load generator (`bench/post-deliveries.js`: requests serialised before the clock starts, keep-alive connections, one request in flight on each) in another; they and PostgreSQL share the cores. The bare INSERT runs in the benchmark's own process and has no HTTP at all.",
      '',
    ].join('\n');
    appendBenchmarkSection(section);
    process.stdout.write(`${section}\n`);
  } finally {
    for (const p of started) await p.stop();
    await dropDatabases(admin);
    await admin.destroy();
  }
}

main().catch(e => {
  process.stderr.write(`${e?.stack ?? e}\n`);
  process.exit(1);
});
