import { doraMetricsReadPermission } from '@internal/plugin-dora-common';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../limits';
import { readDrillDown } from '../router/metrics';
import {
  DoraActionsOptions,
  entityInput,
  metricInput,
  READ_ONLY,
  windowInputs,
} from './shared';

/** get-dora-drilldown: GET /metrics/drilldown as an action, with the same checks and paging. */
export function registerGetDoraDrilldown(options: DoraActionsOptions) {
  const { actionsRegistry, access } = options;
  actionsRegistry.register({
    name: 'get-dora-drilldown',
    title: 'Get the rows behind a DORA metric',
    description: `The rows one DORA metric of get-dora-metrics was computed from, for a component, a team or the organisation, in time order:
deployments (deploymentFrequency, deploymentReworkRate), changes with their deployment and lead time in hours (changeLeadTime),
deployments and the incidents linked to them (changeFailureRate), incidents and rolled-back deployments with their recovery hours (failedDeploymentRecoveryTime).
\`period\` "previous" gives the rows of the window before (the one trends compare with).
\`entity\` is "org", a component ref such as component:default/ledger-service, or a team (group) ref such as group:default/payments.
One page at a time: when \`nextOffset\` is in the answer, ask again with offset=nextOffset.
A component or team you may not see in the catalog is "not found".`,
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          entity: entityInput(z),
          metric: metricInput(z),
          period: z
            .enum(['current', 'previous'])
            .optional()
            .describe('The window, or the one before it (default current).'),
          ...windowInputs(z),
          limit: z
            .number()
            .optional()
            .describe(
              `Rows in one page: 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).`,
            ),
          offset: z
            .number()
            .optional()
            .describe('Rows to skip: the nextOffset of the page before.'),
        }),
      output: z =>
        z.object({
          entity: z.string(),
          metric: z.string(),
          from: z.string().describe('The start of the window (ISO 8601).'),
          to: z.string().describe('The end of the window (ISO 8601).'),
          rows: z
            .array(
              z
                .object({
                  type: z.enum([
                    'deployment',
                    'change',
                    'incident',
                    'rollback',
                  ]),
                })
                .passthrough(),
            )
            .describe(
              'The rows: each has `type` and the deployment, change or incident it is.',
            ),
          nextOffset: z
            .number()
            .optional()
            .describe('Where the next page starts; absent on the last page.'),
        }),
    },
    examples: [
      {
        title: "The deployments behind a component's deployment frequency",
        input: {
          entity: 'component:default/ledger-service',
          metric: 'deploymentFrequency',
          window: 30,
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = await access.authorizeCredentials(
        credentials,
        doraMetricsReadPermission,
      );
      return { output: await readDrillDown(options, caller, input) };
    },
  });
}
