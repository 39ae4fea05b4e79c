import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { opaClientServiceRef } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import { registerEnvironmentsActions } from './actions';
import { BlueprintCatalog } from './blueprints/BlueprintCatalog';
import { readEnvironmentsConfig } from './config';
import { startJobs } from './jobs/startJobs';
import { environmentResourceType } from './permissions/environmentResourceType';
import { createRouter } from './router';
import { TofuRunner } from './runner/TofuRunner';
import { EnvironmentService } from './service/EnvironmentService';
import { Guardrails } from './service/Guardrails';
import { listenToChanges } from './service/listenToChanges';
import { RefusalRateLimit } from './service/RefusalRateLimit';
import { openStore } from './store/openStore';

/** The sandbox environment vending service: wiring only (config.ts, jobs/, router/ hold the rest). */
export const environmentsPlugin = createBackendPlugin({
  pluginId: 'environments',
  register(env) {
    env.registerInit({
      deps: {
        rootConfig: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        opa: opaClientServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
      },
      async init(d) {
        const { logger, lifecycle } = d;
        // Stops, naming the key, on a value it cannot use (in production: a development secret).
        const config = readEnvironmentsConfig(d.rootConfig);
        config.secrets.warnings.forEach(w => logger.warn(w));
        const store = await openStore(d.database, config, logger);
        const blueprints = BlueprintCatalog.open(config.blueprints, logger);
        lifecycle.addShutdownHook(() => blueprints.stop());
        const { path: binary } = await findTool(d.rootConfig, 'tofu');
        const runner = new TofuRunner({ ...config.runner, binary });
        lifecycle.addShutdownHook(() => runner.close());
        const refusalLimit = RefusalRateLimit.fromConfig(
          store,
          config.refusals,
        );
        const guardrails = new Guardrails(d.opa);
        const deps = { ...d, config, store, blueprints, runner, guardrails };
        const service = new EnvironmentService({ ...deps, refusalLimit });
        listenToChanges({ ...d, store, config });
        d.permissionsRegistry.addResourceType(environmentResourceType(store));
        await startJobs({ ...deps, service });
        d.httpRouter.use(await createRouter({ ...deps, service }));
        registerEnvironmentsActions({
          ...deps,
          service,
          registry: d.actionsRegistry,
        });
      },
    });
  },
});
