import {
  getGiteaRequestOptions,
  GiteaIntegrationConfig,
} from '@backstage/integration';

/** A repository on the forge, as far as the golden path needs it. */
export interface ForgeRepository {
  fullName: string;
  htmlUrl: string;
  /** True while the repository has no commit. */
  empty: boolean;
}

/** A repository webhook on the forge. */
export interface ForgeHook {
  id: number;
  url: string;
  events: string[];
  active: boolean;
}

/** What a webhook is to be: where it posts, which events, and the secret that signs them. */
export interface ForgeHookSpec {
  url: string;
  events: string[];
  secret: string;
}

/**
 * The forge did not answer, or answered with an error. The message names the forge (its base URL)
 * and what was asked, never a credential.
 */
export class ForgeError extends Error {
  readonly name = 'ForgeError';
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const PAGE_SIZE = 50;
const TIMEOUT_MS = 15_000;

/**
 * The few calls of Gitea's (and Forgejo's) REST API v1 that the golden path makes beyond
 * publish:gitea: a repository's state, its webhooks, and a team's access. Credentials are the
 * integration's (integrations.gitea[]: username and token), sent in a header only.
 */
export class GiteaClient {
  constructor(private readonly config: GiteaIntegrationConfig) {}

  get baseUrl(): string {
    return this.config.baseUrl ?? `https://${this.config.host}`;
  }

  /** The repository, or undefined when the forge has none of that name. */
  async getRepository(
    owner: string,
    name: string,
  ): Promise<ForgeRepository | undefined> {
    const res = await this.call('GET', `/repos/${owner}/${name}`, undefined, [
      404,
    ]);
    if (res.status === 404) return undefined;
    const body = await res.json();
    return {
      fullName: body.full_name,
      htmlUrl: body.html_url,
      empty: body.empty,
    };
  }

  async deleteRepository(owner: string, name: string): Promise<void> {
    await this.call('DELETE', `/repos/${owner}/${name}`);
  }

  /** Every webhook of the repository, page by page. */
  async listHooks(owner: string, name: string): Promise<ForgeHook[]> {
    const hooks: ForgeHook[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call(
        'GET',
        `/repos/${owner}/${name}/hooks?page=${page}&limit=${PAGE_SIZE}`,
      );
      const items: any[] = await res.json();
      hooks.push(...items.map(toHook));
      if (items.length < PAGE_SIZE) return hooks;
    }
  }

  async createHook(
    owner: string,
    name: string,
    spec: ForgeHookSpec,
  ): Promise<ForgeHook> {
    const res = await this.call('POST', `/repos/${owner}/${name}/hooks`, {
      type: 'gitea',
      ...hookBody(spec),
    });
    return toHook(await res.json());
  }

  /** Makes an existing webhook what `spec` says (events, secret, active). */
  async updateHook(
    owner: string,
    name: string,
    id: number,
    spec: ForgeHookSpec,
  ): Promise<ForgeHook> {
    const res = await this.call(
      'PATCH',
      `/repos/${owner}/${name}/hooks/${id}`,
      hookBody(spec),
    );
    return toHook(await res.json());
  }

  /** The organisation's team of that name (case-insensitive), or undefined. */
  async findTeam(
    org: string,
    team: string,
  ): Promise<{ id: number; name: string } | undefined> {
    const res = await this.call(
      'GET',
      `/orgs/${org}/teams/search?q=${encodeURIComponent(
        team,
      )}&limit=${PAGE_SIZE}`,
    );
    const body = await res.json();
    const found = (body.data ?? []).find(
      (t: any) => String(t.name).toLowerCase() === team.toLowerCase(),
    );
    return found ? { id: found.id, name: found.name } : undefined;
  }

  /** Gives the team the access its permission says to the repository (idempotent). */
  async addTeamRepository(
    teamId: number,
    org: string,
    name: string,
  ): Promise<void> {
    await this.call('PUT', `/teams/${teamId}/repos/${org}/${name}`);
  }

  private async call(
    method: string,
    apiPath: string,
    body?: unknown,
    expected: number[] = [],
  ): Promise<Response> {
    const what = `${method} ${apiPath.split('?')[0]}`;
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}/api/v1${apiPath}`, {
        method,
        headers: {
          ...getGiteaRequestOptions(this.config).headers,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: { code?: string } }).cause;
      throw new ForgeError(
        `the forge at ${this.baseUrl} did not answer ${what}: ${
          cause?.code ?? (error as Error).message
        }`,
      );
    }
    if (res.ok || expected.includes(res.status)) return res;
    const text = (await res.text()).slice(0, 300);
    let message = text;
    try {
      message = JSON.parse(text).message ?? text;
    } catch {
      // not JSON: the text as it came
    }
    throw new ForgeError(
      `the forge at ${this.baseUrl} answered ${res.status} to ${what}: ${message}`,
      res.status,
    );
  }
}

/** What Gitea is told a webhook is: active, the spec's events for every branch, JSON, signed. */
function hookBody(spec: ForgeHookSpec) {
  return {
    active: true,
    events: spec.events,
    branch_filter: '*',
    config: { url: spec.url, content_type: 'json', secret: spec.secret },
  };
}

function toHook(h: any): ForgeHook {
  return {
    id: h.id,
    url: h.config?.url ?? '',
    events: h.events ?? [],
    active: Boolean(h.active),
  };
}
