import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { doraPermissions } from '@internal/plugin-dora-common';
import { registerDoraActions } from './actions/registerDoraActions';
import { CatalogAttribution } from './attribution/Attribution';
import { readDoraConfig } from './config';
import { DeliveryProcessor } from './ingest/DeliveryProcessor';
import { scheduleDoraJobs } from './jobs';
import { DoraMetricsService } from './metrics/DoraMetricsService';
import { PlatformMetrics } from './platform/PlatformMetrics';
import { createRouter } from './router';
import { ScorecardDefinitions } from './scorecards/ScorecardDefinitions';
import { ScorecardService } from './scorecards/ScorecardService';
import { DoraStore } from './store/DoraStore';
import { ScorecardStore } from './store/ScorecardStore';

/** Webhook paths, for the root HTTP router (webhookRootHttpRouterServiceFactory in platform-node). */
export const DORA_WEBHOOK_PATHS = ['/api/dora/webhooks/'];

/** DORA metrics: config in config.ts, scheduled jobs in jobs/, routes in router/, actions in actions/ (README). */
export const doraPlugin = createBackendPlugin({
  pluginId: 'dora',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { logger, database, lifecycle, httpRouter } = deps;
        const config = readDoraConfig(deps.rootConfig); // refuses development defaults in production
        const knex = await database.getClient();
        const skip = database.migrations?.skip;
        const store = await DoraStore.create(knex, { skipMigrations: skip });
        const attribution = new CatalogAttribution(deps);
        const processor = new DeliveryProcessor(
          { store, attribution, sources: config.sources, logger },
          config.processor,
        );
        lifecycle.addShutdownHook(() => processor.idle());
        const metrics = new DoraMetricsService(store, config.metrics);
        const platform = new PlatformMetrics(store);
        // a local folder, watched; a folder in git is read by its job (jobs/)
        const definitions = ScorecardDefinitions.fromConfig(
          config.scorecards,
          deps,
        );
        const cards = { definitions, metrics, store: new ScorecardStore(knex) };
        const scorecards = new ScorecardService({ ...deps, ...cards });
        const services = { store, processor, metrics, platform, scorecards };
        deps.permissionsRegistry.addPermissions(doraPermissions);
        await scheduleDoraJobs({ ...deps, ...services, definitions, config });
        const routes = { ...deps, ...services, definitions, config };
        httpRouter.addAuthPolicy({
          path: '/webhooks',
          allow: 'unauthenticated',
        });
        httpRouter.use(await createRouter(routes));
        registerDoraActions(routes); // the same reads as actions, for MCP (actions/)
      },
    });
  },
});
