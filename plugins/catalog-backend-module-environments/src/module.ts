import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { EnvironmentEntityProvider } from './EnvironmentEntityProvider';

/** Environments in the catalog, refreshed every 15 seconds (one replica at a time). */
export const catalogModuleEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'environments',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, discovery, auth, logger, scheduler }) {
        const provider = new EnvironmentEntityProvider({
          discovery,
          auth,
          logger,
        });
        catalog.addEntityProvider(provider);
        await scheduler.scheduleTask({
          id: 'environments-entity-provider',
          frequency: { seconds: 15 },
          timeout: { minutes: 1 },
          initialDelay: { seconds: 5 },
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
