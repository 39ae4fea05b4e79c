import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { ABSURD_TTL_HOURS } from '@internal/plugin-environments-common';
import { EnvironmentsClient } from '../EnvironmentsClient';
import { examples } from './extend.examples';

/**
 * `environment:extend`: moves an environment's expiry as the person running the template. An
 * extension adds hours, so it is a checkpoint: a recovered task does not extend twice.
 */
export function createEnvironmentExtendAction(options: {
  client: EnvironmentsClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'environment:extend',
    description:
      "Moves an environment's expiry, within the blueprint's maximum and the guardrails.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        id: z => z.string().uuid().describe('Environment id'),
        hours: z =>
          z
            .number()
            .int()
            .min(1)
            .max(ABSURD_TTL_HOURS)
            .describe('Hours to add'),
      },
      output: { expiresAt: z => z.string() },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would extend ${ctx.input.id} by ${ctx.input.hours} hours`,
        );
        ctx.output('expiresAt', 'dry-run');
        return;
      }
      const extended = await ctx.checkpoint({
        key: `environment.extend.${ctx.input.id}`,
        fn: async () => {
          const { environment } = await client.extend(
            credentials,
            ctx.input.id,
            ctx.input.hours,
          );
          return {
            name: environment.name,
            expiresAt: environment.expiresAt ?? '',
          };
        },
      });
      ctx.logger.info(`${extended.name} now expires at ${extended.expiresAt}`);
      ctx.output('expiresAt', extended.expiresAt);
    },
  });
}
