import { MetricName } from '@internal/plugin-dora-common';

/** The kinds of rows a metric's drill-down returns. */
export type RowKind = 'deployment' | 'change' | 'incident' | 'rollback';

export interface MetricInfo {
  name: MetricName;
  title: string;
  description: string;
  /** What the sample size counts, singular and plural. */
  sample: [string, string];
}

/** The five metrics, in the order the DORA report lists them. */
export const METRIC_INFO: Record<MetricName, MetricInfo> = {
  deploymentFrequency: {
    name: 'deploymentFrequency',
    title: 'Deployment frequency',
    description:
      'Successful production deployments in the window, per day and per week',
    sample: ['deployment', 'deployments'],
  },
  changeLeadTime: {
    name: 'changeLeadTime',
    title: 'Change lead time',
    description:
      'From commit (or pull request opened) to running in production: median and p90',
    sample: ['change', 'changes'],
  },
  changeFailureRate: {
    name: 'changeFailureRate',
    title: 'Change failure rate',
    description:
      'Share of production deployments that caused an incident or were rolled back',
    sample: ['deployment', 'deployments'],
  },
  failedDeploymentRecoveryTime: {
    name: 'failedDeploymentRecoveryTime',
    title: 'Failed deployment recovery time',
    description:
      'Median time from a failure (incident or rolled-back deployment) to recovery',
    sample: ['recovery', 'recoveries'],
  },
  deploymentReworkRate: {
    name: 'deploymentReworkRate',
    title: 'Deployment rework rate',
    description:
      'Share of production deployments that were rollbacks, reverts, hotfixes or triggered by an incident',
    sample: ['deployment', 'deployments'],
  },
};
