import { DAY_MS } from './leadTimeDays';
import type {
  DeploymentCounts,
  MetricWindows,
  RecoverySample,
} from './metricTypes';

/*
 * How the rows of the metrics' statements become the aggregates, shared by MetricsStore (one
 * entity) and MetricsBatchStore (many at once), so that both answer the same numbers.
 */

/**
 * Which lead times of two windows come from where: whole UTC days from dora_lead_time_days (one
 * row a scope and day), the days a window boundary cuts from the links (dora_deployment_changes),
 * between the boundaries.
 */
export interface LeadTimeDays {
  /** The days cut by a boundary (prevFrom, from, to): not read from the daily rows. */
  cut: Set<number>;
  /** The parts of the cut days inside the windows, [start, end) epoch ms: read from the links. */
  ranges: [number, number][];
  /** The daily rows read: firstDay <= day < endDay, but for the cut ones. */
  firstDay: number;
  endDay: number;
  /** The first whole day of the current window (day * DAY_MS >= from). */
  fromDay: number;
}

export function leadTimeDays(w: MetricWindows): LeadTimeDays {
  const cut = new Set<number>();
  const ranges: [number, number][] = [];
  for (const t of [w.prevFrom, w.from, w.to]) {
    if (t % DAY_MS === 0) continue;
    const d = Math.floor(t / DAY_MS);
    if (cut.has(d)) continue;
    cut.add(d);
    ranges.push([
      Math.max(d * DAY_MS, w.prevFrom),
      Math.min((d + 1) * DAY_MS, w.to),
    ]);
  }
  return {
    cut,
    ranges,
    firstDay: Math.ceil(w.prevFrom / DAY_MS),
    endDay: Math.floor(w.to / DAY_MS),
    fromDay: Math.ceil(w.from / DAY_MS),
  };
}

/** `(deployed_at >= ? and deployed_at < ?) or ...` over the ranges, and its bindings. */
export function rangesSql(ranges: [number, number][]): {
  sql: string;
  bindings: number[];
} {
  return {
    sql: `(${ranges
      .map(() => '(deployed_at >= ? and deployed_at < ?)')
      .join(' or ')})`,
    bindings: ranges.flat(),
  };
}

/** The lead times (ms) of links of the cut days, by window: current [from, to), previous [prevFrom, from). */
export function splitEdges(
  rows: Array<{ deployed_at: unknown; lead_time_ms: unknown }>,
  w: MetricWindows,
): { current: Float64Array; previous: Float64Array } {
  const current: number[] = [];
  const previous: number[] = [];
  for (const r of rows) {
    const t = Number(r.deployed_at);
    if (t >= w.from && t < w.to) current.push(Number(r.lead_time_ms));
    else if (t >= w.prevFrom && t < w.from)
      previous.push(Number(r.lead_time_ms));
  }
  return {
    current: Float64Array.from(current),
    previous: Float64Array.from(previous),
  };
}

/**
 * The counts and recovery samples of one entity from the rows of the counts statement: part 'w'
 * one row a window (current: 1, previous: 0), part 'r' an incident or a rolled-back deployment.
 */
export function countsFromRows(rows: any[]): {
  current: DeploymentCounts;
  previous: DeploymentCounts;
  recoveries: RecoverySample[];
} {
  const n = (v: unknown) => Number(v ?? 0);
  const windowRow = (current: boolean): DeploymentCounts => {
    const r =
      rows.find(
        (x: any) => x.part === 'w' && Number(x.current) === (current ? 1 : 0),
      ) ?? {};
    return { n: n(r.n), rework: n(r.rework), failed: n(r.failed) };
  };
  return {
    current: windowRow(true),
    previous: windowRow(false),
    recoveries: rows
      .filter((r: any) => r.part === 'r')
      .map((r: any) => ({
        kind: r.kind,
        start: Number(r.t0),
        end: r.t1 === null || r.t1 === undefined ? undefined : Number(r.t1),
      })),
  };
}
