import { parseEntityRef } from '@backstage/catalog-model';
import { identityApiRef, useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { useLoad } from './useLoad';

export interface MyTeam {
  /** group:<namespace>/<name>, lower case as the identity gives it */
  ref: string;
  namespace: string;
  name: string;
  /** The group's title in the catalog, else its name. */
  title: string;
}

/** The most teams the home page shows for one person. */
export const MAX_TEAMS = 5;

/**
 * The signed-in person's teams: the groups among their ownership refs (from their Backstage
 * identity), with their titles from the catalog. Groups the catalog no longer has are left out.
 */
export function useMyTeams() {
  const identityApi = useApi(identityApiRef);
  const catalogApi = useApi(catalogApiRef);
  return useLoad(async (): Promise<MyTeam[]> => {
    const { ownershipEntityRefs } = await identityApi.getBackstageIdentity();
    const refs = ownershipEntityRefs
      .filter(ref => parseEntityRef(ref).kind.toLowerCase() === 'group')
      .slice(0, MAX_TEAMS);
    if (refs.length === 0) return [];
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: refs,
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
    return refs.flatMap((ref, i) => {
      const entity = items[i];
      if (!entity) return [];
      const { namespace, name } = parseEntityRef(ref);
      return [
        {
          ref,
          namespace,
          name,
          title: entity.metadata.title ?? entity.metadata.name,
        },
      ];
    });
  }, [identityApi, catalogApi]);
}
