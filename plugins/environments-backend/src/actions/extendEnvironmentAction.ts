import { environmentUpdatePermission } from '@internal/plugin-environments-common';
import { ActionDeps } from './ActionDeps';
import { environmentSchema, toWire } from './environmentOutput';

/** environments:extend-environment — more hours for an active environment, within the policy. */
export function registerExtendEnvironmentAction({
  registry,
  access,
  service,
}: ActionDeps) {
  registry.register({
    name: 'extend-environment',
    title: 'Extend a sandbox environment',
    description:
      "Gives an active sandbox environment of the user's team more hours before it is destroyed. " +
      "The total life may not exceed the blueprint's maximum TTL, and the guardrails may refuse " +
      '(the error says why). Answers the environment with its new expiresAt.',
    attributes: { readOnly: false, destructive: false, idempotent: false },
    schema: {
      input: z =>
        z
          .object({
            id: z.string().uuid().describe('The environment id'),
            hours: z
              .number()
              .describe('How many hours more, from now or from its expiry'),
          })
          .strict(),
      output: z => z.object({ environment: environmentSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      const principal = await access.authorizeCredentials(
        credentials,
        environmentUpdatePermission,
        input.id,
      );
      const environment = await service.extend(
        { ...principal, via: 'action' },
        input.id,
        { hours: input.hours },
      );
      return { output: { environment: toWire(environment) } };
    },
  });
}
