import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The readiness gate's name, as the readiness probe names it while it is closed. */
export const ORGANISATION_GATE =
  "the catalog to hold the organisation's users and groups";

/**
 * Open once the catalog holds at least one User and one Group: the organisation has been ingested,
 * so a token issued now carries its holder's teams. Remembers when it opened (a cold start's
 * catalog may still be ingesting the rest of the people for a little while after that).
 */
export class OrganisationGate {
  #openedAt: number | undefined;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      now?: () => number;
    },
  ) {}

  /** Whether the gate is open, asking the catalog (with the auth plugin's own credentials) until it is. */
  async check(): Promise<boolean> {
    if (this.#openedAt !== undefined) return true;
    const { catalog, auth } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const has = async (kind: string) =>
      (
        await catalog.queryEntities(
          { filter: { kind }, limit: 1, fields: ['metadata.name'] },
          { credentials },
        )
      ).items.length > 0;
    const [users, groups] = await Promise.all([has('User'), has('Group')]);
    if (users && groups) this.#openedAt = (this.options.now ?? Date.now)();
    return this.#openedAt !== undefined;
  }

  /** When the gate opened (milliseconds since the epoch), or undefined while it is closed. */
  openedAt(): number | undefined {
    return this.#openedAt;
  }
}
