import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { Access } from '../router/access';
import { EnvironmentQueries } from '../service/EnvironmentQueries';
import { EnvironmentService } from '../service/EnvironmentService';
import { EnvironmentStore } from '../store/EnvironmentStore';

/**
 * What the environments' actions are made from: the same access checks, queries and service as the
 * REST API, so that an agent can do exactly what its user could do in the portal, and no more.
 */
export interface ActionDeps {
  registry: ActionsRegistryService;
  access: Access;
  queries: EnvironmentQueries;
  service: EnvironmentService;
  store: EnvironmentStore;
  blueprints: BlueprintCatalog;
}
