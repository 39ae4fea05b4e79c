import { MetricsEntity } from '@internal/plugin-dora-common';
import { Knex } from 'knex';
import { rowsOf } from './fromRow';
import { DAY_MS, decodeLeadTimes } from './leadTimeDays';
import {
  countsFromRows,
  leadTimeDays,
  rangesSql,
  splitEdges,
} from './metricsRows';
import type {
  DeploymentCounts,
  MetricWindows,
  RecoverySample,
} from './metricTypes';
import { leadTimeScope, scopeSql } from './scope';

export type {
  DeploymentCounts,
  MetricWindows,
  RecoverySample,
} from './metricTypes';

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
    return countsFromRows(rowsOf(result));
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
    const { cut, ranges, firstDay, endDay, fromDay } = leadTimeDays(w);
    const cutDays = [...cut];
    // the links of the cut days, from the boundaries on
    const edgeRanges = rangesSql(ranges);
    const edgeWhere = `${f.sql}${edgeRanges.sql}`;
    const edgeBindings = [...f.bindings, ...edgeRanges.bindings];
    const current: Float64Array[] = [];
    const previous: Float64Array[] = [];
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
    const edge = splitEdges(rowsOf(edges), w);
    current.push(edge.current);
    previous.push(edge.previous);
    return { current, previous };
  }
}
