import { NOT_GONE_STATES } from '@internal/plugin-environments-common';
import Router from 'express-promise-router';
import { environmentEntity } from '../catalogEntities';
import { byTime, checkQuery, keysetPage } from './params';
import { toPage } from './paging';
import { RouterOptions } from './RouterOptions';

/**
 * GET /catalog-entities, for the catalog's entity provider (service callers only): every
 * environment that is not gone, awaiting approval included, as a Resource entity, a page at a time.
 */
export function catalogRouter({ store, httpAuth, config }: RouterOptions) {
  const router = Router();
  router.get('/catalog-entities', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['service'] });
    checkQuery(req, ['limit', 'cursor']);
    const page = keysetPage('environments', req);
    const { items, nextCursor } = toPage(
      await store.listPage({ states: [...NOT_GONE_STATES] }, page),
      page.limit,
      byTime,
    );
    res.json({
      items: items.map(e => environmentEntity(e, config.appBaseUrl)),
      nextCursor,
    });
  });
  return router;
}
