import { InputError } from '@backstage/errors';
import {
  Benchmark,
  BUILT_IN_BENCHMARKS,
  DrillDownResult,
  DrillDownRow,
  frequencyBucket,
  higherIsBetter,
  levelOf,
  METRIC_NAMES,
  MetricName,
  MetricsEntity,
  MetricsResult,
  MetricValue,
  Trend,
} from '@internal/plugin-dora-common';
import {
  changeFromRow,
  DAY_MS,
  decodeLeadTimes,
  deploymentFromRow,
  DoraStore,
  incidentFromRow,
} from '../store/DoraStore';
import { median, percentilesUnsorted } from './percentile';
import { PageQuery } from '../paging';
import { DEFAULT_PAGE_SIZE } from '../limits';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

export interface MetricsQuery {
  entity: MetricsEntity;
  windowDays: number;
  /** The end of the window (default now). */
  at?: Date;
  /** A benchmark name (default the configured one). */
  benchmark?: string;
}

export interface MetricsServiceOptions {
  benchmarks?: Record<string, Benchmark>;
  defaultBenchmark?: string;
  /** Below this sample size a metric is "insufficient data" (per metric; default 3). */
  minimumSample?: Partial<Record<MetricName, number>>;
  /** A relative change of at most this much against the previous window is "flat" (default 0.05). */
  flatTolerance?: number;
}

/** "org", a component ref, or a group ref, as the API takes it. */
export function parseEntity(value: string): MetricsEntity {
  if (value === 'org') return { kind: 'org' };
  const m = /^(component|group):([a-z0-9-_.]+)\/([a-z0-9-_.]+)$/i.exec(value);
  if (!m)
    throw new InputError(
      `entity: must be org, a component ref (component:default/name) or a group ref (group:default/name)`,
    );
  const ref = `${m[1]}:${m[2]}/${m[3]}`.toLowerCase();
  return m[1].toLowerCase() === 'component'
    ? { kind: 'component', ref }
    : { kind: 'team', ref };
}

export function entityString(e: MetricsEntity) {
  return e.kind === 'org' ? 'org' : e.ref;
}

interface Window {
  from: number;
  to: number;
  prevFrom: number;
}

interface Raw {
  n: number;
  rework: number;
  failed: number;
  lead: { n: number; p50?: number; p90?: number };
  recovery: {
    hours: number[];
    open: number;
    incidents: number;
    rollbacks: number;
  };
}

/**
 * The five DORA metrics of a component, a team or the organisation over a window, each with its
 * sample size, "insufficient data", level under a named benchmark, and trend against the previous
 * window of the same length; and the rows behind every number. Definitions (see the README):
 *  - deployment frequency: successful production deployments in the window / days (and / weeks);
 *  - change lead time: median (and p90) of deployed_at - committed_at over the changes shipped by
 *    those deployments;
 *  - change failure rate: those deployments that failed (an incident linked, or rolled back) / all;
 *  - failed deployment recovery time: median of resolved - started over the incidents that started
 *    in the window, and of rollback - deployed over rolled-back deployments without an incident;
 *    open incidents are counted apart;
 *  - deployment rework rate: those deployments that were rework / all.
 * The team of a row is the owner recorded when the event happened.
 */
export class DoraMetricsService {
  private readonly benchmarks: Record<string, Benchmark>;
  private readonly defaultBenchmark: string;
  private readonly minimumSample: Record<MetricName, number>;
  private readonly flatTolerance: number;

  constructor(
    private readonly store: DoraStore,
    options: MetricsServiceOptions = {},
  ) {
    this.benchmarks = { ...BUILT_IN_BENCHMARKS, ...options.benchmarks };
    this.defaultBenchmark = options.defaultBenchmark ?? '2024';
    if (!this.benchmarks[this.defaultBenchmark])
      throw new Error(
        `dora.metrics.benchmark: no benchmark named ${this.defaultBenchmark}`,
      );
    this.minimumSample = Object.fromEntries(
      METRIC_NAMES.map(m => [m, options.minimumSample?.[m] ?? 3]),
    ) as Record<MetricName, number>;
    this.flatTolerance = options.flatTolerance ?? 0.05;
  }

