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
