import { LoggerService } from '@backstage/backend-plugin-api';
import { sign } from '@octokit/webhooks-methods';
import { WebhookSource } from '../ingest/sources';
import { GithubDelivery } from './githubPayloads';
import { DEMO_PROFILES, DemoProfile, demoHistories } from './demoHistory';

export interface DemoSeederDeps {
  /** How many deliveries are stored already: the seeder only seeds an empty database. */
  countDeliveries(): Promise<number>;
  /** The GitHub source the history is signed for (its id is the webhook path). */
  source: WebhookSource;
  /**
   * The repositories (owner/name) to seed, the example's profiles in turn (default: the example
   * catalog's four, DEMO_PROFILES).
   */
  repositories?: string[];
  /** The dora backend's own base URL (discovery). */
  baseUrl(): Promise<string>;
  /**
   * The repositories (owner/name) the catalog maps to components now. On a first start the
   * catalog is still reading its locations; events sent before it knows a repository would be
   * stored unattributed, so the seeder waits for the example repositories first.
   */
  knownRepositories?(): Promise<Set<string>>;
  /** How long to wait for the catalog before seeding anyway (default 5 minutes). */
  catalogWaitMs?: number;
  logger?: LoggerService;
}

/**
 * The demo data: a realistic GitHub history for the example catalog's repositories, signed with
 * the source's secret and sent through the real webhook endpoint, so that the portal's DORA views
 * have meaning right after the first start. Only when no delivery is stored yet.
 */
export class DemoSeeder {
  private readonly profiles: DemoProfile[];

  constructor(private readonly deps: DemoSeederDeps) {
    this.profiles = deps.repositories?.length
      ? deps.repositories.map((repo, i) => ({
          ...DEMO_PROFILES[i % DEMO_PROFILES.length],
          repo,
        }))
      : DEMO_PROFILES;
  }

  /**
   * Seeds unless the history is stored already; returns how many deliveries were sent. Delivery
   * ids are fixed (repository and position), so a seeding cut short (a restart) is completed on
   * the next start: what was stored already comes back as a duplicate and is counted once.
   */
  async seedIfEmpty(
    now = new Date(),
    options: { days?: number } = {},
  ): Promise<number> {
    const histories = demoHistories(this.profiles, now, options.days).map(
      (history, r) =>
        history.map((d, i) => ({
          ...d,
          id: `demo-${this.profiles[r].repo.replace('/', '-')}-${String(
            i,
          ).padStart(5, '0')}`,
        })),
    );
    const expected = histories.reduce((n, h) => n + h.length, 0);
    const stored = await this.deps.countDeliveries();
    if (stored >= expected) {
      this.deps.logger?.info(
        `demo data: ${stored} deliveries are stored already; not seeding`,
      );
      return 0;
    }
    if (this.deps.source.type !== 'github')
      throw new Error(
        `dora.demo.source: ${this.deps.source.id} must be a github source`,
      );
    await this.waitForCatalog();
    const url = `${await this.deps.baseUrl()}/webhooks/${this.deps.source.id}`;
    const t0 = Date.now();
    // the repositories side by side; each one's events in order
    const sent = await Promise.all(
      histories.map(async history => {
        for (const d of history) await this.send(url, d);
        return history.length;
      }),
    );
    const total = sent.reduce((a, b) => a + b, 0);
    this.deps.logger?.info(
      `demo data: sent ${total} signed GitHub deliveries for ${
        this.profiles.length
      } repositories in ${Date.now() - t0} ms${
        stored
          ? ` (${stored} were stored before: a seeding cut short, completed)`
          : ''
      }`,
    );
    return total;
  }

  private async waitForCatalog() {
    if (!this.deps.knownRepositories) return;
    const wanted = this.profiles.map(p => p.repo.toLowerCase());
    const deadline = Date.now() + (this.deps.catalogWaitMs ?? 5 * 60_000);
    for (;;) {
      const known = await this.deps
        .knownRepositories()
        .catch(() => new Set<string>());
      const missing = wanted.filter(r => !known.has(r));
      if (!missing.length) return;
      if (Date.now() > deadline) {
        this.deps.logger?.warn(
          `demo data: the catalog does not know ${missing.join(
            ', ',
          )}; their events will be stored unattributed`,
        );
        return;
      }
      await new Promise(r => setTimeout(r, 2000));
    }
  }

  private async send(
    url: string,
    d: GithubDelivery,
    attempt = 1,
  ): Promise<void> {
    const body = JSON.stringify(d.body);
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': d.event,
          'x-github-delivery': d.id,
          'x-hub-signature-256': await sign(this.deps.source.secret, body),
        },
        body,
      });
    } catch (e) {
      // the backend may not listen yet when the seeder starts
      if (attempt >= 30) throw e;
      await new Promise(r => setTimeout(r, 1000));
      await this.send(url, d, attempt + 1);
      return;
    }
    if (res.status === 429 && attempt < 30) {
      // the source's rate limit (dora.sources[].rateLimit): wait as long as the answer says
      await res.text();
      const seconds = Number(res.headers.get('retry-after')) || 1;
      await new Promise(r => setTimeout(r, seconds * 1000));
      await this.send(url, d, attempt + 1);
      return;
    }
    if (!res.ok)
      throw new Error(
        `demo data: ${url} answered ${res.status} to ${d.event} ${
          d.id
        }: ${await res.text()}`,
      );
  }
}
