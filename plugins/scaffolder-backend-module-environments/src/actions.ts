import { LoggerService } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { EnvironmentsClient, EnvironmentSummary } from './EnvironmentsClient';

const NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FAILED = ['destroying', 'destroyed', 'quarantined', 'rejected'];

/**
 * Waits until the environment is `until` (or fails), printing each state change and the run log
 * as it arrives, so the template's task log shows OpenTofu's progress.
 */
export async function follow(
  client: EnvironmentsClient,
  credentials: Parameters<EnvironmentsClient['get']>[0],
  id: string,
  until: string,
  logger: LoggerService,
  options: { timeoutMs: number; intervalMs?: number },
): Promise<EnvironmentSummary> {
  const deadline = Date.now() + options.timeoutMs;
  const seen = new Map<string, number>();
  let last = '';
  for (;;) {
    const { environment } = await client.get(credentials, id);
    if (environment.state !== last) {
      logger.info(`environment ${environment.name} is ${environment.state}`);
      last = environment.state;
    }
    // The latest runs, newest first from the API: printed oldest first, each log page by page.
    for (const run of (await client.runs(credentials, id)).items
      .slice()
      .reverse()) {
      for (;;) {
        const { items, nextCursor } = await client.logs(
          credentials,
          id,
          run.id,
          seen.get(run.id) ?? 0,
        );
        for (const line of items) logger.info(`[${run.kind}] ${line.message}`);
        if (items.length) seen.set(run.id, items[items.length - 1].seq);
        if (!nextCursor) break;
      }
    }
    if (environment.state === until) return environment;
    if (FAILED.includes(environment.state) && until !== 'destroyed') {
      throw new Error(
        `environment ${environment.name} is ${environment.state}, not ${until}; see its page for the run log`,
      );
    }
    if (until === 'destroyed' && environment.state === 'quarantined') {
      throw new Error(
        `environment ${environment.name} could not be destroyed and is quarantined; the platform team has been asked to act`,
      );
    }
    if (Date.now() > deadline) {
      throw new Error(
        `environment ${environment.name} is still ${
          environment.state
        } after ${Math.round(options.timeoutMs / 60000)} minutes`,
      );
    }
    await new Promise(r => setTimeout(r, options.intervalMs ?? 2000));
  }
}

export function createEnvironmentActions(options: {
  client: EnvironmentsClient;
  appBaseUrl: string;
  pollIntervalMs?: number;
}) {
  const { client, appBaseUrl } = options;

  const create = createTemplateAction({
    id: 'environment:create',
    description:
      'Requests a sandbox environment from a blueprint, within the guardrails; can wait until it is active.',
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .regex(NAME, 'must be lower case words joined by dashes')
            .max(40)
            .describe('Name of the environment'),
        blueprint: z =>
          z
            .string()
            .regex(NAME)
            .describe('Blueprint name, e.g. postgres-sandbox'),
        owner: z => z.string().describe('Owning team, a group entity ref'),
        size: z =>
          z
            .string()
            .regex(NAME)
            .optional()
            .describe('Size; the blueprint default when unset'),
        ttlHours: z =>
          z
            .number()
            .int()
            .min(1)
            .max(8760)
            .optional()
            .describe('Hours until it is destroyed'),
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
      const { environment, reasons } = await client.create(credentials, {
        name,
        blueprint,
        owner,
        size,
        ttlHours,
        variables: variables ?? {},
      });
      const url = `${appBaseUrl}/environments/${environment.id}`;
      ctx.output('id', environment.id);
      ctx.output('url', url);
      ctx.logger.info(
        `requested ${name} (${environment.id}): ${environment.state}${
          reasons.length ? ` (${reasons.join('; ')})` : ''
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

  const extend = createTemplateAction({
    id: 'environment:extend',
    description:
      "Moves an environment's expiry, within the blueprint's maximum and the guardrails.",
    supportsDryRun: true,
    schema: {
      input: {
        id: z => z.string().uuid().describe('Environment id'),
        hours: z => z.number().int().min(1).max(8760).describe('Hours to add'),
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
      const { environment } = await client.extend(
        credentials,
        ctx.input.id,
        ctx.input.hours,
      );
      ctx.logger.info(
        `${environment.name} now expires at ${environment.expiresAt}`,
      );
      ctx.output('expiresAt', environment.expiresAt ?? '');
    },
  });

  const destroy = createTemplateAction({
    id: 'environment:destroy',
    description: 'Destroys an environment; can wait until it is gone.',
    supportsDryRun: true,
    schema: {
      input: {
        id: z => z.string().uuid().describe('Environment id'),
        wait: z => z.boolean().default(true),
        timeoutMinutes: z => z.number().int().min(1).max(120).default(20),
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
      const { environment } = await client.destroy(credentials, ctx.input.id);
      if (!ctx.input.wait) {
        ctx.output('state', environment.state);
        return;
      }
      const done = await follow(
        client,
        credentials,
        environment.id,
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

  return [create, extend, destroy];
}
