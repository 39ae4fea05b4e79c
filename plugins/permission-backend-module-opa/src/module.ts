import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { opaClientServiceRef } from '@internal/plugin-opa-node';
import { ConditionValidator, metadataRuleLoader } from './ConditionValidator';
import { OpaPermissionPolicy } from './OpaPermissionPolicy';
import { RecentRefusals } from './RecentRefusals';
import { createOpaRouter } from './router';

/** Installs the OPA-backed PermissionPolicy in the permission plugin. */
export const permissionModuleOpa = createBackendModule({
  pluginId: 'permission',
  moduleId: 'opa',
  register(reg) {
    reg.registerInit({
      deps: {
        policies: policyExtensionPoint,
        opa: opaClientServiceRef,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
      },
      async init({
        policies,
        opa,
        userInfo,
        auditor,
        logger,
        discovery,
        auth,
        httpAuth,
        httpRouter,
      }) {
        const refusals = new RecentRefusals();
        const policy = new OpaPermissionPolicy({
          refusals,
          opa,
          userInfo,
          auditor,
          logger,
          validator: new ConditionValidator(
            metadataRuleLoader({ discovery, auth }),
          ),
        });
        policies.setPolicy(policy);
        httpRouter.use(
          await createOpaRouter({ policy, opa, httpAuth, userInfo, refusals }),
        );
      },
    });
  },
});
