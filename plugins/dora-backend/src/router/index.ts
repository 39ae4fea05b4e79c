import {
  AuditorService,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { DoraConfig } from '../config';
import { DeliveryProcessor } from '../ingest/DeliveryProcessor';
import { SourceRateLimiter } from '../ingest/rateLimit';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { PlatformMetrics } from '../platform/PlatformMetrics';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardService } from '../scorecards/ScorecardService';
import { DoraStore } from '../store/DoraStore';
import { createAccess } from './access';
import { deliveriesRouter } from './deliveries';
import { errorHandler } from './errors';
import { eventsRouter } from './events';
import { metricsRouter } from './metrics';
import { platformRouter } from './platform';
import { scorecardsRouter } from './scorecards';
import { webhooksRouter } from './webhooks';

export interface RouterOptions {
  store: DoraStore;
  processor: DeliveryProcessor;
  metrics: DoraMetricsService;
  platform: PlatformMetrics;
  /** Scorecards: the evaluated results and their definitions from git (else their routes are 404s). */
  scorecards?: ScorecardService;
  definitions?: ScorecardDefinitions;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor?: AuditorService;
  /** The webhook sources, the largest body accepted, and whether to normalise right after storing. */
  config: Pick<DoraConfig, 'sources' | 'maxPayloadBytes' | 'processing'>;
  /** Counts webhook requests per source (default: a new one, on the real clock). */
  rateLimiter?: SourceRateLimiter;
  now?: () => number;
}

/**
 * The dora API, under /api/dora: one router per area. Webhooks (/webhooks/:source) are reachable
 * without Backstage credentials and are proven by the source's signature instead; everything else
 * takes Backstage credentials, and identity only ever comes from them.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config } = options;
  const shared = {
    ...options,
    sources: config.sources,
    maxPayloadBytes: config.maxPayloadBytes,
    processImmediately: config.processing.immediate,
    access: createAccess(options),
    now: () => options.now?.() ?? Date.now(),
  };
  const router = Router();
  router.use(webhooksRouter(shared));
  router.use(eventsRouter(shared));
  router.use(deliveriesRouter(shared));
  router.use(metricsRouter(shared));
  router.use(scorecardsRouter(shared));
  router.use(platformRouter(shared));
  router.use(errorHandler(config.maxPayloadBytes));
  return router;
}
