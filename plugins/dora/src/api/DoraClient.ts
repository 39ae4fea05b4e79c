import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Benchmark,
  DORA_MAX_PAGE_SIZE,
  DoraPage,
  DrillDownResult,
  EntityScorecardsResponse,
  MetricsBatchResponse,
  MetricsResult,
  TeamScorecardsResponse,
  TemplateAdoptionRow,
  TimeToFirstDeployRow,
} from '@internal/plugin-dora-common';
import {
  DoraApi,
  DrillDownRequest,
  MetricsBatchRequest,
  MetricsOfEntity,
  MetricsRequest,
  PlatformRequest,
} from './DoraApi';

type Query = Record<string, string | number | undefined>;

function queryString(q: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q))
    if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** An entity's error in a metrics batch, as the backend names it (NotFoundError, 404: not visible). */
export class MetricsBatchError extends Error {
  constructor(readonly statusCode: number, name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** The most pages of one list the client reads for a view (DORA_MAX_PAGE_SIZE rows each). */
export const MAX_PAGES = 20;

/** The dora backend's REST API through the app's fetch API (credentials added there). */
export class DoraClient implements DoraApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async get<T>(
    path: string,
    query: Query = {},
    options: { notFound?: 'undefined' } = {},
  ): Promise<T | undefined> {
    const base = await this.deps.discoveryApi.getBaseUrl('dora');
    const res = await this.deps.fetchApi.fetch(
      `${base}${path}${queryString(query)}`,
    );
    if (res.status === 404 && options.notFound === 'undefined')
      return undefined;
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  private async post<T>(path: string, body: unknown): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('dora');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  private async must<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.get<T>(path, query))!;
  }

  /**
   * A list the backend pages (limit and offset, nextOffset on every page but the last), read page
   * after page and joined, up to MAX_PAGES pages. Undefined when the first page is a 404 and
   * `notFound` says so.
   */
  private async allPages<T extends DoraPage, R>(
    path: string,
    query: Query,
    rows: (page: T) => R[],
    options: { notFound?: 'undefined' } = {},
  ): Promise<{ first: T; rows: R[] } | undefined> {
    const first = await this.get<T>(
      path,
      { ...query, limit: DORA_MAX_PAGE_SIZE },
      options,
    );
    if (!first) return undefined;
    const all = [...rows(first)];
    let page = first;
    for (let n = 1; page.nextOffset !== undefined && n < MAX_PAGES; n++) {
      page = (await this.get<T>(path, {
        ...query,
        limit: DORA_MAX_PAGE_SIZE,
        offset: page.nextOffset,
      }))!;
      all.push(...rows(page));
    }
    return { first, rows: all };
  }

  getMetrics(req: MetricsRequest) {
    return this.must<MetricsResult>('/metrics', {
      entity: req.entity,
      window: req.windowDays,
      at: req.at,
    });
  }

  async getMetricsBatch(req: MetricsBatchRequest): Promise<MetricsOfEntity[]> {
    const { items } = await this.post<MetricsBatchResponse>('/metrics/batch', {
      entities: req.entities,
      window: req.windowDays,
      at: req.at,
    });
    return items.map(item =>
      item.error
        ? {
            entity: item.entity,
            error: new MetricsBatchError(
              item.error.statusCode,
              item.error.name,
              item.error.message,
            ),
          }
        : { entity: item.entity, value: item.result },
    );
  }

  async getDrillDown(req: DrillDownRequest): Promise<DrillDownResult> {
    const query = {
      entity: req.entity,
      window: req.windowDays,
      at: req.at,
      metric: req.metric,
      period: req.period,
    };
    const { first, rows } = (await this.allPages<
      DrillDownResult,
      DrillDownResult['rows'][number]
    >('/metrics/drilldown', query, p => p.rows))!;
    const { nextOffset, ...result } = first;
    return { ...result, rows };
  }

  async getBenchmarks() {
    const { first, rows } = (await this.allPages<
      { default: string; items: Benchmark[] } & DoraPage,
      Benchmark
    >('/benchmarks', {}, p => p.items))!;
    return { default: first.default, items: rows };
  }

  async getTemplateAdoption(req: PlatformRequest) {
    return (await this.allPages<
      { items: TemplateAdoptionRow[] } & DoraPage,
      TemplateAdoptionRow
    >(
      '/platform/template-adoption',
      { window: req.windowDays, team: req.teamRef },
      p => p.items,
    ))!.rows;
  }

  async getTimeToFirstDeploy(req: PlatformRequest) {
    return (await this.allPages<
      { items: TimeToFirstDeployRow[] } & DoraPage,
      TimeToFirstDeployRow
    >(
      '/platform/time-to-first-deploy',
      { window: req.windowDays, team: req.teamRef },
      p => p.items,
    ))!.rows;
  }

  getEntityScorecards(entityRef: string) {
    return this.get<EntityScorecardsResponse>(
      '/scorecards/entity',
      { entityRef },
      { notFound: 'undefined' },
    );
  }

  async getTeamScorecards(
    teamRef?: string,
  ): Promise<TeamScorecardsResponse | undefined> {
    const all = await this.allPages<
      TeamScorecardsResponse,
      TeamScorecardsResponse['items'][number]
    >('/scorecards/teams', { teamRef }, p => p.items, {
      notFound: 'undefined',
    });
    return all && { items: all.rows };
  }
}
