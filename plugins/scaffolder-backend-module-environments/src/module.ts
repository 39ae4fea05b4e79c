import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createEnvironmentActions } from './actions';
import { EnvironmentsClient } from './EnvironmentsClient';

/** Adds environment:create, environment:extend and environment:destroy to the scaffolder. */
export const scaffolderModuleEnvironments = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'environments',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        const client = new EnvironmentsClient({ discovery, auth });
        scaffolder.addActions(
          ...createEnvironmentActions({
            client,
            appBaseUrl: config.getString('app.baseUrl'),
            pollIntervalMs: config.getOptionalNumber(
              'environments.scaffolder.pollIntervalMs',
            ),
          }),
        );
      },
    });
  },
});
