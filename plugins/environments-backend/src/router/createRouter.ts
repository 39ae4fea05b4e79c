import express from 'express';
import Router from 'express-promise-router';
import { MAX_BODY } from '../limits';
import { approvalsRouter } from './approvalsRouter';
import { blueprintsRouter } from './blueprintsRouter';
import { catalogRouter } from './catalogRouter';
import { environmentsRouter } from './environmentsRouter';
import { apiErrors } from './errors';
import { runsRouter } from './runsRouter';
import { RouterOptions } from './RouterOptions';
import { secretsRouter } from './secretsRouter';

/**
 * The environments REST API, under /api/environments: one router per area, JSON bodies of at most
 * MAX_BODY, and the API's error handling. Identity only ever comes from credentials.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: MAX_BODY }));
  router.use(catalogRouter(options));
  router.use(blueprintsRouter(options));
  router.use(environmentsRouter(options));
  router.use(runsRouter(options));
  router.use(secretsRouter(options));
  router.use(approvalsRouter(options));
  router.use(apiErrors);
  return router;
}
