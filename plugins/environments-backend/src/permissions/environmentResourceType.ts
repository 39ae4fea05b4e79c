import { PermissionsRegistryServiceAddResourceTypeOptions } from '@backstage/backend-plugin-api';
import {
  ENVIRONMENT_RESOURCE_TYPE,
  environmentPermissions,
} from '@internal/plugin-environments-common';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { EnvironmentRecord } from '../store/types';
import {
  environmentResourceRef,
  EnvironmentQuery,
  environmentRules,
} from './rules';

/**
 * The environment resource type, for the permissions registry: its permissions and rules, and how
 * the permission backend loads environments by id (an unknown id is no resource).
 */
export function environmentResourceType(
  store: Pick<EnvironmentStore, 'get'>,
): PermissionsRegistryServiceAddResourceTypeOptions<
  typeof ENVIRONMENT_RESOURCE_TYPE,
  EnvironmentRecord,
  EnvironmentQuery
> {
  return {
    resourceRef: environmentResourceRef,
    permissions: environmentPermissions,
    rules: environmentRules,
    getResources: async ids =>
      Promise.all(ids.map(id => store.get(id).catch(() => undefined))),
  };
}
