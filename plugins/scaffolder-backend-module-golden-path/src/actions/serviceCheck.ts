import { UserInfoService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, NotAllowedError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { OpaClient, permissionInput } from '@internal/plugin-opa-node';
import { forgeTarget, serviceNameProblem } from '../forge/forgeTarget';
import { examples } from './serviceCheck.examples';

/** The permission the guardrail is asked about (policies/portal/services.rego). */
export const SERVICE_CREATE_PERMISSION = {
  type: 'basic' as const,
  name: 'golden-path.service.create',
  attributes: { action: 'create' as const },
};

interface ServiceDecision {
  decision: 'allow' | 'deny';
  reasons: string[];
}

/**
 * `golden-path:service:check`: the first step of a golden path, before anything is created. It
 * refuses a bad name, asks OPA whether the person running the template may create this service for
 * this team (data.portal.services.create; the reasons are shown), and checks that the forge answers
 * and has no repository of that name. The answer is a checkpoint, so a task recovered after the
 * repository was created by a later step passes again instead of failing on its own repository.
 */
export function createServiceCheckAction(options: {
  opa: OpaClient;
  userInfo: UserInfoService;
  integrations: ScmIntegrationRegistry;
  config: Config;
}) {
  const { opa, userInfo, integrations, config } = options;
  const forge = config.getOptionalConfig('goldenPath.forge');
  return createTemplateAction({
    id: 'golden-path:service:check',
    description:
      "Checks a new service before anything is created: its name, the platform's guardrail (OPA) for the owner team, and that its repository does not exist yet.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('The service name'),
        owner: z => z.string().describe('The owner team, group:default/<team>'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'The repository to be created (RepoUrlPicker format); default: goldenPath.forge',
            ),
        template: z =>
          z.string().optional().describe('The golden path, for the audit'),
      },
      output: {
        decision: z => z.string(),
        repoUrl: z => z.string().optional(),
        repoSlug: z => z.string().optional(),
        forgeUrl: z => z.string().optional(),
        portalUrl: z => z.string(),
      },
    },
    async handler(ctx) {
      const { name, owner, template } = ctx.input;
      const problem = serviceNameProblem(name);
      if (problem) throw new InputError(`name: '${name}' ${problem}`);
      const repoUrl =
        ctx.input.repoUrl ??
        (forge &&
          `${forge.getString('host')}?owner=${forge.getString(
            'organisation',
          )}&repo=${name}`);
      const target = repoUrl ? forgeTarget(repoUrl, integrations) : undefined;
      if (target && target.repo !== name)
        throw new InputError(
          `repoUrl: the repository is named ${target.repo}, the service ${name}; they must be the same`,
        );
      await ctx.checkpoint({
        key: `golden-path.service.check.${name}`,
        fn: async () => {
          const user = await userInfo.getUserInfo(
            await ctx.getInitiatorCredentials(),
          );
          const input = permissionInput({
            permission: SERVICE_CREATE_PERMISSION,
            user,
            plugin: 'scaffolder',
            resource: { name, owner, template: template ?? null },
          });
          const { result } = await opa.query<ServiceDecision>(
            'portal/services/create',
            input,
          );
          if (result.decision !== 'allow')
            throw new NotAllowedError(
              `the platform's guardrail refused ${name} for ${owner}: ${result.reasons.join(
                '; ',
              )}`,
            );
          if (target) {
            const existing = await target.client.getRepository(
              target.owner,
              target.repo,
            );
            if (existing)
              throw new InputError(
                `repoUrl: ${existing.fullName} already exists on the forge at ${target.client.baseUrl} (${existing.htmlUrl}); choose another name`,
              );
          }
          return { decision: 'allow' };
        },
      });
      ctx.logger.info(
        `${name} for ${owner}: allowed by the guardrail${
          target ? `; ${target.owner}/${target.repo} is free on the forge` : ''
        }`,
      );
      ctx.output('decision', 'allow');
      ctx.output('portalUrl', config.getString('backend.baseUrl'));
      if (target) {
        ctx.output('repoUrl', repoUrl!);
        ctx.output('repoSlug', `${target.owner}/${target.repo}`);
        ctx.output('forgeUrl', target.client.baseUrl);
      }
    },
  });
}
