import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { parseRepoUrl } from '@backstage/plugin-scaffolder-node';
import { GiteaClient } from './GiteaClient';

/** A service's name, and so its repository's: lower-case words joined by single dashes. */
export const SERVICE_NAME_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SERVICE_NAME_MAX_LENGTH = 63;

/** Why `name` is not a service name, or undefined when it is one. */
export function serviceNameProblem(name: string): string | undefined {
  if (name.length > SERVICE_NAME_MAX_LENGTH)
    return `must be at most ${SERVICE_NAME_MAX_LENGTH} characters`;
  if (!SERVICE_NAME_PATTERN.test(name))
    return 'must be lower-case letters and digits in words joined by single dashes (e.g. order-history)';
  return undefined;
}

/**
 * The repository a step's `repoUrl` names (`localhost:3300?owner=acme&repo=order-history`, as the
 * RepoUrlPicker writes it), and a client for its forge from integrations.gitea. Refuses a URL
 * without an owner, a host with no Gitea integration and a repository name outside the pattern.
 */
export function forgeTarget(
  repoUrl: string,
  integrations: ScmIntegrationRegistry,
) {
  let parsed: ReturnType<typeof parseRepoUrl>;
  try {
    parsed = parseRepoUrl(repoUrl, integrations);
  } catch (error) {
    throw new InputError(`repoUrl: ${(error as Error).message}`);
  }
  const { host, owner, repo } = parsed;
  if (!owner)
    throw new InputError(
      `repoUrl: '${repoUrl}' must name the organisation (?owner=acme&repo=<name>)`,
    );
  const problem = serviceNameProblem(repo);
  if (problem) throw new InputError(`repoUrl: the repository name ${problem}`);
  const integration = integrations.gitea.byHost(host);
  if (!integration)
    throw new InputError(
      `repoUrl: no Gitea integration for host ${host} (integrations.gitea[].host)`,
    );
  return { client: new GiteaClient(integration.config), host, owner, repo };
}
