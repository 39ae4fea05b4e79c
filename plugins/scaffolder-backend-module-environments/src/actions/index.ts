import { EnvironmentsClient } from '../EnvironmentsClient';
import { createEnvironmentCreateAction } from './create';
import { createEnvironmentDestroyAction } from './destroy';
import { createEnvironmentExtendAction } from './extend';

export { createEnvironmentCreateAction } from './create';
export { createEnvironmentDestroyAction } from './destroy';
export { createEnvironmentExtendAction } from './extend';

/** environment:create, environment:extend and environment:destroy, sharing one client. */
export function createEnvironmentActions(options: {
  client: EnvironmentsClient;
  appBaseUrl: string;
  pollIntervalMs?: number;
}) {
  return [
    createEnvironmentCreateAction(options),
    createEnvironmentExtendAction(options),
    createEnvironmentDestroyAction(options),
  ];
}
