import Router from 'express-promise-router';
import { Access } from './access';
import { checkQuery } from './params';
import { parseLimit, parseNameCursor, toPage } from './paging';
import { RouterOptions } from './RouterOptions';

/** By name, in code unit order (the order the name cursor compares in). */
function byName(a: { name: string }, b: { name: string }): number {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
}

/**
 * GET /blueprints: the blueprints that loaded, by name, a page at a time (signed-in users); the
 * first page also lists the files that did not load, with the reason, for the platform team.
 */
export function blueprintsRouter(options: RouterOptions) {
  const { blueprints } = options;
  const access = new Access(options);
  const router = Router();
  router.get('/blueprints', async (req, res) => {
    await access.principalOf(req);
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
      .sort(byName)
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
  return router;
}
