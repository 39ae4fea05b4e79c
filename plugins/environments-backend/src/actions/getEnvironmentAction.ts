import { environmentReadPermission } from '@internal/plugin-environments-common';
import { PAGE_LIMITS } from '../limits';
import { ActionDeps } from './ActionDeps';
import { environmentSchema, toWire } from './environmentOutput';

/** environments:get-environment — one environment, with its latest history. */
export function registerGetEnvironmentAction({
  registry,
  access,
  store,
}: ActionDeps) {
  registry.register({
    name: 'get-environment',
    title: 'Get a sandbox environment',
    description:
      'Gets one sandbox environment by id: its state, owner, expiry, cost per hour, drift flag and ' +
      'non-secret outputs (for example a URL), and its history of state changes with who ' +
      'made each and why. Poll it after request-environment until the state is active (or ' +
      'pending_approval, rejected or failed). Secret outputs are never included.',
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z.object({
          id: z.string().uuid().describe('The environment id'),
        }),
      output: z =>
        z.object({
          environment: environmentSchema(z),
          history: z.array(
            z.object({
              from: z.string().optional(),
              to: z.string(),
              actor: z.string(),
              reason: z.string().optional(),
              at: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      await access.authorizeCredentials(
        credentials,
        environmentReadPermission,
        input.id,
      );
      const environment = await store.get(input.id);
      const { default: limit } = PAGE_LIMITS.history;
      const history = await store.history.page(input.id, { limit });
      return {
        output: {
          environment: toWire(environment),
          history: history.slice(0, limit).map(h => ({
            from: h.from ?? undefined,
            to: h.to,
            actor: h.actor,
            reason: h.reason ?? undefined,
            at: h.at.toISOString(),
          })),
        },
      };
    },
  });
}
