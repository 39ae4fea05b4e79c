import { createAccess } from '../router/access';
import { registerGetDoraDrilldown } from './getDoraDrilldown';
import { registerGetDoraMetrics } from './getDoraMetrics';
import { registerGetScorecard } from './getScorecard';
import { DoraActionsOptions } from './shared';

/**
 * The dora actions in the actions registry (reached by AI agents over MCP): the metrics, their
 * rows and a component's scorecards, each with the REST route's permission and catalog checks on
 * the caller's own credentials.
 */
export function registerDoraActions(
  options: Omit<DoraActionsOptions, 'access'> &
    Parameters<typeof createAccess>[0],
) {
  const actions = { ...options, access: createAccess(options) };
  registerGetDoraMetrics(actions);
  registerGetDoraDrilldown(actions);
  registerGetScorecard(actions);
}
