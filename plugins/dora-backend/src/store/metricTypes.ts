/* The shapes the metrics' statements are read into, shared by MetricsStore and metricsRows. */

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
