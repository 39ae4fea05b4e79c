import { InputError, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  environmentCreatePermission,
  environmentDeletePermission,
  environmentReadPermission,
  environmentUpdatePermission,
  EnvironmentState,
  ENVIRONMENT_LIST_SCOPES,
  isEnvironmentState,
} from '@internal/plugin-environments-common';
import { parseInput } from '@internal/plugin-platform-node';
import { z } from 'zod';
import { Principal } from '../service/Guardrails';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { EnvironmentFilter } from '../store/types';
import { Access, canSee } from './access';
import { byTime, checkQuery, keysetPage, routerWithIds } from './params';
import { parseLimit, parseSequenceCursor, toPage } from './paging';
import { RouterOptions } from './RouterOptions';

const listQuery = z.object({
  scope: z.enum(ENVIRONMENT_LIST_SCOPES).default('team'),
  state: z.string().max(500, 'must be at most 500 characters').optional(),
  limit: z.unknown().optional(),
  cursor: z.unknown().optional(),
});

/** Which environments a list's scope holds: the caller's requests, their teams', or all. */
function scopeFilter(
  scope: z.infer<typeof listQuery>['scope'],
  principal: Principal,
): EnvironmentFilter {
  if (scope === 'mine') return { requestedBy: principal.userEntityRef };
  if (scope === 'team') return { owners: principal.ownershipEntityRefs };
  return {};
}

/** A page of an environment's history, oldest first, without the rows' own ids. */
async function historyPage(
  store: EnvironmentStore,
  id: string,
  limitValue: unknown,
  cursorValue: unknown,
) {
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
}

/**
 * The environments themselves: request (POST /environments), list, read with history, extend,
 * destroy and retry a quarantined destroy. Each checks its permission; the list applies the
 * policy's conditional decision to every environment of the stored page.
 */
export function environmentsRouter(options: RouterOptions) {
  const { store, service } = options;
  const access = new Access(options);
  const router = routerWithIds();

  router.post('/environments', async (req, res) => {
    const principal = await access.authorize(req, environmentCreatePermission);
    const { environment, reasons } = await service.create(principal, req.body);
    res
      .status(environment.state === 'pending_approval' ? 202 : 201)
      .json({ environment, reasons });
  });

  router.get('/environments', async (req, res) => {
    checkQuery(req, ['scope', 'state', 'limit', 'cursor']);
    const query = parseInput(listQuery, req.query);
    const page = keysetPage('environments', req);
    const states = query.state?.split(',');
    if (states?.some(s => !isEnvironmentState(s)))
      throw new InputError(
        `state: must be a comma-separated list of environment states`,
      );
    const { credentials, principal } = await access.principalOf(req);
    const decision = await access.conditionalDecision(
      credentials,
      environmentReadPermission,
    );
    if (decision.result === AuthorizeResult.DENY)
      throw new NotAllowedError('environments.environment.read is not allowed');
    const filter = scopeFilter(query.scope, principal);
    // The next cursor comes from the stored page, so a conditional decision may make a page
    // shorter than the limit; follow nextCursor until there is none.
    const { items, nextCursor } = toPage(
      await store.listPage(
        { ...filter, states: states as EnvironmentState[] | undefined },
        page,
      ),
      page.limit,
      byTime,
    );
    res.json({ items: items.filter(e => canSee(decision, e)), nextCursor });
  });

  router.get('/environments/:id', async (req, res) => {
    await access.authorize(req, environmentReadPermission, req.params.id);
    const environment = await store.get(req.params.id);
    const history = await historyPage(
      store,
      req.params.id,
      undefined,
      undefined,
    );
    res.json({
      environment,
      history: history.items,
      historyNextCursor: history.nextCursor,
    });
  });

  router.get('/environments/:id/history', async (req, res) => {
    checkQuery(req, ['limit', 'cursor']);
    await access.authorize(req, environmentReadPermission, req.params.id);
    res.json(
      await historyPage(
        store,
        req.params.id,
        req.query.limit,
        req.query.cursor,
      ),
    );
  });

  router.post('/environments/:id/extend', async (req, res) => {
    const principal = await access.authorize(
      req,
      environmentUpdatePermission,
      req.params.id,
    );
    res.json({
      environment: await service.extend(principal, req.params.id, req.body),
    });
  });

  router.post('/environments/:id/destroy', async (req, res) => {
    const principal = await access.authorize(
      req,
      environmentDeletePermission,
      req.params.id,
    );
    res
      .status(202)
      .json({ environment: await service.destroy(principal, req.params.id) });
  });

  router.post('/environments/:id/retry', async (req, res) => {
    const principal = await access.authorize(
      req,
      environmentDeletePermission,
      req.params.id,
    );
    res
      .status(202)
      .json({ environment: await service.retry(principal, req.params.id) });
  });

  return router;
}
