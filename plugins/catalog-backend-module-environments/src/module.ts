import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { EnvironmentEntityProvider } from './EnvironmentEntityProvider';
import { readProviderSchedule } from './schedule';

/**
 * Environments in the catalog, refreshed on the schedule of
 * `catalog.providers.environments.schedule` (every 15 seconds by default; one replica at a time).
 */
export const catalogModuleEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'environments',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, discovery, auth, logger, scheduler }) {
        const provider = new EnvironmentEntityProvider({
          discovery,
          auth,
          logger,
        });
        catalog.addEntityProvider(provider);
        await scheduler.scheduleTask({
          id: 'environments-entity-provider',
          ...readProviderSchedule(config),
          fn: async () => {
            try {
              await provider.refresh();
            } catch (e) {
              logger.warn(
                `could not refresh environments in the catalog: ${e}`,
              );
            }
          },
        });
      },
    });
  },
});
