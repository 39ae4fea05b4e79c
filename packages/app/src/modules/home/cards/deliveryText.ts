import type {
  MetricName,
  MetricValue,
  TeamScorecardRollup,
} from '@internal/plugin-dora-common';

/** The five DORA metrics, in the order the dora plugin shows them, with short names for a card. */
export const METRIC_SHORT_TITLES: Record<MetricName, string> = {
  deploymentFrequency: 'Deployment frequency',
  changeLeadTime: 'Lead time',
  changeFailureRate: 'Failure rate',
  failedDeploymentRecoveryTime: 'Recovery time',
  deploymentReworkRate: 'Rework rate',
};

/** "Elite", or "too few data" / "no level" when the metric has none. */
export function levelText(metric: MetricValue | undefined): string {
  if (!metric) return 'no data';
  if (metric.insufficientData) return 'too few data';
  if (!metric.level) return 'no level';
  return metric.level[0].toUpperCase() + metric.level.slice(1);
}

/** "Production readiness 82 over 3 entities", one per scorecard of the team. */
export function scorecardTexts(
  rollups: TeamScorecardRollup[],
  teamRef: string,
): string[] {
  return rollups
    .filter(r => r.teamRef.toLowerCase() === teamRef.toLowerCase())
    .map(
      r =>
        `${r.title} ${Math.round(r.averageScore)} over ${r.entities} ${
          r.entities === 1 ? 'entity' : 'entities'
        }`,
    );
}
