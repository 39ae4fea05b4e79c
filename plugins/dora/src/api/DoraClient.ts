import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Benchmark,
  DrillDownResult,
  EntityScorecardsResponse,
  MetricsResult,
  TeamScorecardsResponse,
  TemplateAdoptionRow,
  TimeToFirstDeployRow,
} from '@internal/plugin-dora-common';
import { DoraApi, DrillDownRequest, MetricsRequest, PlatformRequest } from './DoraApi';

type Query = Record<string, string | number | undefined>;

function queryString(q: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The dora backend's REST API through the app's fetch API (credentials added there). */
export class DoraClient implements DoraApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  private async get<T>(path: string, query: Query = {}, options: { notFound?: 'undefined' } = {}): Promise<T | undefined> {
    const base = await this.deps.discoveryApi.getBaseUrl('dora');
    const res = await this.deps.fetchApi.fetch(`${base}${path}${queryString(query)}`);
    if (res.status === 404 && options.notFound === 'undefined') return undefined;
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  private async must<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.get<T>(path, query))!;
  }

  getMetrics(req: MetricsRequest) {
    return this.must<MetricsResult>('/metrics', { entity: req.entity, window: req.windowDays, at: req.at });
  }

  getDrillDown(req: DrillDownRequest) {
    return this.must<DrillDownResult>('/metrics/drilldown', {
      entity: req.entity,
      window: req.windowDays,
      at: req.at,
      metric: req.metric,
      period: req.period,
    });
  }

  getBenchmarks() {
    return this.must<{ default: string; items: Benchmark[] }>('/benchmarks');
  }

  async getTemplateAdoption(req: PlatformRequest) {
    return (await this.must<{ items: TemplateAdoptionRow[] }>('/platform/template-adoption', { window: req.windowDays, team: req.teamRef })).items;
  }

  async getTimeToFirstDeploy(req: PlatformRequest) {
    return (await this.must<{ items: TimeToFirstDeployRow[] }>('/platform/time-to-first-deploy', { window: req.windowDays, team: req.teamRef })).items;
  }

  getEntityScorecards(entityRef: string) {
    return this.get<EntityScorecardsResponse>('/scorecards/entity', { entityRef }, { notFound: 'undefined' });
  }

  getTeamScorecards(teamRef?: string) {
    return this.get<TeamScorecardsResponse>('/scorecards/teams', { teamRef }, { notFound: 'undefined' });
  }
}
