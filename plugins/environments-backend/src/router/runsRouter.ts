import { InputError } from '@backstage/errors';
import { environmentLogsReadPermission } from '@internal/plugin-environments-common';
import { Access } from './access';
import { byTime, checkQuery, keysetPage, routerWithIds } from './params';
import { parseLimit, parseSequenceCursor, toPage } from './paging';
import { RouterOptions } from './RouterOptions';

/**
 * An environment's runs (newest first) and a run's log (by line number), for whoever may read its
 * logs (`environments.environment.logs.read`: the owning team and the platform team).
 */
export function runsRouter(options: RouterOptions) {
  const { store } = options;
  const access = new Access(options);
  const router = routerWithIds();

  router.get('/environments/:id/runs', async (req, res) => {
    checkQuery(req, ['limit', 'cursor']);
    const page = keysetPage('runs', req);
    await access.authorize(req, environmentLogsReadPermission, req.params.id);
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
    await access.authorize(req, environmentLogsReadPermission, req.params.id);
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

  return router;
}
