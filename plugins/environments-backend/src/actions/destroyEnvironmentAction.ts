import { environmentDeletePermission } from '@internal/plugin-environments-common';
import { ActionDeps } from './ActionDeps';
import { environmentSchema, toWire } from './environmentOutput';

/** environments:destroy-environment — destroys an environment's resources; it cannot be undone. */
export function registerDestroyEnvironmentAction({
  registry,
  access,
  service,
}: ActionDeps) {
  registry.register({
    name: 'destroy-environment',
    title: 'Destroy a sandbox environment',
    description:
      "Destroys a sandbox environment of the user's team and every resource in it, including its " +
      'data. This cannot be undone: ask the user to confirm first. Answers the environment in state ' +
      'destroying; poll get-environment until it is destroyed.',
    attributes: { readOnly: false, destructive: true, idempotent: false },
    schema: {
      input: z =>
        z.object({ id: z.string().uuid().describe('The environment id') }),
      output: z => z.object({ environment: environmentSchema(z) }),
    },
    action: async ({ input, credentials }) => {
      const principal = await access.authorizeCredentials(
        credentials,
        environmentDeletePermission,
        input.id,
      );
      const environment = await service.destroy(
        { ...principal, via: 'action' },
        input.id,
      );
      return { output: { environment: toWire(environment) } };
    },
  });
}
