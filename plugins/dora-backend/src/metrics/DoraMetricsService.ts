import { InputError } from '@backstage/errors';
import {
  Benchmark,
  BUILT_IN_BENCHMARKS,
  DrillDownResult,
  higherIsBetter,
  levelOf,
  METRIC_NAMES,
  MetricName,
  MetricsEntity,
  MetricsResult,
  MetricValue,
  Trend,
} from '@internal/plugin-dora-common';
import { DEFAULT_PAGE_SIZE, MAX_WINDOW_DAYS } from '../limits';
import { PageQuery } from '../paging';
import { DoraStore } from '../store/DoraStore';
import { MetricWindows } from '../store/MetricsStore';
import { drillDown } from './drillDown';
import { entityString } from './entity';
import { splitWindows, windowValues } from './windowValues';

export { entityString, parseEntity } from './entity';

const DAY = 24 * 3600_000;

/** What a metric's value counts: deployments a day, hours, or a share. */
function unitOf(name: MetricName): MetricValue['unit'] {
  if (name === 'deploymentFrequency') return 'per-day';
  if (name === 'changeLeadTime' || name === 'failedDeploymentRecoveryTime')
    return 'hours';
  return 'ratio';
}

export interface MetricsQuery {
  entity: MetricsEntity;
  windowDays: number;
  /** The end of the window (default now). */
  at?: Date;
  /** A benchmark name (default the configured one). */
  benchmark?: string;
}

/** Several entities' metrics over one window (getMetricsMany). */
export interface MetricsManyQuery extends Omit<MetricsQuery, 'entity'> {
  entities: MetricsEntity[];
}

export interface MetricsServiceOptions {
  benchmarks?: Record<string, Benchmark>;
  defaultBenchmark?: string;
  /** Below this sample size a metric is "insufficient data" (per metric; default 3). */
  minimumSample?: Partial<Record<MetricName, number>>;
  /** A relative change of at most this much against the previous window is "flat" (default 0.05). */
  flatTolerance?: number;
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
 * The team of a row is the owner recorded when the event happened. The numbers are computed here
 * from the aggregates the store reads (MetricsStore); percentiles are interpolated as PostgreSQL's
 * percentile_cont, on both engines.
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

  private window(q: { windowDays: number; at?: Date }): MetricWindows {
    if (
      !Number.isInteger(q.windowDays) ||
      q.windowDays < 1 ||
      q.windowDays > MAX_WINDOW_DAYS
    ) {
      throw new InputError(
        `window: must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}`,
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
    this.benchmark(q.benchmark);
    // counts and recoveries in one statement, lead times in parallel with it
    const [counts, leadTimes] = await Promise.all([
      this.store.metrics.counts(q.entity, w),
      this.store.metrics.leadTimes(q.entity, w),
    ]);
    return this.compute(q, w, counts, leadTimes);
  }

  /**
   * The five metrics of several entities over the same window, in their order, each what
   * getMetrics answers for it: the components' and the teams' aggregates are read together
   * (MetricsBatchStore: a few statements for up to REFS_A_STATEMENT entities of a kind, where
   * getMetrics takes two an entity), the organisation's as getMetrics reads them.
   */
  async getMetricsMany(q: MetricsManyQuery): Promise<MetricsResult[]> {
    const w = this.window(q);
    this.benchmark(q.benchmark);
    const read = async (kind: 'component' | 'team') => {
      const refs = q.entities.flatMap(e => (e.kind === kind ? [e.ref] : []));
      return refs.length
        ? this.store.metricsBatch.aggregates(kind, refs, w)
        : new Map();
    };
    const org = { kind: 'org' as const };
    const [components, teams, orgCounts, orgLeadTimes] = await Promise.all([
      read('component'),
      read('team'),
      q.entities.some(e => e.kind === 'org')
        ? this.store.metrics.counts(org, w)
        : undefined,
      q.entities.some(e => e.kind === 'org')
        ? this.store.metrics.leadTimes(org, w)
        : undefined,
    ]);
    return q.entities.map(entity => {
      if (entity.kind === 'org')
        return this.compute({ ...q, entity }, w, orgCounts!, orgLeadTimes!);
      const a = (entity.kind === 'component' ? components : teams).get(
        entity.ref,
      )!;
      return this.compute({ ...q, entity }, w, a.counts, a.leadTimes);
    });
  }

  /**
   * What getMetrics answers for an entity without a row in the window or the previous one, without
   * reading: the metrics of a component that componentsWithRows did not name.
   */
  emptyMetrics(q: MetricsQuery): MetricsResult {
    const none = { n: 0, rework: 0, failed: 0 };
    return this.compute(
      q,
      this.window(q),
      { current: none, previous: none, recoveries: [] },
      { current: [], previous: [] },
    );
  }

  /**
   * The components with any row the metrics read in a window of `windowDays` up to `at` or the
   * previous one (a deployment, an incident or a shipped change), in one statement: the others'
   * metrics are emptyMetrics. (The scorecards' evaluation asks for every component's metrics; most
   * components deliver nothing, and each getMetrics is a round trip: scale.bench.ts.)
   */
  async componentsWithRows(q: {
    windowDays: number;
    at?: Date;
  }): Promise<Set<string>> {
    return this.store.metrics.componentsWithRows(this.window(q));
  }

  private compute(
    q: MetricsQuery,
    w: MetricWindows,
    counts: Parameters<typeof splitWindows>[1],
    leadTimes: Parameters<typeof splitWindows>[2],
  ): MetricsResult {
    const benchmark = this.benchmark(q.benchmark);
    const [cur, prev] = splitWindows(w.from, counts, leadTimes);
    const days = q.windowDays;
    const now = windowValues(cur, days);
    const before = windowValues(prev, days);
    const metrics = {} as Record<MetricName, MetricValue>;
    for (const name of METRIC_NAMES) {
      const c = now[name];
      const p = before[name];
      const min = this.minimumSample[name];
      const insufficientData = c.sample < min;
      metrics[name] = {
        name,
        value: c.value,
        unit: unitOf(name),
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
    const { rows, more } = await drillDown(
      this.store,
      { entity: q.entity, metric: q.metric, range: { from, to } },
      page,
    );
    return {
      entity: entityString(q.entity),
      metric: q.metric,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      rows,
      ...(more ? { nextOffset: page.offset + page.limit } : {}),
    };
  }
}
