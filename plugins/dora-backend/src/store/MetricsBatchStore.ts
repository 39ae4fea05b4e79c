import { Knex } from 'knex';
import { rowsOf } from './fromRow';
import { DAY_MS, decodeLeadTimes } from './leadTimeDays';
import {
  countsFromRows,
  leadTimeDays,
  rangesSql,
  splitEdges,
} from './metricsRows';
import {
  DeploymentCounts,
  LeadTimeSamples,
  MetricWindows,
  RecoverySample,
} from './MetricsStore';
import { leadTimeScope } from './scope';

/**
 * Refs one statement names. The counts name each three times: 600 bindings and a few, within
 * SQLite's limit of variables a statement (999 in builds before 3.32), and a short IN list for
 * PostgreSQL's index scans.
 */
export const REFS_A_STATEMENT = 200;

/** Components (by component_ref) or teams (by team_ref, the owner recorded on the rows). */
export type BatchKind = 'component' | 'team';

/** What MetricsStore's counts and leadTimes read for one entity. */
export interface EntityAggregates {
  counts: {
    current: DeploymentCounts;
    previous: DeploymentCounts;
    recoveries: RecoverySample[];
  };
  leadTimes: LeadTimeSamples;
}

const COLUMN: Record<BatchKind, string> = {
  component: 'component_ref',
  team: 'team_ref',
};
const placeholders = (xs: unknown[]) => xs.map(() => '?').join(', ');

/** Rows grouped by their `ref` column. */
function byRef(rows: any[]): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const r of rows) {
    const list = out.get(r.ref);
    if (list) list.push(r);
    else out.set(r.ref, [r]);
  }
  return out;
}

/**
 * The aggregates of MetricsStore for many components or many teams at once, on PostgreSQL and
 * SQLite: the same statements with `ref in (...)` for `ref = ?`, grouped by ref, so that the
 * metrics of a page of teams or of every component a scorecard grades take a few statements, not
 * two an entity. Each entity's aggregates are those MetricsStore reads for it alone (the same rows;
 * only the order of rows within an entity may differ, which no metric depends on).
 */
export class MetricsBatchStore {
  constructor(private readonly db: Knex) {}

  private get isPostgres() {
    return this.db.client.config.client === 'pg';
  }

  /**
   * Every ref's aggregates (an entity without rows has empty ones), REFS_A_STATEMENT refs at a
   * time: a chunk's counts and lead times in parallel, the chunks one after the other.
   */
  async aggregates(
    kind: BatchKind,
    refs: string[],
    w: MetricWindows,
  ): Promise<Map<string, EntityAggregates>> {
    const unique = [...new Set(refs)];
    const out = new Map<string, EntityAggregates>();
    for (let i = 0; i < unique.length; i += REFS_A_STATEMENT) {
      const chunk = unique.slice(i, i + REFS_A_STATEMENT);
      const [counts, leadTimes] = await Promise.all([
        this.counts(kind, chunk, w),
        this.leadTimes(kind, chunk, w),
      ]);
      for (const ref of chunk)
        out.set(ref, {
          counts: countsFromRows(counts.get(ref) ?? []),
          leadTimes: leadTimes.get(ref) ?? { current: [], previous: [] },
        });
    }
    return out;
  }

  /** MetricsStore.counts's statement for every ref of the chunk at once: its rows by ref. */
  private async counts(
    kind: BatchKind,
    refs: string[],
    w: MetricWindows,
  ): Promise<Map<string, any[]>> {
    const col = COLUMN[kind];
    const inRefs = `${col} in (${placeholders(refs)})`;
    const result = await this.db.raw(
      `select 'w' as part, ${col} as ref, case when deployed_at >= ? then 1 else 0 end as current, count(*) as n, count(rework) as rework, count(failure) as failed,
              null as t0, null as t1, null as kind
       from dora_deployments
       where ${inRefs} and counted = true and deployed_at >= ? and deployed_at < ?
       group by 2, 3
       union all
       select 'r', ${col}, null, null, null, null, started_at, resolved_at, 'incident' from dora_incidents
         where ${inRefs} and started_at >= ? and started_at < ?
       union all
       select 'r', ${col}, null, null, null, null, deployed_at, recovered_at, 'rollback' from dora_deployments
         where ${inRefs} and counted = true and failure = 'rolled-back' and deployed_at >= ? and deployed_at < ?`,
      [
        w.from,
        ...refs,
        w.prevFrom,
        w.to,
        ...refs,
        w.prevFrom,
        w.to,
        ...refs,
        w.prevFrom,
        w.to,
      ],
    );
    return byRef(rowsOf(result));
  }

