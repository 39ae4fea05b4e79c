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
import {
  OpaClient,
  permissionInput,
  PERMISSIONS_DECISION_PATH,
} from '@internal/plugin-opa-node';
import { Request } from 'express';
import { Principal } from '../service/Guardrails';

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
      /** Asked for the policy's reasons when a permission is refused; without it, none are given. */
      opa?: OpaClient;
    },
  ) {}

  /** The user's credentials and who they are; 401 for anything but a user. */
  async principalOf(
    req: Request,
  ): Promise<{ credentials: BackstageCredentials; principal: Principal }> {
    const credentials = await this.deps.httpAuth.credentials(req, {
      allow: ['user'],
    });
    return { credentials, principal: await this.whoIs(credentials) };
  }

  /** Who the credentials' user is, with the entities they own through (their teams). */
  async whoIs(credentials: BackstageCredentials): Promise<Principal> {
    if ((credentials.principal as { type?: string }).type !== 'user')
      throw new NotAllowedError('only a signed-in user may do this');
    const info = await this.deps.userInfo.getUserInfo(credentials);
    return {
      userEntityRef: info.userEntityRef,
      ownershipEntityRefs: info.ownershipEntityRefs,
    };
  }

  /** The caller, when `permission` (on `resourceRef`, for a resource permission) is allowed; 403 otherwise. */
  async authorize(
    req: Request,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<Principal> {
    const { credentials } = await this.principalOf(req);
    return this.authorizeCredentials(credentials, permission, resourceRef);
  }

  /** As authorize, for credentials that did not come with an HTTP request (an action's). */
  async authorizeCredentials(
    credentials: BackstageCredentials,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ): Promise<Principal> {
    const principal = await this.whoIs(credentials);
    const [decision] = await this.deps.permissions.authorize(
      [
        resourceRef
          ? { permission: permission as ResourcePermission, resourceRef }
          : { permission: permission as BasicPermission },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      const why = await this.reasons(principal, permission);
      throw new NotAllowedError(
        `${permission.name} is not allowed for ${principal.userEntityRef}${
          why ? `: ${why}` : ''
        }`,
      );
    }
    return principal;
  }

  /** The policy's reasons for its decision on `permission`, for a refusal's message; '' when OPA cannot say. */
  private async reasons(
    principal: Principal,
    permission: BasicPermission | ResourcePermission,
  ): Promise<string> {
    if (!this.deps.opa) return '';
    try {
      const input = permissionInput({
        permission,
        user: principal,
        plugin: 'environments',
      });
      const { result } = await this.deps.opa.query<{ reasons?: unknown }>(
        PERMISSIONS_DECISION_PATH,
        input,
      );
      const reasons = Array.isArray(result?.reasons) ? result.reasons : [];
      return reasons.filter(r => typeof r === 'string').join('; ');
    } catch {
      return '';
    }
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
