import { createApiRef } from '@backstage/core-plugin-api';
import {
  Benchmark,
  DrillDownResult,
  EntityScorecardsResponse,
  MetricName,
  MetricsResult,
  TeamScorecardsResponse,
  TemplateAdoptionRow,
  TimeToFirstDeployRow,
} from '@internal/plugin-dora-common';

/** What metrics are asked for: a component ref, a group ref, or the whole organisation. */
export type MetricsSubject = string | 'org';

export interface MetricsRequest {
  entity: MetricsSubject;
  windowDays: number;
  /** The end of the window (ISO 8601); default now. */
  at?: string;
}

/** Several entities' metrics over one window: at most DORA_MAX_METRICS_BATCH entities a request. */
export interface MetricsBatchRequest {
  entities: MetricsSubject[];
  windowDays: number;
  /** The end of the window (ISO 8601); default now. */
  at?: string;
}

/** One entity's metrics in a batch, or why there are none (a 404 for an entity the user may not see). */
export interface MetricsOfEntity {
  entity: MetricsSubject;
  value?: MetricsResult;
  error?: Error;
}

export interface DrillDownRequest extends MetricsRequest {
  metric: MetricName;
  period?: 'current' | 'previous';
}

export interface PlatformRequest {
  windowDays: number;
  teamRef?: string;
}

/** The dora backend's JSON API (/api/dora), as the frontend uses it. */
export interface DoraApi {
  getMetrics(req: MetricsRequest): Promise<MetricsResult>;
  /**
   * The metrics of up to DORA_MAX_METRICS_BATCH entities in one request (POST /metrics/batch), in
   * the order asked; an entity's own error (not visible: 404) is its item's `error`.
   */
  getMetricsBatch(req: MetricsBatchRequest): Promise<MetricsOfEntity[]>;
  getDrillDown(req: DrillDownRequest): Promise<DrillDownResult>;
  getBenchmarks(): Promise<{ default: string; items: Benchmark[] }>;
  getTemplateAdoption(req: PlatformRequest): Promise<TemplateAdoptionRow[]>;
  getTimeToFirstDeploy(req: PlatformRequest): Promise<TimeToFirstDeployRow[]>;
  /** Undefined when the backend has no scorecards (404). */
  getEntityScorecards(
    entityRef: string,
  ): Promise<EntityScorecardsResponse | undefined>;
  /** Undefined when the backend has no scorecards (404). */
  getTeamScorecards(
    teamRef?: string,
  ): Promise<TeamScorecardsResponse | undefined>;
}

export const doraApiRef = createApiRef<DoraApi>({ id: 'plugin.dora.api' });
