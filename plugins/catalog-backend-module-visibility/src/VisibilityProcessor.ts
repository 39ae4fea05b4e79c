import { Entity } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';

export const CONFIDENTIAL_ANNOTATION = 'portal.acme.example/confidential';
export const RESTRICTED_ANNOTATION = 'portal.acme.example/restricted';
export const PLATFORM_ONLY_TAG = 'platform-only';

/**
 * Adds `portal.acme.example/restricted: "true"` to every entity the permission policy lets only
 * its owners read: those annotated confidential, and those tagged platform-only (owned by the
 * platform team). The policy's CONDITIONAL read then needs one condition on one annotation, which
 * the catalog applies in SQL, instead of one per marker.
 */
export class VisibilityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'VisibilityProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    const confidential =
      entity.metadata.annotations?.[CONFIDENTIAL_ANNOTATION]?.toLowerCase() ===
      'true';
    const platformOnly = (entity.metadata.tags ?? []).includes(
      PLATFORM_ONLY_TAG,
    );
    if (!confidential && !platformOnly) return entity;
    return {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          [RESTRICTED_ANNOTATION]: 'true',
        },
      },
    };
  }
}
