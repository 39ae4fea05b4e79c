import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Environment,
  EnvironmentDetailResponse,
  EnvironmentListScope,
  EnvironmentResponse,
  HistoryEntry,
  LogLine,
  Page,
  Run,
  RunLogPage,
  SecretsResponse,
} from '@internal/plugin-environments-common';

// The wire types are the environments-common ones (one source for what the REST API returns).
export type {
  Environment,
  EnvironmentListScope,
  HistoryEntry,
  LogLine,
  Page,
  Run,
} from '@internal/plugin-environments-common';

export interface EnvironmentsApi {
  /** A page of environments, newest first. */
  list(
    scope: EnvironmentListScope,
    cursor?: string,
  ): Promise<Page<Environment>>;
  /** The environment and its whole history (every page of it). */
  get(
    id: string,
  ): Promise<{ environment: Environment; history: HistoryEntry[] }>;
  /** The latest runs (one page), newest first. */
  runs(id: string): Promise<Run[]>;
  /** A page of a run's log after line `after`. */
  logs(id: string, runId: string, after: number): Promise<Page<LogLine>>;
  secrets(id: string): Promise<Record<string, unknown>>;
  extend(id: string, hours: number): Promise<Environment>;
  destroy(id: string): Promise<Environment>;
  /** Retries a quarantined environment's destroy. */
  retry(id: string): Promise<Environment>;
  decide(id: string, approve: boolean, reason?: string): Promise<Environment>;
}

export const environmentsApiRef = createApiRef<EnvironmentsApi>({
  id: 'plugin.environments.api',
});

/** The environments backend's REST API through the app's fetch API (credentials added there). */
export class EnvironmentsClient implements EnvironmentsApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async call<T>(
    path: string,
    init?: { method?: string; body?: unknown },
  ): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('environments');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      headers:
        init?.body !== undefined
          ? { 'content-type': 'application/json' }
          : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    if (!res.ok) throw await ResponseError.fromResponse(res);
    return res.json();
  }

  list(scope: EnvironmentListScope, cursor?: string) {
    return this.call<Page<Environment>>(
      `/environments?scope=${scope}${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
    );
  }
  async get(id: string) {
    const first = await this.call<EnvironmentDetailResponse>(
      `/environments/${id}`,
    );
    const history = [...first.history];
    for (let cursor = first.historyNextCursor; cursor; ) {
      const page = await this.call<Page<HistoryEntry>>(
        `/environments/${id}/history?cursor=${encodeURIComponent(cursor)}`,
      );
      history.push(...page.items);
      cursor = page.nextCursor;
    }
    return { environment: first.environment, history };
  }
  async runs(id: string) {
    return (await this.call<Page<Run>>(`/environments/${id}/runs`)).items;
  }
  logs(id: string, runId: string, after: number) {
    return this.call<RunLogPage>(
      `/environments/${id}/runs/${runId}/logs?after=${after}`,
    );
  }
  async secrets(id: string) {
    return (await this.call<SecretsResponse>(`/environments/${id}/secrets`))
      .secrets;
  }
  async extend(id: string, hours: number) {
    return (
      await this.call<EnvironmentResponse>(`/environments/${id}/extend`, {
        method: 'POST',
        body: { hours },
      })
    ).environment;
  }
  async destroy(id: string) {
    return (
      await this.call<EnvironmentResponse>(`/environments/${id}/destroy`, {
        method: 'POST',
        body: {},
      })
    ).environment;
  }
  async retry(id: string) {
    return (
      await this.call<EnvironmentResponse>(`/environments/${id}/retry`, {
        method: 'POST',
        body: {},
      })
    ).environment;
  }
  async decide(id: string, approve: boolean, reason?: string) {
    return (
      await this.call<EnvironmentResponse>(
        `/environments/${id}/${approve ? 'approve' : 'reject'}`,
        {
          method: 'POST',
          body: reason ? { reason } : {},
        },
      )
    ).environment;
  }
}