  listBenchmarks(): Benchmark[] {
    return Object.values(this.benchmarks);
  }

  get defaultBenchmarkName() {
    return this.defaultBenchmark;
  }

  private window(q: { windowDays: number; at?: Date }): Window {
    if (
      !Number.isInteger(q.windowDays) ||
      q.windowDays < 1 ||
      q.windowDays > 366
    ) {
      throw new InputError(
        'window: must be a whole number of days from 1 to 366',
      );
    }
    const to = (q.at ?? new Date()).getTime();
    const from = to - q.windowDays * DAY;
    return { from, to, prevFrom: from - q.windowDays * DAY };
  }

  private benchmark(name?: string): Benchmark {
    const b = this.benchmarks[name ?? this.defaultBenchmark];
    if (!b)
      throw new InputError(
        `benchmark: must be one of ${Object.keys(this.benchmarks).join(', ')}`,
      );
    return b;
  }

  /** The five metrics. */
  async getMetrics(q: MetricsQuery): Promise<MetricsResult> {
    const w = this.window(q);
    const benchmark = this.benchmark(q.benchmark);
    const [cur, prev] = await this.raw(q.entity, w);
    const days = q.windowDays;
    const values = (
      r: Raw,
    ): Record<
      MetricName,
      { value?: number; sample: number; details: MetricValue['details'] }
    > => ({
      deploymentFrequency: {
        value: r.n / days,
        sample: r.n,
        details: {
          deployments: r.n,
          perWeek: r.n / (days / 7),
          bucket: frequencyBucket(r.n / days),
        },
      },
      changeLeadTime: {
        value: r.lead.p50 !== undefined ? r.lead.p50 / HOUR : undefined,
        sample: r.lead.n,
        details: {
          medianHours: r.lead.p50 !== undefined ? r.lead.p50 / HOUR : undefined,
          p90Hours: r.lead.p90 !== undefined ? r.lead.p90 / HOUR : undefined,
        },
      },
      changeFailureRate: {
        value: r.n ? r.failed / r.n : undefined,
        sample: r.n,
        details: { failed: r.failed, deployments: r.n },
      },
      failedDeploymentRecoveryTime: {
        value: median(r.recovery.hours),
        sample: r.recovery.hours.length,
        details: {
          resolvedIncidents: r.recovery.incidents,
          rollbacks: r.recovery.rollbacks,
          openIncidents: r.recovery.open,
        },
      },
      deploymentReworkRate: {
        value: r.n ? r.rework / r.n : undefined,
        sample: r.n,
        details: { rework: r.rework, deployments: r.n },
      },
    });
    const now = values(cur);
    const before = values(prev);
    const metrics = {} as Record<MetricName, MetricValue>;
    for (const name of METRIC_NAMES) {
      const c = now[name];
      const p = before[name];
      const min = this.minimumSample[name];
      const insufficientData = c.sample < min;
      metrics[name] = {
        name,
        value: c.value,
        unit:
          name === 'deploymentFrequency'
            ? 'per-day'
            : name === 'changeLeadTime' ||
              name === 'failedDeploymentRecoveryTime'
            ? 'hours'
            : 'ratio',
        sampleSize: c.sample,
        insufficientData,
        level:
          !insufficientData && c.value !== undefined
            ? levelOf(benchmark, name, c.value)
            : undefined,
        previous: { value: p.value, sampleSize: p.sample },
        trend:
          insufficientData || p.sample < min
            ? undefined
            : this.trend(name, c.value, p.value),
        details: { ...c.details, minimumSample: min },
      };
    }
    return {
      entity: entityString(q.entity),
      windowDays: days,
      from: new Date(w.from).toISOString(),
      to: new Date(w.to).toISOString(),
      benchmark: benchmark.name,
      metrics,
    };
  }

