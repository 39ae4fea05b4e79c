import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { EnvironmentsClient } from '../EnvironmentsClient';
import { follow } from '../follow';
import { examples } from './destroy.examples';

/**
 * `environment:destroy`: destroys an environment as the person running the template, and by
 * default waits until it is destroyed, printing the run log. Asking is a checkpoint: a recovered
 * task waits for the destroy it asked for instead of asking again (which the service would refuse,
 * the environment being destroying by then).
 */
export function createEnvironmentDestroyAction(options: {
  client: EnvironmentsClient;
  pollIntervalMs?: number;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'environment:destroy',
    description: 'Destroys an environment; can wait until it is gone.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        id: z => z.string().uuid().describe('Environment id'),
        wait: z =>
          z
            .boolean()
            .default(true)
            .describe('Wait until the environment is destroyed'),
        timeoutMinutes: z =>
          z
            .number()
            .int()
            .min(1)
            .max(120)
            .default(20)
            .describe('How long to wait'),
      },
      output: { state: z => z.string() },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      if (ctx.isDryRun) {
        ctx.logger.info(`dry run: would destroy ${ctx.input.id}`);
        ctx.output('state', 'dry-run');
        return;
      }
      const destroying = await ctx.checkpoint({
        key: `environment.destroy.${ctx.input.id}`,
        fn: async () => {
          const { environment } = await client.destroy(
            credentials,
            ctx.input.id,
          );
          return { id: environment.id, state: environment.state };
        },
      });
      if (!ctx.input.wait) {
        ctx.output('state', destroying.state);
        return;
      }
      const done = await follow(
        client,
        credentials,
        destroying.id,
        'destroyed',
        ctx.logger,
        {
          timeoutMs: ctx.input.timeoutMinutes * 60_000,
          intervalMs: options.pollIntervalMs,
        },
      );
      ctx.output('state', done.state);
    },
  });
}
