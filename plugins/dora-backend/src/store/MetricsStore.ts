import { MetricsEntity } from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { rowsOf } from './fromRow';
import { DAY_MS, decodeLeadTimes } from './leadTimeDays';
import { leadTimeScope, scopeSql } from './scope';

/** A window and the previous one of the same length: [prevFrom, from) and [from, to), epoch ms. */
export interface MetricWindows {
  prevFrom: number;
  from: number;
  to: number;
}

/** Counted deployments of one window, and how many of them were rework and failed. */
export interface DeploymentCounts {
  n: number;
  rework: number;
  failed: number;
}

/** An incident (started, resolved) or a rolled-back deployment (deployed, rolled back), epoch ms. */
export interface RecoverySample {
  kind: 'incident' | 'rollback';
  start: number;
  /** Unset while the incident is open. */
  end?: number;
}

/** The lead times (ms) of each window, in parts: whole days, then the links of the cut days. */
export interface LeadTimeSamples {
  current: Float64Array[];
  previous: Float64Array[];
}

/**
 * The aggregates the five metrics are computed from, for both windows at once, on PostgreSQL and
 * SQLite: deployment counts and recovery samples in one statement, and lead times from the daily
 * rows (dora_lead_time_days) with the links of the days a window boundary cuts.
 */
export class MetricsStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /**
   * One statement, one round trip: the rows of part 'w' are the counts, one row a window
   * (current: 1, previous: 0; count(column) counts the rows where it is set); the rows of part 'r'
   * are the incidents and rolled-back deployments whose recovery times are measured.
   */
  async counts(
    entity: MetricsEntity,
    w: MetricWindows,
  ): Promise<{
    current: DeploymentCounts;
    previous: DeploymentCounts;
    recoveries: RecoverySample[];
  }> {
    const f = scopeSql(entity);
    const result = await this.db.raw(
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
    const rows = rowsOf(result);
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

  /**
   * The components with a row in the windows (counted deployments, incidents that started, shipped
   * changes): a superset of those whose counts or lead times are not empty.
   */
  async componentsWithRows(w: MetricWindows): Promise<Set<string>> {
    const result = await this.db.raw(
      `select component_ref from dora_deployments where counted = true and deployed_at >= ? and deployed_at < ?
       union select component_ref from dora_incidents where started_at >= ? and started_at < ?
       union select component_ref from dora_deployment_changes where deployed_at >= ? and deployed_at < ?`,
      [w.prevFrom, w.to, w.prevFrom, w.to, w.prevFrom, w.to],
    );
    return new Set(
      rowsOf(result)
        .map((r: any) => r.component_ref)
        .filter((r: unknown): r is string => typeof r === 'string'),
    );
  }

  /**
   * The lead times of both windows. Whole UTC days come from dora_lead_time_days (one row a day, its
   * lead times sorted); the partial days at the windows' edges come from the links.
   */
  async leadTimes(
    entity: MetricsEntity,
    w: MetricWindows,
  ): Promise<LeadTimeSamples> {
    const f = scopeSql(entity);
    const scope = leadTimeScope(entity);
    // the days cut by a boundary (prevFrom, from, to) are read from the links, between the boundaries
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
    if (this.isPostgres) {
      // PostgreSQL concatenates each window's days into one value (one row, one decode a window),
      // and the same statement brings the edge days' links (part 'edge'): one round trip
      const notCut = cutDays.length
        ? `and day not in (${cutDays.map(() => '?').join(', ')})`
        : '';
      const edgeSql = ranges.length
        ? `union all select 'edge', null, null, deployed_at, lead_time_ms from dora_deployment_changes where ${edgeWhere}`
        : '';
      const result = await this.db.raw(
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
        this.db('dora_lead_time_days')
          .where({ scope })
          .where('day', '>=', firstDay)
          .where('day', '<', endDay)
          .select('day', 'lead_times_s'),
        ranges.length
          ? this.db.raw(
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
    current.push(Float64Array.from(edgeCurrent));
    previous.push(Float64Array.from(edgePrevious));
    return { current, previous };
  }
}
