import { Access } from '../router/access';
import { EnvironmentQueries } from '../service/EnvironmentQueries';
import { ActionDeps } from './ActionDeps';
import { registerDestroyEnvironmentAction } from './destroyEnvironmentAction';
import { registerExtendEnvironmentAction } from './extendEnvironmentAction';
import { registerGetEnvironmentAction } from './getEnvironmentAction';
import { registerListBlueprintsAction } from './listBlueprintsAction';
import { registerListEnvironmentsAction } from './listEnvironmentsAction';
import { registerRequestEnvironmentAction } from './requestEnvironmentAction';

export type { ActionDeps } from './ActionDeps';

/**
 * The environments' actions in Backstage's actions registry (for AI assistants over MCP, through
 * mcp-actions-backend): each checks the same permission as its REST route, decided by OPA for the
 * calling user, and goes through the same service and guardrails.
 */
export function registerEnvironmentsActions(
  options: Omit<ActionDeps, 'access' | 'queries'> &
    ConstructorParameters<typeof Access>[0],
) {
  const deps: ActionDeps = {
    ...options,
    access: new Access(options),
    queries: new EnvironmentQueries(options),
  };
  registerListBlueprintsAction(deps);
  registerListEnvironmentsAction(deps);
  registerGetEnvironmentAction(deps);
  registerRequestEnvironmentAction(deps);
  registerExtendEnvironmentAction(deps);
  registerDestroyEnvironmentAction(deps);
}
