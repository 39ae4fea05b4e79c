import { ENVIRONMENT_RESOURCE_TYPE } from '@internal/plugin-environments-common';
import {
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { EnvironmentRecord } from '../store/types';

/** The environment filter a condition turns into (a store list applies either field). */
export type EnvironmentQuery = { owners: string[] } | { requestedBy: string };

export const environmentResourceRef = createPermissionResourceRef<
  EnvironmentRecord,
  EnvironmentQuery
>().with({
  pluginId: 'environments',
  resourceType: ENVIRONMENT_RESOURCE_TYPE,
});

/** True for environments owned by one of the claims (a team the person is in, or the person). */
export const isEnvironmentOwner = createPermissionRule({
  name: 'IS_ENVIRONMENT_OWNER',
  description:
    'Allow environments owned by one of the given claims, or requested by one of them',
  resourceRef: environmentResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the person and their teams'),
  }),
  apply: (env, { claims }) =>
    claims.includes(env.owner) || claims.includes(env.requestedBy),
  toQuery: ({ claims }) => ({ owners: claims }),
});

/**
 * True for environments requested by the given user. Four eyes on approvals: the policy answers
 * `{"not": IS_ENVIRONMENT_REQUESTER(principal)}` for environments.request.approve.
 */
export const isEnvironmentRequester = createPermissionRule({
  name: 'IS_ENVIRONMENT_REQUESTER',
  description: 'Allow environments requested by the given user',
  resourceRef: environmentResourceRef,
  paramsSchema: z.object({
    userEntityRef: z
      .string()
      .describe('The entity ref of the user who requested the environment'),
  }),
  apply: (env, { userEntityRef }) => env.requestedBy === userEntityRef,
  toQuery: ({ userEntityRef }) => ({ requestedBy: userEntityRef }),
});

export const environmentRules = [isEnvironmentOwner, isEnvironmentRequester];
