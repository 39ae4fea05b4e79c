import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ABSURD_TTL_HOURS,
  ENVIRONMENT_NAME_MAX_LENGTH,
  NAME_PATTERN,
} from '@internal/plugin-environments-common';
import { EnvironmentsClient } from '../EnvironmentsClient';
import { follow } from '../follow';
import { examples } from './create.examples';

/**
 * `environment:create`: requests a sandbox environment as the person running the template, and by
 * default waits until it is active, printing the run log. The request is a checkpoint: a task
 * that is recovered after a restart does not request a second environment, it waits for the one
 * it requested.
 */
export function createEnvironmentCreateAction(options: {
  client: EnvironmentsClient;
  appBaseUrl: string;
  pollIntervalMs?: number;
}) {
  const { client, appBaseUrl } = options;
  return createTemplateAction({
    id: 'environment:create',
    description:
      'Requests a sandbox environment from a blueprint, within the guardrails; can wait until it is active.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(NAME_PATTERN, 'must be lower case words joined by dashes')
            .max(ENVIRONMENT_NAME_MAX_LENGTH)
            .describe('Name of the environment'),
        blueprint: z =>
          z
            .string()
            .regex(NAME_PATTERN)
            .describe('Blueprint name, e.g. postgres-sandbox'),
        owner: z => z.string().describe('Owning team, a group entity ref'),
        size: z =>
          z
            .string()
            .regex(NAME_PATTERN)
            .optional()
            .describe('Size; the blueprint default when unset'),
        ttlHours: z =>
          z
            .number()
            .int()
            .min(1)
            .max(ABSURD_TTL_HOURS)
            .optional()
            .describe(
              "Hours until it is destroyed; at most the blueprint's maximum",
            ),
        variables: z =>
          z
            .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
            .optional()
            .describe('Blueprint variables'),
        wait: z =>
          z
            .boolean()
            .default(true)
            .describe('Wait until the environment is active'),
        timeoutMinutes: z =>
          z
            .number()
            .int()
            .min(1)
            .max(120)
            .default(20)
            .describe('How long to wait'),
      },
      output: {
        id: z => z.string(),
        state: z => z.string(),
        url: z => z.string(),
      },
    },
    async handler(ctx) {
      const credentials = await ctx.getInitiatorCredentials();
      const {
        name,
        blueprint,
        owner,
        size,
        ttlHours,
        variables,
        wait,
        timeoutMinutes,
      } = ctx.input;
      if (ctx.isDryRun) {
        const { items } = await client.blueprints(credentials);
        const found = items.find(b => b.name === blueprint && b.applyable);
        if (!found)
          throw new Error(
            `blueprint: '${blueprint}' is not a blueprint that can be requested (blueprints: ${items
              .filter(b => b.applyable)
              .map(b => b.name)
              .join(', ')})`,
          );
        ctx.logger.info(
          `dry run: would request ${name} from ${blueprint} for ${owner}`,
        );
        ctx.output('id', 'dry-run');
        ctx.output('state', 'dry-run');
        ctx.output('url', `${appBaseUrl}/environments`);
        return;
      }
      // Requested once per task: a recovered task gets the stored answer back.
      const environment = await ctx.checkpoint({
        key: `environment.create.${name}`,
        fn: async () => {
          const created = await client.create(credentials, {
            name,
            blueprint,
            owner,
            size,
            ttlHours,
            variables: variables ?? {},
          });
          return {
            id: created.environment.id,
            state: created.environment.state,
            reasons: created.reasons,
          };
        },
      });
      const url = `${appBaseUrl}/environments/${environment.id}`;
      ctx.output('id', environment.id);
      ctx.output('url', url);
      ctx.logger.info(
        `requested ${name} (${environment.id}): ${environment.state}${
          environment.reasons.length
            ? ` (${environment.reasons.join('; ')})`
            : ''
        }; ${url}`,
      );
      if (environment.state === 'pending_approval' || !wait) {
        ctx.output('state', environment.state);
        return;
      }
      const done = await follow(
        client,
        credentials,
        environment.id,
        'active',
        ctx.logger,
        {
          timeoutMs: timeoutMinutes * 60_000,
          intervalMs: options.pollIntervalMs,
        },
      );
      ctx.output('state', done.state);
    },
  });
}
