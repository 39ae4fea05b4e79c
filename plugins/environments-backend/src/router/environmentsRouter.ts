import { InputError } from '@backstage/errors';
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
import { EnvironmentStore } from '../store/EnvironmentStore';
import { EnvironmentQueries } from '../service/EnvironmentQueries';
import { Access } from './access';
import { checkQuery, keysetPage, routerWithIds } from './params';
import { parseLimit, parseSequenceCursor, toPage } from './paging';
import { RouterOptions } from './RouterOptions';

const listQuery = z.object({
  scope: z.enum(ENVIRONMENT_LIST_SCOPES).default('team'),
  state: z.string().max(500, 'must be at most 500 characters').optional(),
  limit: z.unknown().optional(),
  cursor: z.unknown().optional(),
});

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
  const queries = new EnvironmentQueries(options);
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
    res.json(
      await queries.list(credentials, principal, {
        scope: query.scope,
        states: states as EnvironmentState[] | undefined,
        ...page,
      }),
    );
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
