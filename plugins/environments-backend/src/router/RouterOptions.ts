import {
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { OpaClient } from '@internal/plugin-opa-node';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { EnvironmentsConfig } from '../config';
import { EnvironmentService } from '../service/EnvironmentService';
import { EnvironmentStore } from '../store/EnvironmentStore';

/** What the REST API's routers are made from. */
export interface RouterOptions {
  store: EnvironmentStore;
  service: EnvironmentService;
  blueprints: BlueprintCatalog;
  config: Pick<EnvironmentsConfig, 'appBaseUrl'>;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  /** For the policy's reasons in a 403's message. */
  opa?: OpaClient;
}
