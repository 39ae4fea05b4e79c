import {
  frequencyBucket,
  MetricName,
  MetricValue,
} from '@internal/plugin-dora-common';
import {
  DeploymentCounts,
  LeadTimeSamples,
  RecoverySample,
} from '../store/MetricsStore';
import { median, percentilesUnsorted } from './percentile';

const HOUR = 3600_000;

/** What one window's numbers are computed from. */
export interface WindowSamples {
  counts: DeploymentCounts;
  /** The window's lead times (ms), in parts. */
  leadTimes: Float64Array[];
  /** The incidents and rollbacks of this window. */
  recoveries: RecoverySample[];
}

/** A metric's value in one window, its sample size and details. */
export interface WindowValue {
  value?: number;
  sample: number;
  details: MetricValue['details'];
}

/** The samples of the current and the previous window, from the store's aggregates of both. */
export function splitWindows(
  from: number,
  counts: {
    current: DeploymentCounts;
    previous: DeploymentCounts;
    recoveries: RecoverySample[];
  },
  leadTimes: LeadTimeSamples,
): [WindowSamples, WindowSamples] {
  return [
    {
      counts: counts.current,
      leadTimes: leadTimes.current,
      recoveries: counts.recoveries.filter(r => r.start >= from),
    },
    {
      counts: counts.previous,
      leadTimes: leadTimes.previous,
      recoveries: counts.recoveries.filter(r => r.start < from),
    },
  ];
}

/** Median and p90 (as PostgreSQL's percentile_cont) of lead times given in parts. */
function leadTimeOf(parts: Float64Array[]) {
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let i = 0;
  for (const p of parts) {
    all.set(p, i);
    i += p.length;
  }
  const [p50, p90] = percentilesUnsorted(all, [0.5, 0.9]);
  return { n: all.length, p50, p90 };
}

/** Recovery hours of the resolved samples; open incidents counted apart. */
function recoveryOf(samples: RecoverySample[]) {
  const resolved = samples.filter(r => r.end !== undefined);
  return {
    hours: resolved.map(r => Math.max(0, r.end! - r.start) / HOUR),
    open: samples.filter(r => r.kind === 'incident' && r.end === undefined)
      .length,
    incidents: resolved.filter(r => r.kind === 'incident').length,
    rollbacks: resolved.filter(r => r.kind === 'rollback').length,
  };
}

/** The five metrics' values in one window of `days` days. */
export function windowValues(
  s: WindowSamples,
  days: number,
): Record<MetricName, WindowValue> {
  const { n, rework, failed } = s.counts;
  const lead = leadTimeOf(s.leadTimes);
  const recovery = recoveryOf(s.recoveries);
  return {
    deploymentFrequency: {
      value: n / days,
      sample: n,
      details: {
        deployments: n,
        perWeek: n / (days / 7),
        bucket: frequencyBucket(n / days),
      },
    },
    changeLeadTime: {
      value: lead.p50 !== undefined ? lead.p50 / HOUR : undefined,
      sample: lead.n,
      details: {
        medianHours: lead.p50 !== undefined ? lead.p50 / HOUR : undefined,
        p90Hours: lead.p90 !== undefined ? lead.p90 / HOUR : undefined,
      },
    },
    changeFailureRate: {
      value: n ? failed / n : undefined,
      sample: n,
      details: { failed, deployments: n },
    },
    failedDeploymentRecoveryTime: {
      value: median(recovery.hours),
      sample: recovery.hours.length,
      details: {
        resolvedIncidents: recovery.incidents,
        rollbacks: recovery.rollbacks,
        openIncidents: recovery.open,
      },
    },
    deploymentReworkRate: {
      value: n ? rework / n : undefined,
      sample: n,
      details: { rework, deployments: n },
    },
  };
}
