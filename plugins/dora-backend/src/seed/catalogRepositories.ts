import { AuthService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The GitHub repositories (owner/name, lower case) that the catalog's components name in their
 * github.com/project-slug annotation, read with the plugin's own credentials: what the demo
 * seeder waits for before sending the history.
 */
export async function catalogGithubRepositories(
  catalog: CatalogService,
  auth: AuthService,
): Promise<Set<string>> {
  const { items } = await catalog.getEntities(
    { filter: { kind: 'Component' }, fields: ['metadata.annotations'] },
    { credentials: await auth.getOwnServiceCredentials() },
  );
  return new Set(
    items
      .map(e =>
        e.metadata.annotations?.['github.com/project-slug']?.toLowerCase(),
      )
      .filter((s): s is string => !!s),
  );
}
