/*
 * Benchmark (asserts nothing about time). Run with bench/dora-metrics.sh; appends to
 * docs/benchmarks.md. On the local PostgreSQL (a database of its own, dropped afterwards), the
 * dora tables are filled with generate_series: DEPLOYMENTS deployments (1 in 20 to staging) over
 * three years for 1000 components of 50 teams, 5 changes per deployment with their links, and
 * 50,000 incidents. Then, side by side, for one team over 90 days:
 *  - the metrics query: DoraMetricsService.getMetrics, all five metrics for the window and the
 *    previous one (for the trend), as GET /api/dora/metrics answers it;
 *  - the baseline: one indexed count of the team's deployments in the same window.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  appendBenchmarkSection,
  describeMachine,
} from '@internal/backend-test-utils';
import { DoraMetricsService } from '../src/metrics/DoraMetricsService';
import { DoraStore } from '../src/store/DoraStore';

const DEPLOYMENTS = Number(process.env.BENCH_DEPLOYMENTS ?? 1_000_000);
const CHANGES_PER_DEPLOYMENT = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];

const DAY = 24 * 3600_000;
const END = Date.parse('2026-11-01T00:00:00Z');
const START = END - 3 * 365 * DAY;
const TABLES = [
  'dora_deployments',
  'dora_changes',
  'dora_deployment_changes',
  'dora_incidents',
  'dora_incident_deployments',
  'dora_lead_time_days',
];

it(
  'measures the team metrics query against an indexed count',
  async () => {
    const knex = await databases.init('POSTGRES_15');
    const store = await DoraStore.create(knex);
    const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);

    // Load without the secondary indexes and foreign-key triggers, then build the indexes once.
    const indexes: { indexname: string; indexdef: string }[] = (
      await knex.raw(
        `select indexname, indexdef from pg_indexes where tablename = any(?) and indexname not like '%_pkey'`,
        [TABLES],
      )
    ).rows;
    for (const i of indexes) await knex.raw(`drop index ${i.indexname}`);
    const t0 = performance.now();
    await knex.transaction(async tx => {
      await tx.raw('set local session_replication_role = replica');
      const span = END - START;
      await tx.raw(
        `insert into dora_deployments (id, subject, component_ref, team_ref, repo, environment, production, status, counted, sha,
                                     deployed_at, rollback, rework, failure, recovered_at)
       select 'd' || g,
              'component:default/svc-' || (g % 1000), 'component:default/svc-' || (g % 1000), 'group:default/team-' || (g % 1000 % 50),
              'acme/svc-' || (g % 1000),
              case when g % 20 = 0 then 'staging' else 'production' end, g % 20 <> 0, 'success', g % 20 <> 0,
              lpad(to_hex(g), 40, '0'),
              ${START}::bigint + (g::bigint * ${span}::bigint / ${DEPLOYMENTS}),
              g % 23 = 0,
              case when g % 23 = 0 then 'rollback' when g % 29 = 0 then 'revert' end,
              case when g % 11 = 0 then 'incident' when g % 37 = 0 then 'rolled-back' end,
              case when g % 37 = 0 and g % 11 <> 0 then ${START}::bigint + (g::bigint * ${span}::bigint / ${DEPLOYMENTS}) + 3600000 * (g % 5 + 1) end
       from generate_series(1, ${DEPLOYMENTS}) g`,
      );
      log('deployments loaded');
      // change k belongs to deployment (k - 1) / 5 + 1; lead times from 0 to 96 hours
      await tx.raw(
        `insert into dora_changes (id, subject, component_ref, team_ref, repo, sha, committed_at, landed_at, revert, hotfix)
       select 'c' || k,
              'component:default/svc-' || (d % 1000), 'component:default/svc-' || (d % 1000), 'group:default/team-' || (d % 1000 % 50),
              'acme/svc-' || (d % 1000), lpad(to_hex(k), 40, '0'),
              at - (k::bigint * 7919) % 345600000, at - (k::bigint * 7919) % 345600000 + 3600000, false, false
       from (select k, (k - 1) / ${CHANGES_PER_DEPLOYMENT} + 1 as d,
                    ${START}::bigint + (((k - 1) / ${CHANGES_PER_DEPLOYMENT} + 1)::bigint * ${span}::bigint / ${DEPLOYMENTS}) as at
             from generate_series(1, ${
               DEPLOYMENTS * CHANGES_PER_DEPLOYMENT
             }) k) s`,
      );
      log('changes loaded');
      await tx.raw(
        `insert into dora_deployment_changes (deployment_id, change_id, linked_by, subject, component_ref, team_ref, deployed_at, lead_time_ms)
       select 'd' || d, 'c' || k, 'between-deployments',
              'component:default/svc-' || (d % 1000), 'component:default/svc-' || (d % 1000), 'group:default/team-' || (d % 1000 % 50),
              at, (k::bigint * 7919) % 345600000
       from (select k, (k - 1) / ${CHANGES_PER_DEPLOYMENT} + 1 as d,
                    ${START}::bigint + (((k - 1) / ${CHANGES_PER_DEPLOYMENT} + 1)::bigint * ${span}::bigint / ${DEPLOYMENTS}) as at
             from generate_series(1, ${
               DEPLOYMENTS * CHANGES_PER_DEPLOYMENT
             }) k) s
       where d % 20 <> 0`,
      );
      log('links loaded');
      await tx.raw(
        `insert into dora_incidents (id, subject, component_ref, team_ref, title, started_at, resolved_at)
       select 'i' || g, 'component:default/svc-' || (g % 1000), 'component:default/svc-' || (g % 1000), 'group:default/team-' || (g % 1000 % 50),
              'incident ' || g, ${START}::bigint + g::bigint * ${span}::bigint / 50000,
              case when g % 50 = 0 then null else ${START}::bigint + g::bigint * ${span}::bigint / 50000 + 600000 * (g % 97 + 1) end
       from generate_series(1, 50000) g`,
      );
    });
    // the daily lead times the linker keeps (store/leadTimeDays.ts, rebuildLeadTimeDays), built here in one pass
    for (const [scope, column] of [
      [`'team:' || team_ref`, 'team_ref, '],
      [`'component:' || component_ref`, 'component_ref, '],
      [`'org'`, ''],
    ]) {
      await knex.raw(
        `insert into dora_lead_time_days (scope, day, n, lead_times_s)
       select ${scope}, (deployed_at / ${DAY})::int, count(*),
              translate(encode(string_agg(int4send(round(lead_time_ms / 1000.0)::int), ''::bytea order by lead_time_ms), 'base64'), E'\\n', '')
       from dora_deployment_changes group by ${column}deployed_at / ${DAY}`,
      );
    }
    log('daily lead times built');
    const loadSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    await knex.raw(`set maintenance_work_mem = '256MB'`);
    for (const i of indexes) await knex.raw(i.indexdef);
    await knex.raw(`vacuum analyze ${TABLES.join(', ')}`);
    const indexSeconds = (performance.now() - t1) / 1000;
    log(
      `loaded in ${loadSeconds.toFixed(
        0,
      )} s, indexed and analysed in ${indexSeconds.toFixed(0)} s`,
    );

    const metrics = new DoraMetricsService(store);
    const at = new Date(END);
    const from = END - 90 * DAY;
    const team = 'group:default/team-7';
    const count = () =>
      knex.raw(
        'select count(*) as n from dora_deployments where team_ref = ? and counted = true and deployed_at >= ? and deployed_at < ?',
        [team, from, END],
      );
    const time = async (fn: () => Promise<unknown>) => {
      const t = performance.now();
      await fn();
      return performance.now() - t;
    };
    const query = {
      entity: { kind: 'team' as const, ref: team },
      windowDays: 90,
      at,
    };
    for (let i = 0; i < 30; i++) {
      await metrics.getMetrics(query);
      await count();
    }
    const m: number[] = [];
    const c: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      m.push(await time(() => metrics.getMetrics(query)));
      c.push(await time(count));
    }
    const result = await metrics.getMetrics(query);
    const n = Number((await count()).rows[0].n);
    // the two measure the same deployments
    expect(n).toBeGreaterThan(0);
    expect(result.metrics.deploymentFrequency.sampleSize).toBe(n);
    const comp: number[] = [];
    const org: number[] = [];
    for (let i = 0; i < 5; i++) {
      comp.push(
        await time(() =>
          metrics.getMetrics({
            ...query,
            entity: { kind: 'component', ref: 'component:default/svc-7' },
          }),
        ),
      );
      org.push(
        await time(() =>
          metrics.getMetrics({ ...query, entity: { kind: 'org' } }),
        ),
      );
    }
    if (process.env.BENCH_BREAKDOWN) {
      const w = { from, to: END, prevFrom: from - 90 * DAY };
      const parts: Record<string, number[]> = {
        leadTimes: [],
        raw: [],
        full: [],
        count: [],
      };
      for (let i = 0; i < RUNS; i++) {
        parts.leadTimes.push(
          await time(() => (metrics as any).leadTimes(query.entity, w)),
        );
        parts.raw.push(await time(() => (metrics as any).raw(query.entity, w)));
        parts.full.push(await time(() => metrics.getMetrics(query)));
        parts.count.push(await time(count));
      }
      console.log(
        Object.entries(parts)
          .map(([k, v]) => `${k} ${median(v).toFixed(2)} ms`)
          .join(', '),
      );
    }
    if (process.env.BENCH_EXPLAIN) {
      const captured: { sql: string; bindings: unknown[] }[] = [];
      const listener = (q: any) =>
        captured.push({ sql: q.sql, bindings: q.bindings });
      knex.on('query', listener);
      await metrics.getMetrics(query);
      knex.off('query', listener);
      const conn = await knex.client.acquireConnection();
      try {
        for (const q of captured) {
          const plan = await conn.query(
            `explain (analyze, buffers) ${q.sql}`,
            q.bindings,
          );
          console.log(
            `${q.sql}\n${plan.rows
              .map((r: any) => r['QUERY PLAN'])
              .join('\n')}`,
          );
        }
      } finally {
        await knex.client.releaseConnection(conn);
      }
    }
    const sizes = Object.fromEntries(
      await Promise.all(
        TABLES.slice(0, 4).map(async t => [
          t,
          Number((await knex.raw(`select count(*) as n from ${t}`)).rows[0].n),
        ]),
      ),
    );

    const pg = (await knex.raw('show server_version')).rows[0].server_version;
    const f = (x: number) => x.toFixed(2);
    const section = [
      `## DORA metrics query, ${new Date().toISOString().slice(0, 10)}`,
      '',
      `Machine: ${describeMachine([
        `PostgreSQL ${pg}`,
      ])}. Command: \`bench/dora-metrics.sh\` (${RUNS} runs each, alternating, after 30 warm-up runs).`,
      '',
      `Data (generate_series): ${sizes.dora_deployments.toLocaleString(
        'en',
      )} deployments (1 in 20 to staging), ${sizes.dora_changes.toLocaleString(
        'en',
      )} changes, ${sizes.dora_deployment_changes.toLocaleString(
        'en',
      )} deployment-change links, ${sizes.dora_incidents.toLocaleString(
        'en',
      )} incidents; 1000 components of 50 teams over three years. Loaded (with the daily lead-time rows) in ${loadSeconds.toFixed(
        0,
      )} s, indexed and analysed in ${indexSeconds.toFixed(0)} s.`,
      '',
      `Query: team \`${team}\`, 90 days: ${n} deployments and ${result.metrics.changeLeadTime.sampleSize} changes in the window; all five metrics for the window and the previous one (the trend).`,
      '',
      '| measure | median ms | p90 ms |',
      '| --- | ---: | ---: |',
      `| baseline: one indexed count of the team's deployments in the window | ${f(
        median(c),
      )} | ${f(p90(c))} |`,
      `| metrics query (DoraMetricsService.getMetrics: two statements in parallel, deployments with recoveries and daily lead times with the edge days) | ${f(
        median(m),
      )} | ${f(p90(m))} |`,
      `| **ratio metrics / count** (target ≤ 5) | **${f(
        median(m) / median(c),
      )}** | ${f(p90(m) / p90(c))} |`,
      `| for context: one component, 90 days | ${f(median(comp))} | |`,
      `| for context: the whole organisation, 90 days (${
        result.metrics.deploymentFrequency.sampleSize
      } team deployments × 50) | ${f(median(org))} | |`,
      '',
    ].join('\n');
    appendBenchmarkSection(section);
    console.log(section);
  },
  60 * 60_000,
);
