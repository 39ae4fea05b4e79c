import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  environmentApprovePermission,
  environmentCreatePermission,
  environmentDeletePermission,
  environmentLogsReadPermission,
  environmentReadPermission,
  environmentSecretsReadPermission,
  environmentUpdatePermission,
  EnvironmentState,
  isEnvironmentState,
  LIVE_STATES,
} from '@internal/plugin-environments-common';
import express, { NextFunction, Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { BlueprintCatalog } from './blueprints/BlueprintCatalog';
import { bodyError } from './bodyErrors';
import { environmentEntity } from './catalogEntities';
import { MAX_BODY, PagedList } from './limits';
import {
  encodeKeyset,
  parseKeyset,
  parseLimit,
  parseNameCursor,
  parseSequenceCursor,
  toPage,
} from './paging';
import { environmentRules } from './permissions/rules';
import {
  EnvironmentService,
  fieldName,
  inputError,
} from './service/EnvironmentService';
import { TooManyRequestsError } from './service/RefusalRateLimit';
import { EnvironmentStore } from './store/EnvironmentStore';
import { EnvironmentRecord } from './store/types';

const canSee = createConditionAuthorizer(environmentRules);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the catalog mirrors: every environment that is not gone, awaiting approval included. */
const NOT_GONE: EnvironmentState[] = ['pending_approval', ...LIVE_STATES];

/** The query parameters a list takes; any other is a 400 naming it. */
function checkQuery(req: Request, allowed: string[]) {
  for (const key of Object.keys(req.query)) {
    if (!allowed.includes(key)) {
      throw new InputError(
        `${fieldName([
          key,
        ])}: is not a query parameter of this list (it takes: ${allowed.join(
          ', ',
        )})`,
      );
    }
  }
}

const keysetPage = (list: PagedList, req: Request) => ({
  limit: parseLimit(list, req.query.limit),
  cursor: parseKeyset(req.query.cursor),
});
const byTime = (r: { createdAt: Date; id: string }) =>
  encodeKeyset({ at: r.createdAt.getTime(), id: r.id });

/** The environments REST API, under /api/environments. Identity only ever comes from credentials. */
export async function createRouter(options: {
  store: EnvironmentStore;
  service: EnvironmentService;
  blueprints: BlueprintCatalog;
  appBaseUrl: string;
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
}): Promise<express.Router> {
  const {
    store,
    service,
    blueprints,
    httpAuth,
    userInfo,
    permissions,
    appBaseUrl,
  } = options;
  const router = Router();
  router.use(express.json({ limit: MAX_BODY }));

  // Ids in paths are UUIDs; anything else names the parameter (and never reaches the database).
  for (const param of ['id', 'runId']) {
    router.param(
      param,
      (_req: Request, _res: Response, next: NextFunction, value: string) => {
        next(
          UUID.test(value)
            ? undefined
            : new InputError(
                `${param}: must be an id this API gave out (a UUID)`,
              ),
        );
      },
    );
  }

  const principalOf = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const info = await userInfo.getUserInfo(credentials);
    return {
      credentials,
      principal: {
        userEntityRef: info.userEntityRef,
        ownershipEntityRefs: info.ownershipEntityRefs,
      },
    };
  };

  const authorize = async (
    req: Request,
    permission: BasicPermission | ResourcePermission,
    resourceRef?: string,
  ) => {
    const { credentials, principal } = await principalOf(req);
    const [decision] = await permissions.authorize(
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
  };

  const conditionalDecision = async (
    credentials: BackstageCredentials,
    permission: ResourcePermission,
  ): Promise<PolicyDecision> => {
    const [decision] = await permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return decision;
  };

  /** For the catalog's entity provider (service callers only): every environment that is not gone, a page at a time. */
  router.get('/catalog-entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    checkQuery(req, ['limit', 'cursor']);
    const page = keysetPage('environments', req);
    const { items, nextCursor } = toPage(
      await store.listPage({ states: NOT_GONE }, page),
      page.limit,
      byTime,
    );
    res.json({
      items: items.map(e => environmentEntity(e, appBaseUrl)),
      nextCursor,
    });
  });

  router.get('/blueprints', async (req, res) => {
    await principalOf(req);
    checkQuery(req, ['limit', 'cursor']);
    const limit = parseLimit('blueprints', req.query.limit);
    const after = parseNameCursor(req.query.cursor);
    const sorted = blueprints
      .list()
      .map(b => ({
        ...b.blueprint.metadata,
        ...b.blueprint.spec,
        module: undefined,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .filter(b => after === undefined || b.name > after);
    const { items, nextCursor } = toPage(
      sorted.slice(0, limit + 1),
      limit,
      b => b.name,
    );
    res.json({
      items,
      nextCursor,
      // only on the first page: the files that did not load, for the platform team
      errors:
        after === undefined
          ? blueprints.errors().map(e => ({ file: e.file, message: e.message }))
          : [],
    });
  });

  router.post('/environments', async (req, res) => {
    const principal = await authorize(req, environmentCreatePermission);
    const { environment, reasons } = await service.create(principal, req.body);
    res
      .status(environment.state === 'pending_approval' ? 202 : 201)
      .json({ environment, reasons });
  });

  const listQuery = z.object({
    scope: z.enum(['mine', 'team', 'all']).default('team'),
    state: z.string().max(500, 'must be at most 500 characters').optional(),
    limit: z.unknown().optional(),
    cursor: z.unknown().optional(),
  });

  router.get('/environments', async (req, res) => {
    checkQuery(req, ['scope', 'state', 'limit', 'cursor']);
    const parsed = listQuery.safeParse(req.query);
    if (!parsed.success) throw inputError(parsed.error);
    const page = keysetPage('environments', req);
    const states = parsed.data.state?.split(',');
    if (states?.some(s => !isEnvironmentState(s)))
      throw new InputError(
        `state: must be a comma-separated list of environment states`,
      );
    const { credentials, principal } = await principalOf(req);
    const decision = await conditionalDecision(
      credentials,
      environmentReadPermission,
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError('environments.environment.read is not allowed');
    const filter =
      parsed.data.scope === 'mine'
        ? { requestedBy: principal.userEntityRef }
        : parsed.data.scope === 'team'
        ? { owners: principal.ownershipEntityRefs }
        : {};
    // The next cursor comes from the stored page, so a conditional decision may make a page
    // shorter than the limit; follow nextCursor until there is none.
    const { items, nextCursor } = toPage(
      await store.listPage({ ...filter, states: states as any }, page),
      page.limit,
      byTime,
    );
    res.json({ items: items.filter(e => canSee(decision, e)), nextCursor });
  });

  const historyPage = async (
    id: string,
    limitValue: unknown,
    cursorValue: unknown,
  ) => {
    const limit = parseLimit('history', limitValue);
    const afterId = parseSequenceCursor('cursor', cursorValue);
    const page = toPage(
      await store.history.page(id, { limit, afterId }),
      limit,
      h => String(h.id),
    );
    return {
      items: page.items.map(({ id: _rowId, ...h }) => h),
      nextCursor: page.nextCursor,
    };
  };

  router.get('/environments/:id', async (req, res) => {
    await authorize(req, environmentReadPermission, req.params.id);
    const environment = await store.get(req.params.id);
    const history = await historyPage(req.params.id, undefined, undefined);
    res.json({
      environment,
      history: history.items,
      historyNextCursor: history.nextCursor,
    });
  });

  router.get('/environments/:id/history', async (req, res) => {
    checkQuery(req, ['limit', 'cursor']);
    await authorize(req, environmentReadPermission, req.params.id);
    res.json(
      await historyPage(req.params.id, req.query.limit, req.query.cursor),
    );
  });

  router.get('/environments/:id/runs', async (req, res) => {
    checkQuery(req, ['limit', 'cursor']);
    const page = keysetPage('runs', req);
    await authorize(req, environmentLogsReadPermission, req.params.id);
    res.json(
      toPage(await store.runs.page(req.params.id, page), page.limit, byTime),
    );
  });

  router.get('/environments/:id/runs/:runId/logs', async (req, res) => {
    checkQuery(req, ['after', 'cursor', 'limit']);
    if (req.query.after !== undefined && req.query.cursor !== undefined)
      throw new InputError('cursor: give either after or cursor, not both');
    const field = req.query.cursor !== undefined ? 'cursor' : 'after';
    const after = parseSequenceCursor(field, req.query[field]) ?? 0;
    const limit = parseLimit('logs', req.query.limit);
    await authorize(req, environmentLogsReadPermission, req.params.id);
    const run = await store.runs.get(req.params.runId);
    if (run.environmentId !== req.params.id)
      throw new InputError('runId: is not a run of this environment');
    const { items, nextCursor } = toPage(
      await store.runs.logs(run.id, after, limit + 1),
      limit,
      l => String(l.seq),
    );
    res.json({ run, items, nextCursor });
  });

  router.get('/environments/:id/secrets', async (req, res) => {
    await authorize(req, environmentSecretsReadPermission, req.params.id);
    res.json({ secrets: await store.secrets.outputs(req.params.id) });
  });

  router.post('/environments/:id/extend', async (req, res) => {
    const principal = await authorize(
      req,
      environmentUpdatePermission,
      req.params.id,
    );
    res.json({
      environment: await service.extend(principal, req.params.id, req.body),
    });
  });

  router.post('/environments/:id/destroy', async (req, res) => {
    const principal = await authorize(
      req,
      environmentDeletePermission,
      req.params.id,
    );
    res
      .status(202)
      .json({ environment: await service.destroy(principal, req.params.id) });
  });

  router.post('/environments/:id/retry', async (req, res) => {
    const principal = await authorize(
      req,
      environmentDeletePermission,
      req.params.id,
    );
    res
      .status(202)
      .json({ environment: await service.retry(principal, req.params.id) });
  });

  /**
   * Approve and reject: a resource permission on the environment. The policy may answer with a
   * condition (four eyes: not the requester), applied here to the stored environment; a refusal
   * by that condition says why, since the permission framework passes no reasons with a condition.
   */
  const mayDecide = async (req: Request, env: EnvironmentRecord) => {
    const { credentials, principal } = await principalOf(req);
    const decision = await conditionalDecision(
      credentials,
      environmentApprovePermission,
    );
    const who = principal.userEntityRef;
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError(
        `environments.request.approve is not allowed for ${who}`,
      );
    if (
      decision.result === AuthorizeResult.CONDITIONAL &&
      !canSee(decision, env)
    ) {
      if (env.requestedBy === who) {
        throw new NotAllowedError(
          `environments.request.approve is not allowed for ${who} on this environment: four eyes, a request is approved ` +
            `or rejected by someone other than its requester, and you requested it; ask another platform engineer`,
        );
      }
      throw new NotAllowedError(
        `environments.request.approve is not allowed for ${who} on this environment (the policy's conditions do not hold)`,
      );
    }
    return principal;
  };

  const decision = z
    .object({
      reason: z.string().max(500, 'must be at most 500 characters').optional(),
    })
    .strict();
  for (const [path, approve] of [
    ['approve', true],
    ['reject', false],
  ] as const) {
    router.post(`/environments/:id/${path}`, async (req, res) => {
      const parsed = decision.safeParse(req.body ?? {});
      if (!parsed.success) throw inputError(parsed.error);
      const principal = await mayDecide(req, await store.get(req.params.id));
      res.json({
        environment: await service.decide(
          principal,
          req.params.id,
          approve,
          parsed.data.reason,
        ),
      });
    });
  }

  // Unreadable bodies name the body; a refusal over the rate limit says when to try again.
  router.use(
    (err: unknown, _req: Request, res: Response, next: NextFunction) => {
      if (err instanceof TooManyRequestsError)
        res.set('Retry-After', String(err.retryAfterSeconds));
      next(bodyError(err));
    },
  );

  return router;
}
