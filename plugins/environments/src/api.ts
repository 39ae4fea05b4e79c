import {
  createApiRef,
  DiscoveryApi,
  FetchApi,
} from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

export interface Environment {
  id: string;
  name: string;
  blueprint: string;
  owner: string;
  requestedBy: string;
  size: string;
  state: string;
  costPerHour: number;
  ttlHours: number;
  expiresAt?: string;
  drift: boolean;
  outputs?: Record<string, unknown>;
  createdAt: string;
}
export interface HistoryEntry {
  from?: string;
  to: string;
  actor: string;
  reason?: string;
  decisionId?: string;
  at: string;
}
export interface Run {
  id: string;
  kind: string;
  state: string;
  attempt: number;
  createdAt: string;
  finishedAt?: string;
  error?: string;
}
export interface LogLine {
  seq: number;
  level: string;
  message: string;
  at: string;
}

/** One page of a list; `nextCursor` is set when there may be more (pass it back as `cursor`). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export interface EnvironmentsApi {
  /** A page of environments, newest first. */
  list(
    scope: 'mine' | 'team' | 'all',
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

  list(scope: 'mine' | 'team' | 'all', cursor?: string) {
    return this.call<Page<Environment>>(
      `/environments?scope=${scope}${
        cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
      }`,
    );
  }
  async get(id: string) {
    const first = await this.call<{
      environment: Environment;
      history: HistoryEntry[];
      historyNextCursor?: string;
    }>(`/environments/${id}`);
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
    return (await this.call<{ items: Run[] }>(`/environments/${id}/runs`))
      .items;
  }
  logs(id: string, runId: string, after: number) {
    return this.call<Page<LogLine>>(
      `/environments/${id}/runs/${runId}/logs?after=${after}`,
    );
  }
  async secrets(id: string) {
    return (
      await this.call<{ secrets: Record<string, unknown> }>(
        `/environments/${id}/secrets`,
      )
    ).secrets;
  }
  async extend(id: string, hours: number) {
    return (
      await this.call<{ environment: Environment }>(
        `/environments/${id}/extend`,
        { method: 'POST', body: { hours } },
      )
    ).environment;
  }
  async destroy(id: string) {
    return (
      await this.call<{ environment: Environment }>(
        `/environments/${id}/destroy`,
        { method: 'POST', body: {} },
      )
    ).environment;
  }
  async retry(id: string) {
    return (
      await this.call<{ environment: Environment }>(
        `/environments/${id}/retry`,
        { method: 'POST', body: {} },
      )
    ).environment;
  }
  async decide(id: string, approve: boolean, reason?: string) {
    return (
      await this.call<{ environment: Environment }>(
        `/environments/${id}/${approve ? 'approve' : 'reject'}`,
        {
          method: 'POST',
          body: reason ? { reason } : {},
        },
      )
    ).environment;
  }
}
