import { HttpAuthService } from '@backstage/backend-plugin-api';
import { doraMetricsReadPermission } from '@internal/plugin-dora-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { pageOf, pageQuery } from '../paging';
import { PlatformMetrics } from '../platform/PlatformMetrics';
import { Access } from './access';
import {
  atDate,
  entityRef,
  groupRefParam,
  parseInput,
  windowQuery,
} from './params';

const platformQuery = windowQuery
  .extend({ team: groupRefParam })
  .extend(pageQuery.shape);

const templateRunSchema = z
  .object({
    taskId: z.string().min(1).max(255),
    templateRef: z
      .string()
      .regex(entityRef('template'), 'must be a template entity ref'),
    createdBy: z.string().max(255).optional(),
    teamRef: z
      .string()
      .regex(entityRef('group'), 'must be a group entity ref')
      .optional(),
    status: z.enum(['open', 'processing', 'completed', 'failed', 'cancelled']),
    componentRef: z
      .string()
      .regex(entityRef('component'), 'must be a component entity ref')
      .optional(),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();

/**
 * Platform metrics: template adoption and time to first deploy (paged), and POST /template-runs
 * for service callers (a scaffolder action, the demo seeder) to record a run directly.
 */
export function platformRouter(options: {
  platform: PlatformMetrics;
  httpAuth: HttpAuthService;
  access: Pick<Access, 'authorize' | 'audit'>;
  maxPayloadBytes: number;
  now: () => number;
}): express.Router {
  const { platform, httpAuth, access } = options;
  const router = Router();

  /** The query of a platform list: the window, a team, one page (read with one more row). */
  const listQuery = (query: unknown) => {
    const q = parseInput(platformQuery, query);
    return {
      q,
      filter: {
        windowDays: q.window,
        at: atDate(q.at),
        teamRef: q.team,
        page: { limit: q.limit + 1, offset: q.offset },
      },
    };
  };

  router.get('/platform/template-adoption', async (req, res) => {
    await access.authorize(req, doraMetricsReadPermission);
    const { q, filter } = listQuery(req.query);
    res.json(pageOf(await platform.templateAdoption(filter), q));
  });

  router.get('/platform/time-to-first-deploy', async (req, res) => {
    await access.authorize(req, doraMetricsReadPermission);
    const { q, filter } = listQuery(req.query);
    res.json(pageOf(await platform.timeToFirstDeploy(filter), q));
  });

  router.post(
    '/template-runs',
    express.json({ limit: options.maxPayloadBytes }),
    async (req, res) => {
      await httpAuth.credentials(req, { allow: ['service'] });
      const r = parseInput(templateRunSchema, req.body);
      await platform.recordRuns(
        [
          {
            ...r,
            templateRef: r.templateRef.toLowerCase(),
            createdAt: Date.parse(r.createdAt),
          },
        ],
        options.now(),
      );
      await access.audit('dora-template-run-recorded', req, {
        taskId: r.taskId,
        templateRef: r.templateRef,
      });
      res.status(201).json({ taskId: r.taskId });
    },
  );

  return router;
}