  /**
   * MetricsStore.leadTimes for every ref of the chunk at once: the daily rows of their scopes
   * (PostgreSQL concatenates each scope's days of a window into one value, as for one entity) and
   * the links of the cut days, in one statement on PostgreSQL, two in parallel on SQLite.
   */
  private async leadTimes(
    kind: BatchKind,
    refs: string[],
    w: MetricWindows,
  ): Promise<Map<string, LeadTimeSamples>> {
    const col = COLUMN[kind];
    const days = leadTimeDays(w);
    const cutDays = [...days.cut];
    const refOfScope = new Map(
      refs.map(ref => [leadTimeScope({ kind, ref }), ref]),
    );
    const scopes = [...refOfScope.keys()];
    const edges = rangesSql(days.ranges);
    const edgeWhere = `${col} in (${placeholders(refs)}) and ${edges.sql}`;
    const edgeBindings = [...refs, ...edges.bindings];
    const out = new Map<string, LeadTimeSamples>();
    const samplesOf = (ref: string) => {
      let s = out.get(ref);
      if (!s) out.set(ref, (s = { current: [], previous: [] }));
      return s;
    };
    let edgeRows: any[];
    if (this.isPostgres) {
      const notCut = cutDays.length
        ? `and day not in (${placeholders(cutDays)})`
        : '';
      const result = await this.db.raw(
        `select 'days' as part, scope as ref,
                encode(string_agg(decode(lead_times_s, 'base64'), ''::bytea order by day) filter (where day >= ?), 'base64') as cur,
                encode(string_agg(decode(lead_times_s, 'base64'), ''::bytea order by day) filter (where day < ?), 'base64') as prev,
                null as deployed_at, null as lead_time_ms
         from dora_lead_time_days where scope in (${placeholders(
           scopes,
         )}) and day >= ? and day < ? ${notCut}
         group by scope
         ${
           days.ranges.length
             ? `union all select 'edge', ${col}, null, null, deployed_at, lead_time_ms from dora_deployment_changes where ${edgeWhere}`
             : ''
         }`,
        [
          days.fromDay,
          days.fromDay,
          ...scopes,
          days.firstDay,
          days.endDay,
          ...cutDays,
          ...(days.ranges.length ? edgeBindings : []),
        ],
      );
      const all = rowsOf(result);
      for (const r of all.filter((row: any) => row.part === 'days')) {
        const s = samplesOf(refOfScope.get(r.ref)!);
        if (r.cur) s.current.push(decodeLeadTimes(r.cur));
        if (r.prev) s.previous.push(decodeLeadTimes(r.prev));
      }
      edgeRows = all.filter((row: any) => row.part === 'edge');
    } else {
      const [dayRows, edgeResult] = await Promise.all([
        this.db('dora_lead_time_days')
          .whereIn('scope', scopes)
          .where('day', '>=', days.firstDay)
          .where('day', '<', days.endDay)
          .select('scope', 'day', 'lead_times_s'),
        days.ranges.length
          ? this.db.raw(
              `select ${col} as ref, deployed_at, lead_time_ms from dora_deployment_changes where ${edgeWhere}`,
              edgeBindings,
            )
          : [],
      ]);
      for (const r of dayRows as {
        scope: string;
        day: number;
        lead_times_s: string;
      }[]) {
        if (days.cut.has(Number(r.day))) continue;
        const s = samplesOf(refOfScope.get(r.scope)!);
        (Number(r.day) * DAY_MS >= w.from ? s.current : s.previous).push(
          decodeLeadTimes(r.lead_times_s),
        );
      }
      edgeRows = rowsOf(edgeResult);
    }
    for (const [ref, rows] of byRef(edgeRows)) {
      const e = splitEdges(rows, w);
      const s = samplesOf(ref);
      s.current.push(e.current);
      s.previous.push(e.previous);
    }
    return out;
  }
}
