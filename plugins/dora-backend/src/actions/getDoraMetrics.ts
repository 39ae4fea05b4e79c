import { doraMetricsReadPermission } from '@internal/plugin-dora-common';
import { readMetrics } from '../router/metrics';
import {
  DoraActionsOptions,
  entityInput,
  metricsOutput,
  READ_ONLY,
  windowInputs,
} from './shared';

/** get-dora-metrics: GET /metrics as an action, with the same permission and catalog checks. */
export function registerGetDoraMetrics(options: DoraActionsOptions) {
  const { actionsRegistry, access } = options;
  actionsRegistry.register({
    name: 'get-dora-metrics',
    title: 'Get DORA metrics',
    description: `The five DORA metrics of a component, a team or the whole organisation over a window of days ending now (or at \`at\`):
deploymentFrequency (successful production deployments a day), changeLeadTime (median hours from commit to production),
changeFailureRate (share of deployments that failed: an incident or a rollback), failedDeploymentRecoveryTime (median hours to recover)
and deploymentReworkRate (share of deployments that were rework).
Each comes with its value and unit, sample size, whether the sample is too small to grade, its level (elite, high, medium, low) under the benchmark,
and its value and trend against the previous window of the same length.
\`entity\` is "org", a component ref such as component:default/ledger-service, or a team (group) ref such as group:default/payments.
A component or team you may not see in the catalog is "not found". Use get-dora-drilldown for the rows behind a number.`,
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          entity: entityInput(z),
          ...windowInputs(z),
          benchmark: z
            .string()
            .optional()
            .describe(
              'The benchmark to grade against, such as 2024 (default the configured one).',
            ),
        }),
      output: metricsOutput,
    },
    examples: [
      {
        title: "A team's metrics over the last 90 days",
        input: { entity: 'group:default/payments', window: 90 },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = await access.authorizeCredentials(
        credentials,
        doraMetricsReadPermission,
      );
      return { output: await readMetrics(options, caller, input) };
    },
  });
}
