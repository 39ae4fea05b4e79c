import { createPermission } from '@backstage/plugin-permission-common';

/** The resource type of an environment, for conditional decisions (lists filtered by owner). */
export const ENVIRONMENT_RESOURCE_TYPE = 'environment';

/** Request a new environment (the guardrails in data.portal.environments decide the rest). */
export const environmentCreatePermission = createPermission({
  name: 'environments.environment.create',
  attributes: { action: 'create' },
});

/** See an environment and its history (runs and logs: environmentLogsReadPermission). */
export const environmentReadPermission = createPermission({
  name: 'environments.environment.read',
  attributes: { action: 'read' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** Extend an environment's expiry, or retry its last run. */
export const environmentUpdatePermission = createPermission({
  name: 'environments.environment.update',
  attributes: { action: 'update' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** Destroy an environment. */
export const environmentDeletePermission = createPermission({
  name: 'environments.environment.delete',
  attributes: { action: 'delete' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/**
 * Approve or reject a request that the guardrails sent to approval; a resource permission (the
 * environment), so that the policy can require four eyes (IS_ENVIRONMENT_REQUESTER).
 */
export const environmentApprovePermission = createPermission({
  name: 'environments.request.approve',
  attributes: { action: 'update' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** Read an environment's runs and their logs (the owning team and the platform team). */
export const environmentLogsReadPermission = createPermission({
  name: 'environments.environment.logs.read',
  attributes: { action: 'read' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** Reveal an environment's secret outputs. */
export const environmentSecretsReadPermission = createPermission({
  name: 'environments.environment.secrets.read',
  attributes: { action: 'read' },
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

export const environmentPermissions = [
  environmentCreatePermission,
  environmentReadPermission,
  environmentUpdatePermission,
  environmentDeletePermission,
  environmentApprovePermission,
  environmentSecretsReadPermission,
  environmentLogsReadPermission,
];
