import { BackstageUserInfo } from '@backstage/backend-plugin-api';
import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';

/**
 * The input document every question to OPA carries (version 1, see policies/README.md and
 * docs/opa-contract/input.v1.schema.json). Questions about one object add `resource`.
 */
/** Where the portal's policy answers a permission question with this input (policies/portal/permissions.rego). */
export const PERMISSIONS_DECISION_PATH = 'portal/permissions/decision';

export interface OpaInputV1 {
  version: 1;
  principal:
    | { type: 'user'; userEntityRef: string; ownershipEntityRefs: string[] }
    | { type: 'none' };
  permission: {
    name: string;
    type: 'basic' | 'resource';
    resourceType?: string;
    action?: string;
  };
  resource?: unknown;
  context: { plugin?: string; time: string };
}

/**
 * Builds the input for one permission question. The principal comes only from Backstage's
 * credentials (through the user-info service), never from a request body or header.
 */
export function permissionInput(options: {
  permission: Permission;
  user?: BackstageUserInfo;
  plugin?: string;
  resource?: unknown;
  now?: Date;
}): OpaInputV1 {
  const { permission, user, plugin } = options;
  return {
    version: 1,
    principal: user
      ? {
          type: 'user',
          userEntityRef: user.userEntityRef,
          ownershipEntityRefs: [...user.ownershipEntityRefs],
        }
      : { type: 'none' },
    permission: {
      name: permission.name,
      type: permission.type,
      ...(isResourcePermission(permission)
        ? { resourceType: permission.resourceType }
        : {}),
      ...(permission.attributes.action
        ? { action: permission.attributes.action }
        : {}),
    },
    ...(options.resource !== undefined ? { resource: options.resource } : {}),
    context: {
      ...(plugin ? { plugin } : {}),
      time: (options.now ?? new Date()).toISOString(),
    },
  };
}

/** What makes two questions the same for the decision cache: everything but the time. */
export function cacheKeyOf(input: OpaInputV1): string {
  return JSON.stringify([
    input.principal,
    input.permission,
    input.context.plugin ?? null,
  ]);
}

/** The plugin that asked, from the credentials' actor (`plugin:catalog` → `catalog`). */
export function callingPlugin(
  actorSubject: string | undefined,
): string | undefined {
  if (!actorSubject) return undefined;
  return actorSubject.startsWith('plugin:')
    ? actorSubject.slice('plugin:'.length)
    : actorSubject;
}