  private trend(
    name: MetricName,
    cur?: number,
    prev?: number,
  ): Trend | undefined {
    if (cur === undefined || prev === undefined) return undefined;
    if (
      Math.abs(cur - prev) <= this.flatTolerance * Math.abs(prev) ||
      cur === prev
    )
      return 'flat';
    return cur > prev === higherIsBetter(name) ? 'improving' : 'worsening';
  }

  private filter(
    entity: MetricsEntity,
    column = '',
  ): { sql: string; bindings: string[] } {
    if (entity.kind === 'org') return { sql: '', bindings: [] };
    return {
      sql: `${column}${
        entity.kind === 'component' ? 'component_ref' : 'team_ref'
      } = ? and `,
      bindings: [entity.ref],
    };
  }

  /** The raw numbers of the current and the previous window: deployments and recoveries in one statement, lead times in parallel with it. */
  private async raw(entity: MetricsEntity, w: Window): Promise<[Raw, Raw]> {
    const db = this.store.db;
    const f = this.filter(entity);
    // One statement, one round trip: the rows of part 'w' are the counts, one row a window
    // (current: 1, previous: 0; count(column) counts the rows where it is set); the rows of part 'r'
    // are the incidents and rolled-back deployments whose recovery times are measured.
    const counts = db.raw(
      `select 'w' as part, case when deployed_at >= ? then 1 else 0 end as current, count(*) as n, count(rework) as rework, count(failure) as failed,
              null as t0, null as t1, null as kind
       from dora_deployments
       where ${f.sql}counted = true and deployed_at >= ? and deployed_at < ?
       group by 2
       union all
       select 'r', null, null, null, null, started_at, resolved_at, 'incident' from dora_incidents
         where ${f.sql}started_at >= ? and started_at < ?
       union all
       select 'r', null, null, null, null, deployed_at, recovered_at, 'rollback' from dora_deployments
         where ${f.sql}counted = true and failure = 'rolled-back' and deployed_at >= ? and deployed_at < ?`,
      [
        w.from,
        ...f.bindings,
        w.prevFrom,
        w.to,
        ...f.bindings,
        w.prevFrom,
        w.to,
        ...f.bindings,
        w.prevFrom,
        w.to,
      ],
    );
    const [rows, lead] = await Promise.all([counts, this.leadTimes(entity, w)]);
    const byWindow = rowsOf(rows).filter((r: any) => r.part === 'w');
    const recRows = rowsOf(rows).filter((r: any) => r.part === 'r');
    const windowRow = (current: boolean) =>
      byWindow.find((r: any) => Number(r.current) === (current ? 1 : 0)) ?? {};
    const row = windowRow(true);
    const prevRow = windowRow(false);
    const recoveryOf = (current: boolean) => {
      const inWindow = recRows.filter(
        (r: any) => Number(r.t0) >= w.from === current,
      );
      const resolved = inWindow.filter(
        (r: any) => r.t1 !== null && r.t1 !== undefined,
      );
      return {
        hours: resolved.map(
          (r: any) => Math.max(0, Number(r.t1) - Number(r.t0)) / HOUR,
        ),
        open: inWindow.filter(
          (r: any) =>
            r.kind === 'incident' && (r.t1 === null || r.t1 === undefined),
        ).length,
        incidents: resolved.filter((r: any) => r.kind === 'incident').length,
        rollbacks: resolved.filter((r: any) => r.kind === 'rollback').length,
      };
    };
    const n = (v: unknown) => Number(v ?? 0);
    return [
      {
        n: n(row.n),
        rework: n(row.rework),
        failed: n(row.failed),
        lead: lead.current,
        recovery: recoveryOf(true),
      },
      {
        n: n(prevRow.n),
        rework: n(prevRow.rework),
        failed: n(prevRow.failed),
        lead: lead.previous,
        recovery: recoveryOf(false),
      },
    ];
  }

