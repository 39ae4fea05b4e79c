import { doraMetricsReadPermission } from '@internal/plugin-dora-common';
import { readEntityScorecards } from '../router/scorecards';
import { DoraActionsOptions, READ_ONLY } from './shared';

/** get-scorecard: GET /scorecards/entity as an action, with the checks that fail listed apart. */
export function registerGetScorecard(options: DoraActionsOptions) {
  const { actionsRegistry, access } = options;
  actionsRegistry.register({
    name: 'get-scorecard',
    title: "Get a component's scorecards",
    description: `A catalog entity's latest scorecard results (usually a component's, such as component:default/ledger-service):
for each scorecard, its score (0 to 100, the weighted share of checks passed), its grade (gold, silver, bronze or none),
its checks with their outcome (passed, failed, or exempt with the approved exemption) and a sentence on what was found,
when it was evaluated, and its score history. \`failing\` lists the checks that fail, across scorecards: what to fix first.
An entity you may not see in the catalog is "not found"; an entity without results has an empty \`results\`.`,
    attributes: READ_ONLY,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity ref, kind:namespace/name, such as component:default/ledger-service.',
            ),
        }),
      output: z => {
        const exemption = z.object({
          entityRef: z.string(),
          scorecard: z.string(),
          check: z.string(),
          reason: z.string(),
          approvedBy: z.string(),
          expires: z.string().describe('The last day it counts (ISO 8601).'),
        });
        const check = z.object({
          id: z.string(),
          title: z.string(),
          weight: z.number(),
          outcome: z.enum(['passed', 'failed', 'exempt']),
          detail: z.string().describe('What was found, or what is missing.'),
          exemption: exemption.optional(),
        });
        const point = z.object({
          evaluatedAt: z.string(),
          score: z.number(),
          grade: z.enum(['gold', 'silver', 'bronze', 'none']),
        });
        return z.object({
          entityRef: z.string(),
          results: z.array(
            point.extend({
              scorecard: z.string(),
              title: z.string(),
              entityRef: z.string(),
              ownerRef: z
                .string()
                .optional()
                .describe('The owner when it was evaluated.'),
              checks: z.array(check),
              history: z
                .array(point)
                .describe('Earlier results, oldest first.'),
            }),
          ),
          failing: z
            .array(
              z.object({
                scorecard: z.string(),
                id: z.string(),
                title: z.string(),
                detail: z.string(),
              }),
            )
            .describe('The checks that fail, in every scorecard.'),
        });
      },
    },
    examples: [
      {
        title: "A component's scorecards and what fails",
        input: { entityRef: 'component:default/ledger-service' },
      },
    ],
    action: async ({ input, credentials }) => {
      const caller = await access.authorizeCredentials(
        credentials,
        doraMetricsReadPermission,
      );
      const answer = await readEntityScorecards(options, caller, input);
      const failing = answer.results.flatMap(r =>
        r.checks
          .filter(c => c.outcome === 'failed')
          .map(c => ({
            scorecard: r.scorecard,
            id: c.id,
            title: c.title,
            detail: c.detail,
          })),
      );
      return { output: { ...answer, failing } };
    },
  });
}
