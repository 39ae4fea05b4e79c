import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  BlueprintPage,
  BlueprintSummary,
  CreateEnvironmentRequest,
  CreateEnvironmentResponse,
  EnvironmentDetailResponse,
  EnvironmentResponse,
  Page,
  Run,
  RunLogPage,
} from '@internal/plugin-environments-common';

/** The environments REST API, called on behalf of a person (their credentials, never a body's claim). */
export class EnvironmentsClient {
  constructor(
    private readonly deps: { discovery: DiscoveryService; auth: AuthService },
  ) {}

  private async call<T>(
    credentials: BackstageCredentials,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T> {
    const base = await this.deps.discovery.getBaseUrl('environments');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'environments',
    });
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) {
      // the task log shows the message: the service's own (the guardrail or field that refused)
      const error = await ResponseError.fromResponse(res);
      const reason = error.body?.error?.message;
      if (reason)
        error.message = `The environments service refused the request (${res.status}): ${reason}`;
      throw error;
    }
    return (await res.json()) as T;
  }

  create(credentials: BackstageCredentials, request: CreateEnvironmentRequest) {
    return this.call<CreateEnvironmentResponse>(
      credentials,
      'POST',
      '/environments',
      request,
    );
  }

  get(credentials: BackstageCredentials, id: string) {
    return this.call<EnvironmentDetailResponse>(
      credentials,
      'GET',
      `/environments/${encodeURIComponent(id)}`,
    );
  }

  /** The environment's latest runs (one page), newest first. */
  runs(credentials: BackstageCredentials, id: string) {
    return this.call<Page<Run>>(
      credentials,
      'GET',
      `/environments/${encodeURIComponent(id)}/runs`,
    );
  }

  /** A page of a run's log after line `after`; `nextCursor` is set when more lines are stored. */
  logs(
    credentials: BackstageCredentials,
    id: string,
    runId: string,
    after: number,
  ) {
    return this.call<RunLogPage>(
      credentials,
      'GET',
      `/environments/${encodeURIComponent(id)}/runs/${encodeURIComponent(
        runId,
      )}/logs?after=${after}`,
    );
  }

  extend(credentials: BackstageCredentials, id: string, hours: number) {
    return this.call<EnvironmentResponse>(
      credentials,
      'POST',
      `/environments/${encodeURIComponent(id)}/extend`,
      { hours },
    );
  }

  destroy(credentials: BackstageCredentials, id: string) {
    return this.call<EnvironmentResponse>(
      credentials,
      'POST',
      `/environments/${encodeURIComponent(id)}/destroy`,
    );
  }

  /** Every blueprint, following the list's pages. */
  async blueprints(credentials: BackstageCredentials) {
    const items: BlueprintSummary[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.call<BlueprintPage>(
        credentials,
        'GET',
        `/blueprints${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { items };
  }
}
