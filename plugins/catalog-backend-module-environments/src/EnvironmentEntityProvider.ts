import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { Page } from '@internal/plugin-environments-common';

/**
 * Mirrors the environments service into the catalog: every environment that is not destroyed is a
 * Resource of type environment, owned by its team. Each refresh replaces the provider's whole set,
 * so a destroyed environment leaves the catalog at the next refresh.
 */
export class EnvironmentEntityProvider implements EntityProvider {
  private connection: EntityProviderConnection | undefined;

  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  getProviderName(): string {
    return 'environments';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  /** Fetches the environments' entities, page by page, and hands the catalog the full set. */
  async refresh(): Promise<number> {
    if (!this.connection)
      throw new Error('the environments entity provider is not connected yet');
    const base = await this.deps.discovery.getBaseUrl('environments');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'environments',
    });
    // The list pages; the full set is every page, applied at once.
    const items: Entity[] = [];
    let cursor: string | undefined;
    do {
      const url = `${base}/catalog-entities${
        cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''
      }`;
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw await ResponseError.fromResponse(res);
      const page = (await res.json()) as Page<Entity>;
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const location = `url:${base}/catalog-entities`;
    await this.connection.applyMutation({
      type: 'full',
      entities: items.map(entity => ({
        locationKey: this.getProviderName(),
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              [ANNOTATION_LOCATION]: location,
              [ANNOTATION_ORIGIN_LOCATION]: location,
            },
          },
        },
      })),
    });
    return items.length;
  }
}
