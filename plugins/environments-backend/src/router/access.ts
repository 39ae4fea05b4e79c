import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import { Request } from 'express';
import { environmentRules } from '../permissions/rules';
import { Principal } from '../service/Guardrails';

/** Whether a conditional decision allows an environment (the policy's conditions applied to it). */
export const canSee = createConditionAuthorizer(environmentRules);

/**
 * Who is calling and what they may do. Identity only ever comes from the request's credentials
 * (a signed-in user), and ownership from the user info service.
 */
export class Access {
  constructor(
    private readonly deps: {
      httpAuth: HttpAuthService;
      userInfo: UserInfoService;
      permissions: PermissionsService;
    },
  ) {}

  /** The user's credentials and who they are; 401 for anything but a user. */
  async principalOf(
    req: Request,
  ): Promise<{ credentials: BackstageCredentials; principal: Principal }> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const info = await this.deps.userInfo.getUserInfo(credentials);
    return {
      credentials,
      principal: {
        userEntityRef: info.userEntityRef,
        ownershipEntityRefs: info.ownershipEntityRefs,
      },
    };
  }

  /** The caller, when `permission` (on `resourceRef`, for a resource permission) is allowed; 403 otherwise. */
  async authorize(
    req: Request,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<Principal> {
    const { credentials, principal } = await this.principalOf(req);
    const [decision] = await this.deps.permissions.authorize(
      [
        resourceRef
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `${permission.name} is not allowed for ${principal.userEntityRef}`,
      );
    }
    return principal;
  }

  /** The policy's decision on a resource permission, which may be conditional. */
  async conditionalDecision(
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<PolicyDecision> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  }
}