  /**
   * Lead time percentiles of both windows. Whole UTC days come from dora_lead_time_days (one row a
   * day, its lead times sorted); the partial days at the windows' edges come from the links. The
   * percentiles are interpolated as PostgreSQL's percentile_cont, on both engines.
   */
  private async leadTimes(entity: MetricsEntity, w: Window) {
    const db = this.store.db;
    const f = this.filter(entity);
    const scope =
      entity.kind === 'org' ? 'org' : `${entity.kind}:${entity.ref}`;
    const dayOf = (t: number) => Math.floor(t / DAY_MS);
    // the days cut by a boundary (prevFrom, from, to) are read from the links, between the boundaries
    const cut = new Set<number>();
    const ranges: [number, number][] = [];
    for (const t of [w.prevFrom, w.from, w.to]) {
      if (t % DAY_MS === 0) continue;
      const d = dayOf(t);
      if (cut.has(d)) continue;
      cut.add(d);
      ranges.push([
        Math.max(d * DAY_MS, w.prevFrom),
        Math.min((d + 1) * DAY_MS, w.to),
      ]);
    }
    const firstDay = Math.ceil(w.prevFrom / DAY_MS);
    const endDay = Math.floor(w.to / DAY_MS);
    const cutDays = [...cut];
    // the links of the cut days, from the boundaries on
    const edgeWhere = `${f.sql}(${ranges
      .map(() => '(deployed_at >= ? and deployed_at < ?)')
      .join(' or ')})`;
    const edgeBindings = [...f.bindings, ...ranges.flat()];
    const current: Float64Array[] = [];
    const previous: Float64Array[] = [];
    const fromDay = Math.ceil(w.from / DAY_MS); // day * DAY_MS >= from
    let edges: unknown;
    if (this.store.isPostgres) {
      // PostgreSQL concatenates each window's days into one value (one row, one decode a window),
      // and the same statement brings the edge days' links (part 'edge'): one round trip
      const notCut = cutDays.length
        ? `and day not in (${cutDays.map(() => '?').join(', ')})`
        : '';
      const edgeSql = ranges.length
        ? `union all select 'edge', null, null, deployed_at, lead_time_ms from dora_deployment_changes where ${edgeWhere}`
        : '';
      const result = await db.raw(
        `select 'days' as part,
                encode(string_agg(decode(lead_times_s, 'base64'), ''::bytea order by day) filter (where day >= ?), 'base64') as cur,
                encode(string_agg(decode(lead_times_s, 'base64'), ''::bytea order by day) filter (where day < ?), 'base64') as prev,
                null as deployed_at, null as lead_time_ms
         from dora_lead_time_days where scope = ? and day >= ? and day < ? ${notCut}
         ${edgeSql}`,
        [
          fromDay,
          fromDay,
          scope,
          firstDay,
          endDay,
          ...cutDays,
          ...(ranges.length ? edgeBindings : []),
        ],
      );
      const all = rowsOf(result);
      const r = all.find((row: any) => row.part === 'days') ?? {};
      if (r.cur) current.push(decodeLeadTimes(r.cur));
      if (r.prev) previous.push(decodeLeadTimes(r.prev));
      edges = all.filter((row: any) => row.part === 'edge');
    } else {
      const [days, edgeResult] = await Promise.all([
        db('dora_lead_time_days')
          .where({ scope })
          .where('day', '>=', firstDay)
          .where('day', '<', endDay)
          .select('day', 'lead_times_s'),
        ranges.length
          ? db.raw(
              `select deployed_at, lead_time_ms from dora_deployment_changes where ${edgeWhere}`,
              edgeBindings,
            )
          : [],
      ]);
      for (const r of days as { day: number; lead_times_s: string }[]) {
        if (cut.has(Number(r.day))) continue;
        (Number(r.day) * DAY_MS >= w.from ? current : previous).push(
          decodeLeadTimes(r.lead_times_s),
        );
      }
      edges = edgeResult;
    }
    const edgeCurrent: number[] = [];
    const edgePrevious: number[] = [];
    for (const r of rowsOf(edges)) {
      const t = Number(r.deployed_at);
      if (t >= w.from && t < w.to) edgeCurrent.push(Number(r.lead_time_ms));
      else if (t >= w.prevFrom && t < w.from)
        edgePrevious.push(Number(r.lead_time_ms));
    }
    const of = (parts: Float64Array[], edge: number[]) => {
      const all = new Float64Array(
        parts.reduce((n, p) => n + p.length, edge.length),
      );
      let i = 0;
      for (const p of parts) {
        all.set(p, i);
        i += p.length;
      }
      all.set(edge, i);
      const [p50, p90] = percentilesUnsorted(all, [0.5, 0.9]);
      return { n: all.length, p50, p90 };
    };
    return {
      current: of(current, edgeCurrent),
      previous: of(previous, edgePrevious),
    };
  }

