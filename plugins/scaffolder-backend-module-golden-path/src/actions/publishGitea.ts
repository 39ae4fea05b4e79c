import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createPublishGiteaAction } from '@backstage/plugin-scaffolder-backend-module-gitea';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { forgeTarget } from '../forge/forgeTarget';
import { examples } from './publishGitea.examples';

/** The team name of `group:default/payments` or `payments`. */
export const teamName = (ref: string) => ref.slice(ref.lastIndexOf('/') + 1);

/**
 * `publish:gitea`, resumable: upstream's action (@backstage/plugin-scaffolder-backend-module-gitea,
 * same id and inputs, so templates stay portable) run inside a checkpoint, plus `team`, the
 * owner team given access to the new repository. This module registers it in place of the upstream
 * module, which the backend does not install.
 *
 * - A recovered or retried task gets the checkpoint's outputs back and creates nothing again.
 * - A repository that exists with commits is refused before anything is created; one that exists
 *   empty was created by an earlier attempt of this step that stopped before pushing, and is created
 *   again.
 * - A team that the organisation does not have is refused before anything is created.
 * - Every failure names the forge; a forge that does not answer fails the step at once.
 */
export function createPublishGiteaResumableAction(options: {
  integrations: ScmIntegrationRegistry;
  config: Config;
}) {
  const { integrations } = options;
  const upstream = createPublishGiteaAction(options);
  return createTemplateAction({
    id: 'publish:gitea',
    description: `${upstream.description} Resumable: a recovered task does not create a second repository. Gives the owner team access.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoUrl: z => z.string().describe('Repository location'),
        description: z => z.string().describe('Repository description'),
        defaultBranch: z => z.string().default('main'),
        repoVisibility: z => z.enum(['private', 'public']).default('public'),
        gitCommitMessage: z => z.string().optional(),
        gitAuthorName: z => z.string().optional(),
        gitAuthorEmail: z => z.string().optional(),
        sourcePath: z => z.string().optional(),
        signCommit: z => z.boolean().optional(),
        team: z =>
          z
            .string()
            .optional()
            .describe(
              "The organisation's team given access to the repository: a name, or the owner's group ref",
            ),
      },
      output: {
        remoteUrl: z => z.string().optional(),
        repoContentsUrl: z => z.string().optional(),
        commitHash: z => z.string().optional(),
      },
    },
    async handler(ctx) {
      const { team, ...upstreamInput } = ctx.input;
      const { client, owner, repo } = forgeTarget(
        upstreamInput.repoUrl,
        integrations,
      );
      const full = `${owner}/${repo}`;
      const forgeTeam = team
        ? await client.findTeam(owner, teamName(team))
        : undefined;
      if (team && !forgeTeam)
        throw new InputError(
          `team: the organisation ${owner} on the forge at ${
            client.baseUrl
          } has no team ${teamName(team)}`,
        );
      const contentsUrl = `${client.baseUrl}/${full}/src/branch/${upstreamInput.defaultBranch}/`;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would create ${full} on ${
            client.baseUrl
          } and push the workspace${
            forgeTeam ? `, with access for team ${forgeTeam.name}` : ''
          }`,
        );
        ctx.output('remoteUrl', `${client.baseUrl}/${full}.git`);
        ctx.output('repoContentsUrl', contentsUrl);
        return;
      }
      const published = await ctx.checkpoint({
        key: `publish.gitea.${full}`,
        fn: async () => {
          const existing = await client.getRepository(owner, repo);
          if (existing && !existing.empty)
            throw new InputError(
              `repoUrl: ${full} already exists on the forge at ${client.baseUrl} (${existing.htmlUrl})`,
            );
          if (existing) {
            ctx.logger.info(
              `${full} exists with no commit: an earlier attempt stopped before pushing; creating it again`,
            );
            await client.deleteRepository(owner, repo);
          }
          const outputs: Record<string, string> = {};
          await upstream.handler({
            ...ctx,
            input: upstreamInput,
            output: (name: string, value: unknown) => {
              outputs[name] = String(value);
            },
          } as any);
          return outputs;
        },
      });
      if (forgeTeam) {
        await client.addTeamRepository(forgeTeam.id, owner, repo);
        ctx.logger.info(`team ${forgeTeam.name} has access to ${full}`);
      }
      for (const [name, value] of Object.entries(published))
        ctx.output(name as 'remoteUrl', value);
      ctx.logger.info(`published ${full}: ${published.repoContentsUrl}`);
    },
  });
}
