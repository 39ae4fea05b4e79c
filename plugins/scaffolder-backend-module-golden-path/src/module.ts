import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { opaClientServiceRef } from '@internal/plugin-opa-node';
import {
  createDoraWebhookAction,
  createPublishGiteaResumableAction,
  createServiceCheckAction,
  createTemplateRunAction,
} from './actions';

/**
 * Adds the golden paths' actions to the scaffolder: golden-path:service:check, a resumable
 * publish:gitea (in place of the upstream module's), dora:webhook:create and
 * dora:template-run:record.
 */
export const scaffolderModuleGoldenPath = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-path',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        opa: opaClientServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, userInfo, opa, discovery, auth }) {
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
          createServiceCheckAction({ opa, userInfo, integrations, config }),
          createPublishGiteaResumableAction({ integrations, config }),
          createDoraWebhookAction({ integrations, config }),
          createTemplateRunAction({ discovery, auth }),
        );
      },
    });
  },
});
