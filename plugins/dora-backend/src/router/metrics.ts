import {
  doraMetricsReadPermission,
  DrillDownResult,
  METRIC_NAMES,
  MetricName,
  MetricsResult,
} from '@internal/plugin-dora-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { DoraMetricsService, parseEntity } from '../metrics/DoraMetricsService';
import { pageOfList, pageQuery } from '../paging';
import { Access, Credentials } from './access';
import { readMetricsBatch } from './metricsBatch';
import { atDate, parseInput, windowQuery } from './params';

/** The query of GET /metrics; the get-dora-metrics action parses its input with it too. */
export const metricsQuery = windowQuery.extend({
  entity: z
    .string({ error: 'is required: org, a component ref or a group ref' })
    .max(255),
  benchmark: z.string().max(63).optional(),
});

/** The query of GET /metrics/drilldown (and the get-dora-drilldown action's input). */
export const drillDownQuery = metricsQuery.extend(pageQuery.shape).extend({
  metric: z.enum(METRIC_NAMES as [MetricName, ...MetricName[]], {
    error: `must be one of ${METRIC_NAMES.join(', ')}`,
  }),
  period: z.enum(['current', 'previous']).default('current'),
});

type MetricsDeps = {
  metrics: DoraMetricsService;
  access: Pick<Access, 'visible'>;
};

/** GET /metrics's answer to a caller already authorized for dora.metrics.read (shared with the actions). */
export async function readMetrics(
  { metrics, access }: MetricsDeps,
  credentials: Credentials,
  query: unknown,
): Promise<MetricsResult> {
  const q = parseInput(metricsQuery, query);
  const entity = parseEntity(q.entity);
  if (entity.kind !== 'org') await access.visible(credentials, entity.ref);
  return metrics.getMetrics({
    entity,
    windowDays: q.window,
    at: atDate(q.at),
    benchmark: q.benchmark,
  });
}

/** GET /metrics/drilldown's answer to a caller already authorized for dora.metrics.read. */
export async function readDrillDown(
  { metrics, access }: MetricsDeps,
  credentials: Credentials,
  query: unknown,
): Promise<DrillDownResult> {
  const q = parseInput(drillDownQuery, query);
  const entity = parseEntity(q.entity);
  if (entity.kind !== 'org') await access.visible(credentials, entity.ref);
  return metrics.getDrillDown({
    entity,
    windowDays: q.window,
    at: atDate(q.at),
    metric: q.metric,
    period: q.period,
    page: { limit: q.limit, offset: q.offset },
  });
}

/**
 * The five metrics of the organisation, a component or a group (or of many at once: POST
 * /metrics/batch, metricsBatch.ts); their rows; the benchmarks.
 */
export function metricsRouter(options: {
  metrics: DoraMetricsService;
  access: Pick<Access, 'authorize' | 'visible' | 'notVisible'>;
  maxPayloadBytes: number;
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
    res.json(await readMetrics(options, credentials, req.query));
  });

  router.post(
    '/metrics/batch',
    express.json({ limit: options.maxPayloadBytes }),
    async (req, res) => {
      const credentials = await access.authorize(
        req,
        doraMetricsReadPermission,
      );
      res.json(await readMetricsBatch(options, credentials, req.body));
    },
  );

  router.get('/metrics/drilldown', async (req, res) => {
    const credentials = await access.authorize(req, doraMetricsReadPermission);
    res.json(await readDrillDown(options, credentials, req.query));
  });

  return router;
}
