import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  environmentReadPermission,
  EnvironmentListScope,
  EnvironmentState,
} from '@internal/plugin-environments-common';
import { environmentRules } from '../permissions/rules';
import { byTime } from '../router/params';
import { KeysetCursor, toPage } from '../router/paging';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { EnvironmentFilter } from '../store/types';
import { Principal } from './Guardrails';

/** Whether a conditional decision allows an environment (the policy's conditions applied to it). */
export const canSee = createConditionAuthorizer(environmentRules);

/** Which environments a list's scope holds: the caller's requests, their teams', or all. */
function scopeFilter(
  scope: EnvironmentListScope,
  principal: Principal,
): EnvironmentFilter {
  if (scope === 'mine') return { requestedBy: principal.userEntityRef };
  if (scope === 'team') return { owners: principal.ownershipEntityRefs };
  return {};
}

/**
 * What a person may read of environments, shared by the REST API and the actions: a page of a
 * list with the policy's conditional decision applied to every environment of the stored page.
 */
export class EnvironmentQueries {
  constructor(
    private readonly deps: {
      store: EnvironmentStore;
      permissions: PermissionsService;
    },
  ) {}

  /**
   * A page of environments, newest first. The next cursor comes from the stored page, so a
   * conditional decision may make a page shorter than the limit; follow nextCursor until there is
   * none.
   */
  async list(
    credentials: BackstageCredentials,
    principal: Principal,
    query: {
      scope: EnvironmentListScope;
      states?: EnvironmentState[];
      limit: number;
      cursor?: KeysetCursor;
    },
  ) {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: environmentReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError('environments.environment.read is not allowed');
    const filter = scopeFilter(query.scope, principal);
    const { items, nextCursor } = toPage(
      await this.deps.store.listPage(
        { ...filter, states: query.states },
        { limit: query.limit, cursor: query.cursor },
      ),
      query.limit,
      byTime,
    );
    return { items: items.filter(e => canSee(decision, e)), nextCursor };
  }
}
