import { DoraLevel, MetricName } from './types';

/**
 * A benchmark: for each metric, the bound of each level, checked from elite down; the first level
 * whose bound the value meets is the level, else low. Bounds are in the metric's unit: deployments a
 * day (at least), hours (at most), ratio 0..1 (at most).
 */
export interface Benchmark {
  name: string;
  description: string;
  thresholds: Partial<
    Record<MetricName, { elite: number; high: number; medium: number }>
  >;
}

const DAY = 24;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/**
 * The 2023 Accelerate State of DevOps report's performance levels. Deployment frequency: on demand
 * (here: at least once a day), between once a day and once a week, between once a week and once a
 * month. Lead time: under a day, a day to a week, a week to a month. Change failure rate: 5%, 10%,
 * 15% (low: 64%). Failed deployment recovery time: under an hour, under a day, a day to a week.
 * The report has no levels for the deployment rework rate.
 */
export const DORA_2023: Benchmark = {
  name: '2023',
  description: 'Accelerate State of DevOps Report 2023, performance levels',
  thresholds: {
    deploymentFrequency: { elite: 1, high: 1 / 7, medium: 1 / 30 },
    changeLeadTime: { elite: DAY, high: WEEK, medium: MONTH },
    changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
    failedDeploymentRecoveryTime: { elite: 1, high: DAY, medium: WEEK },
  },
};

/**
 * The 2024 report's levels. Frequency and lead time as in 2023 (low: once a month to once every
 * six months; a month to six months). Change failure rate: elite 5%, high 20%, medium 10%, low 40%:
 * the report's medium cluster failed less often than its high cluster, so with bounds checked from
 * elite down a rate between 5% and 20% is high, and medium is never reached by this metric alone.
 * Recovery: under an hour, under a day, under a day (medium), a week to a month (low).
 */
export const DORA_2024: Benchmark = {
  name: '2024',
  description: 'Accelerate State of DevOps Report 2024, performance levels',
  thresholds: {
    deploymentFrequency: { elite: 1, high: 1 / 7, medium: 1 / 30 },
    changeLeadTime: { elite: DAY, high: WEEK, medium: MONTH },
    changeFailureRate: { elite: 0.05, high: 0.2, medium: 0.1 },
    failedDeploymentRecoveryTime: { elite: 1, high: DAY, medium: DAY },
  },
};

export const BUILT_IN_BENCHMARKS: Record<string, Benchmark> = {
  '2023': DORA_2023,
  '2024': DORA_2024,
};

/** Metrics where a higher value is better; for every other metric lower is better. */
const HIGHER_IS_BETTER: MetricName[] = ['deploymentFrequency'];

export function higherIsBetter(metric: MetricName): boolean {
  return HIGHER_IS_BETTER.includes(metric);
}

/** The level of a value under a benchmark, or undefined when the benchmark has no levels for the metric. */
export function levelOf(
  benchmark: Benchmark,
  metric: MetricName,
  value: number,
): DoraLevel | undefined {
  const t = benchmark.thresholds[metric];
  if (!t) return undefined;
  const meets = (bound: number) =>
    higherIsBetter(metric) ? value >= bound : value <= bound;
  if (
    metric === 'changeLeadTime' ||
    metric === 'failedDeploymentRecoveryTime'
  ) {
    // "less than one day / one hour" for elite is strict in the report
    if (value < t.elite) return 'elite';
  } else if (meets(t.elite)) return 'elite';
  if (meets(t.high)) return 'high';
  if (meets(t.medium)) return 'medium';
  return 'low';
}

const ORDER: DoraLevel[] = ['low', 'medium', 'high', 'elite'];

/** For a scorecard check "DORA level at least X". */
export function isLevelAtLeast(
  level: DoraLevel | undefined,
  atLeast: DoraLevel,
): boolean {
  return level !== undefined && ORDER.indexOf(level) >= ORDER.indexOf(atLeast);
}

/** The DORA report's deployment frequency bucket of a rate in deployments a day. */
export function frequencyBucket(
  perDay: number,
): 'on-demand' | 'daily-to-weekly' | 'weekly-to-monthly' | 'less-than-monthly' {
  if (perDay >= 1) return 'on-demand';
  if (perDay >= 1 / 7) return 'daily-to-weekly';
  if (perDay >= 1 / 30) return 'weekly-to-monthly';
  return 'less-than-monthly';
}
