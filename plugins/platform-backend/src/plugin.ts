import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './router';
import { ToolInventory } from './ToolInventory';

/**
 * Reports the external tools the backend found (OPA, OpenTofu) at start and on
 * `GET /api/platform/info`.
 */
export const platformPlugin = createBackendPlugin({
  pluginId: 'platform',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, httpRouter, lifecycle }) {
        const inventory = new ToolInventory(config);
        lifecycle.addStartupHook(async () => {
          for (const tool of await inventory.list()) {
            if (tool.error) {
              logger.warn(`${tool.name}: ${tool.error}`);
            } else {
              logger.info(
                `${tool.name} ${tool.version} at ${tool.path} (from ${tool.source})`,
              );
            }
          }
        });
        httpRouter.use(await createRouter({ inventory }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
