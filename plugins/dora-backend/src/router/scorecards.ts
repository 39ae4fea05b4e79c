import { NotFoundError } from '@backstage/errors';
import {
  doraMetricsReadPermission,
  EntityScorecardsResponse,
} from '@internal/plugin-dora-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { pageOfList, pageQuery } from '../paging';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardService } from '../scorecards/ScorecardService';
import { Access, Credentials } from './access';
import { entityRef, groupRefParam, parseInput } from './params';

/** The query of GET /scorecards/entity (and the get-scorecard action's input). */
export const entityQuery = z.object({
  entityRef: z
    .string({
      error: 'is required: an entity ref, like component:default/payments-api',
    })
    .regex(
      entityRef(),
      'must be an entity ref, like component:default/payments-api',
    ),
});

const teamsQuery = pageQuery.extend({ teamRef: groupRefParam });

/** GET /scorecards/entity's answer to a caller already authorized for dora.metrics.read. */
export async function readEntityScorecards(
  options: {
    scorecards?: ScorecardService;
    definitions?: ScorecardDefinitions;
    access: Pick<Access, 'visible'>;
  },
  credentials: Credentials,
  query: unknown,
): Promise<EntityScorecardsResponse> {
  if (!options.scorecards || !options.definitions)
    throw new NotFoundError('scorecards are not configured');
  const q = parseInput(entityQuery, query);
  await options.access.visible(credentials, q.entityRef);
  return options.scorecards.entity(q.entityRef);
}

/**
 * Scorecards: their definitions from git (with exemptions and load errors), an entity's results,
 * and the teams' rollups. Without `scorecards`, each route is a 404.
 */
export function scorecardsRouter(options: {
  scorecards?: ScorecardService;
  definitions?: ScorecardDefinitions;
  access: Pick<Access, 'authorize' | 'visible'>;
}): express.Router {
  const { access } = options;
  const router = Router();
  const configured = () => {
    if (!options.scorecards || !options.definitions)
      throw new NotFoundError('scorecards are not configured');
    return { service: options.scorecards, definitions: options.definitions };
  };

  router.get('/scorecards/definitions', async (req, res) => {
    await access.authorize(req, doraMetricsReadPermission);
    const { definitions } = configured();
    const q = parseInput(pageQuery, req.query);
    res.json({
      ...pageOfList(
        definitions.list().map(c => ({ ...c.metadata, ...c.spec })),
        q,
      ),
      exemptions: definitions
        .exemptions()
        .map(x => ({ ...x, expires: x.expires.toISOString().slice(0, 10) })),
      errors: definitions.errors(),
    });
  });

  router.get('/scorecards/entity', async (req, res) => {
    const credentials = await access.authorize(req, doraMetricsReadPermission);
    res.json(await readEntityScorecards(options, credentials, req.query));
  });

  router.get('/scorecards/teams', async (req, res) => {
    await access.authorize(req, doraMetricsReadPermission);
    const { service } = configured();
    const q = parseInput(teamsQuery, req.query);
    // the rollups are aggregated from the latest result of each entity, then paged
    const { items } = await service.teams(q.teamRef);
    res.json(pageOfList(items, q));
  });

  return router;
}
