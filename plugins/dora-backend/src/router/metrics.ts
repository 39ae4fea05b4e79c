import {
  doraMetricsReadPermission,
  METRIC_NAMES,
  MetricName,
} from '@internal/plugin-dora-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DoraMetricsService, parseEntity } from '../metrics/DoraMetricsService';
import { pageOfList, pageQuery } from '../paging';
import { Access } from './access';
import { atDate, parseInput, windowQuery } from './params';

const metricsQuery = windowQuery.extend({
  entity: z
    .string({ error: 'is required: org, a component ref or a group ref' })
    .max(255),
  benchmark: z.string().max(63).optional(),
});

const drillDownQuery = metricsQuery.extend(pageQuery.shape).extend({
  metric: z.enum(METRIC_NAMES as [MetricName, ...MetricName[]], {
    error: `must be one of ${METRIC_NAMES.join(', ')}`,
  }),
  period: z.enum(['current', 'previous']).default('current'),
});

/** The five metrics of the organisation, a component or a group; their rows; the benchmarks. */
export function metricsRouter(options: {
  metrics: DoraMetricsService;
  access: Pick<Access, 'authorize' | 'visible'>;
}): express.Router {
  const { metrics, access } = options;
  const router = Router();

  router.get('/benchmarks', async (req, res) => {
    await access.authorize(req, doraMetricsReadPermission);
    const q = parseInput(pageQuery, req.query);
    res.json({
      default: metrics.defaultBenchmarkName,
      ...pageOfList(metrics.listBenchmarks(), q),
    });
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await access.authorize(req, doraMetricsReadPermission);
    const q = parseInput(metricsQuery, req.query);
    const entity = parseEntity(q.entity);
    if (entity.kind !== 'org') await access.visible(credentials, entity.ref);
    res.json(
      await metrics.getMetrics({
        entity,
        windowDays: q.window,
        at: atDate(q.at),
        benchmark: q.benchmark,
      }),
    );
  });

  router.get('/metrics/drilldown', async (req, res) => {
    const credentials = await access.authorize(req, doraMetricsReadPermission);
    const q = parseInput(drillDownQuery, req.query);
    const entity = parseEntity(q.entity);
    if (entity.kind !== 'org') await access.visible(credentials, entity.ref);
    res.json(
      await metrics.getDrillDown({
        entity,
        windowDays: q.window,
        at: atDate(q.at),
        metric: q.metric,
        period: q.period,
        page: { limit: q.limit, offset: q.offset },
      }),
    );
  });

  return router;
}
