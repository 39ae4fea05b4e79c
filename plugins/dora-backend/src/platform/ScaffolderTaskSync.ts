import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  catalogLookup,
  PlatformMetrics,
  SerializedTask,
  TemplateRun,
  templateRunOf,
} from './PlatformMetrics';

/** Reads the scaffolder's tasks through its REST API and records them as template runs. */
export class ScaffolderTaskSync {
  constructor(
    private readonly deps: {
      platform: PlatformMetrics;
      discovery: DiscoveryService;
      auth: AuthService;
      catalog: CatalogService;
      logger: LoggerService;
      fetch?: typeof fetch;
    },
  ) {}

  async sync(): Promise<number> {
    const { discovery, auth, catalog } = this.deps;
    const doFetch = this.deps.fetch ?? fetch;
    const credentials = await auth.getOwnServiceCredentials();
    const base = await discovery.getBaseUrl('scaffolder');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'scaffolder',
    });
    const [users, components] = await Promise.all([
      catalog.getEntities(
        {
          filter: { kind: 'User' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'relations',
            'spec.memberOf',
          ],
        },
        { credentials },
      ),
      catalog.getEntities(
        {
          filter: { kind: 'Component' },
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'metadata.annotations',
          ],
        },
        { credentials },
      ),
    ]);
    const lookup = catalogLookup(users.items, components.items);
    let total = 0;
    for (let offset = 0; ; offset += 100) {
      const res = await doFetch(`${base}/v2/tasks?limit=100&offset=${offset}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!res.ok)
        throw new Error(`scaffolder GET /v2/tasks answered ${res.status}`);
      const body = (await res.json()) as { tasks: SerializedTask[] };
      const runs = body.tasks
        .map(t => templateRunOf(t, lookup))
        .filter((r): r is TemplateRun => !!r);
      total += await this.deps.platform.recordRuns(runs);
      if (body.tasks.length < 100) break;
    }
    return total;
  }
}
