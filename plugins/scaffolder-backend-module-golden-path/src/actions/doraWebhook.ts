import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { forgeTarget } from '../forge/forgeTarget';
import { examples } from './doraWebhook.examples';

/** The events DORA reads from a forge: commits, pull requests, incidents (issues) and releases. */
export const DORA_EVENTS = ['push', 'pull_request', 'issues', 'release'];

/**
 * Where a source's deliveries go: goldenPath.doraWebhookBaseUrl (the portal's backend as the forge
 * reaches it) or backend.baseUrl, then /api/dora/webhooks/<source>.
 */
export function doraWebhookUrl(config: Config, source: string): string {
  const base =
    config.getOptionalString('goldenPath.doraWebhookBaseUrl') ??
    `${config.getString('backend.baseUrl')}/api/dora/webhooks`;
  return `${base.replace(/\/+$/, '')}/${source}`;
}

/** The secret of a `gitea` source in dora.sources, or an InputError naming what is wrong. */
export function giteaSourceSecret(config: Config, source: string): string {
  const sources = config.getOptionalConfigArray('dora.sources') ?? [];
  const found = sources.find(s => s.getString('id') === source);
  if (!found)
    throw new InputError(
      `source: dora.sources has no source ${source} (sources: ${
        sources.map(s => s.getString('id')).join(', ') || 'none'
      })`,
    );
  if (found.getString('type') !== 'gitea')
    throw new InputError(
      `source: ${source} is a ${found.getString(
        'type',
      )} source; a forge webhook needs a gitea source`,
    );
  return found.getString('secret');
}

/**
 * `dora:webhook:create`: connects a forge repository to DORA. It creates the repository's webhook
 * (push, pull request, issues, releases) to the portal's webhook endpoint for `source`, signed with
 * that source's secret, so commits, incidents and releases reach the DORA metrics from day one.
 * Idempotent: a webhook to the same URL is updated, not added again; the work is a checkpoint, and
 * a dry run changes nothing. The secret never reaches the log or the outputs.
 */
export function createDoraWebhookAction(options: {
  integrations: ScmIntegrationRegistry;
  config: Config;
}) {
  const { integrations, config } = options;
  return createTemplateAction({
    id: 'dora:webhook:create',
    description:
      "Creates (or updates) a forge repository's webhook to the portal's DORA ingestion, signed with the source's secret.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z => z.string().describe('Repository location'),
        source: z =>
          z
            .string()
            .default('gitea')
            .describe('The DORA source (dora.sources[].id) of type gitea'),
      },
      output: {
        hookId: z => z.number(),
        url: z => z.string(),
        created: z => z.boolean(),
      },
    },
    async handler(ctx) {
      const { repoUrl, source } = ctx.input;
      const { client, owner, repo } = forgeTarget(repoUrl, integrations);
      const secret = giteaSourceSecret(config, source);
      const url = doraWebhookUrl(config, source);
      const full = `${owner}/${repo}`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would connect ${full} to DORA: a webhook to ${url} for ${DORA_EVENTS.join(
            ', ',
          )}`,
        );
        ctx.output('hookId', 0);
        ctx.output('url', url);
        ctx.output('created', false);
        return;
      }
      const hook = await ctx.checkpoint({
        key: `dora.webhook.${full}.${source}`,
        fn: async () => {
          const spec = { url, events: DORA_EVENTS, secret };
          const same = (await client.listHooks(owner, repo)).find(
            h => h.url === url,
          );
          const saved = same
            ? await client.updateHook(owner, repo, same.id, spec)
            : await client.createHook(owner, repo, spec);
          return { id: saved.id, created: !same };
        },
      });
      ctx.logger.info(
        `${full} is connected to DORA: webhook ${hook.id} to ${url} (${
          hook.created ? 'created' : 'already there, updated'
        })`,
      );
      ctx.output('hookId', hook.id);
      ctx.output('url', url);
      ctx.output('created', hook.created);
    },
  });
}