  /** The rows behind one metric's number, with how each was linked. */
  /**
   * The rows behind a metric, one page at a time (`page`, default the first DEFAULT_PAGE_SIZE):
   * deployments, changes or incidents in time order; for recovery time, the incidents and then the
   * rolled-back deployments; a change failure rate page adds the incidents of its deployments.
   */
  async getDrillDown(
    q: MetricsQuery & {
      metric: MetricName;
      period?: 'current' | 'previous';
      page?: PageQuery;
    },
  ): Promise<DrillDownResult> {
    if (!METRIC_NAMES.includes(q.metric))
      throw new InputError(`metric: must be one of ${METRIC_NAMES.join(', ')}`);
    const page = q.page ?? { limit: DEFAULT_PAGE_SIZE, offset: 0 };
    const w = this.window(q);
    const [from, to] =
      q.period === 'previous' ? [w.prevFrom, w.from] : [w.from, w.to];
    const db = this.store.db;
    const col = q.entity.kind === 'component' ? 'component_ref' : 'team_ref';
    const scoped = <T extends { where: Function }>(
      builder: any,
      prefix = '',
    ): T =>
      q.entity.kind === 'org'
        ? builder
        : builder.where(`${prefix}${col}`, (q.entity as { ref: string }).ref);
    /** A query's rows from `offset`, one more than `limit`: the extra row only says that there is more. */
    const read = async (
      builder: any,
      offset: number,
      limit: number,
    ): Promise<any[]> => builder.limit(limit + 1).offset(offset);
    let rows: DrillDownRow[] = [];
    let more = false;

    if (q.metric === 'changeLeadTime') {
      const r = await read(
        scoped<any>(
          db('dora_deployment_changes as l').join(
            'dora_changes as c',
            'c.id',
            'l.change_id',
          ),
          'l.',
        )
          .where('l.deployed_at', '>=', from)
          .where('l.deployed_at', '<', to)
          .orderBy([
            { column: 'l.deployed_at' },
            { column: 'c.landed_at' },
            { column: 'l.deployment_id' },
            { column: 'c.id' },
          ])
          .select('c.*', 'l.deployment_id', 'l.linked_by', 'l.lead_time_ms'),
        page.offset,
        page.limit,
      );
      more = r.length > page.limit;
      rows = r.slice(0, page.limit).map((x: any) => ({
        type: 'change',
        change: changeFromRow(x),
        deploymentId: x.deployment_id,
        linkedBy: x.linked_by,
        leadTimeHours: Number(x.lead_time_ms) / HOUR,
      }));
    } else if (q.metric === 'failedDeploymentRecoveryTime') {
      // the incidents, then the rolled-back deployments, as one list paged across both
      const incidentsQuery = () =>
        scoped<any>(db('dora_incidents'))
          .where('started_at', '>=', from)
          .where('started_at', '<', to);
      const incidents = await read(
        incidentsQuery().orderBy([{ column: 'started_at' }, { column: 'id' }]),
        page.offset,
        page.limit,
      );
      const shown = incidents.slice(0, page.limit);
      const links = await this.incidentLinks(shown.map((i: any) => i.id));
      rows = shown.map((i: any) => ({
        type: 'incident',
        incident: incidentFromRow(i),
        links: links.get(i.id) ?? [],
        recoveryHours:
          i.resolved_at === null
            ? undefined
            : (Number(i.resolved_at) - Number(i.started_at)) / HOUR,
      }));
      more = incidents.length > page.limit;
      if (!more) {
        const [{ n }] = await incidentsQuery().count({ n: '*' });
        const rollbackOffset = Math.max(0, page.offset - Number(n));
        const rolled = await read(
          scoped<any>(db('dora_deployments'))
            .where({ counted: true, failure: 'rolled-back' })
            .where('deployed_at', '>=', from)
            .where('deployed_at', '<', to)
            .orderBy([{ column: 'deployed_at' }, { column: 'id' }]),
          rollbackOffset,
          page.limit - rows.length,
        );
        more = rolled.length > page.limit - rows.length;
        rows.push(
          ...rolled.slice(0, page.limit - rows.length).map((d: any) => ({
            type: 'rollback' as const,
            deployment: deploymentFromRow(d),
            rolledBackBy: d.rolled_back_by ?? undefined,
            recoveryHours:
              (Number(d.recovered_at) - Number(d.deployed_at)) / HOUR,
          })),
        );
      }
    } else {
      const read1 = await read(
        scoped<any>(db('dora_deployments'))
          .where({ counted: true })
          .where('deployed_at', '>=', from)
          .where('deployed_at', '<', to)
          .orderBy([{ column: 'deployed_at' }, { column: 'id' }]),
        page.offset,
        page.limit,
      );
      more = read1.length > page.limit;
      const deployments = read1.slice(0, page.limit);
      rows = deployments.map((d: any) => {
        const counted = ['deployment'];
        if (q.metric === 'changeFailureRate' && d.failure)
          counted.push(`failed: ${d.failure}`);
        if (q.metric === 'deploymentReworkRate' && d.rework)
          counted.push(`rework: ${d.rework}`);
        return {
          type: 'deployment' as const,
          deployment: deploymentFromRow(d),
          counted,
        };
      });
      if (q.metric === 'changeFailureRate') {
        const failedIds = deployments
          .filter((d: any) => d.failure === 'incident')
          .map((d: any) => d.id);
        const linked = failedIds.length
          ? await db('dora_incident_deployments as l')
              .join('dora_incidents as i', 'i.id', 'l.incident_id')
              .whereIn('l.deployment_id', failedIds)
              .select('i.*')
          : [];
        const unique = [...new Map(linked.map((i: any) => [i.id, i])).values()];
        const links = await this.incidentLinks(unique.map((i: any) => i.id));
        rows.push(
          ...unique.map((i: any) => ({
            type: 'incident' as const,
            incident: incidentFromRow(i),
            links: links.get(i.id) ?? [],
          })),
        );
      }
    }
    return {
      entity: entityString(q.entity),
      metric: q.metric,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      rows,
      ...(more ? { nextOffset: page.offset + page.limit } : {}),
    };
  }

  private async incidentLinks(ids: string[]) {
    const map = new Map<
      string,
      { deploymentId: string; linkedBy: any; confidence: any }[]
    >();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.store
        .db('dora_incident_deployments')
        .whereIn('incident_id', ids.slice(i, i + 500));
      for (const r of rows) {
        const list = map.get(r.incident_id) ?? [];
        list.push({
          deploymentId: r.deployment_id,
          linkedBy: r.linked_by,
          confidence: r.confidence,
        });
        map.set(r.incident_id, list);
      }
    }
    return map;
  }
}

/** knex.raw's rows: PostgreSQL returns a result object, SQLite an array. */
function rowsOf(result: any): any[] {
  return Array.isArray(result) ? result : result.rows;
}
