import {
  ENVIRONMENT_ID_ANNOTATION,
  ENVIRONMENT_ENTITY_TYPE,
} from '@internal/plugin-environments-common';
import { EnvironmentRecord } from './store/types';

export { ENVIRONMENT_ID_ANNOTATION };

/**
 * An environment as a catalog entity: a Resource of type `environment`, owned by the requesting
 * team, carrying its state, expiry, blueprint and cost, and a link to its page.
 */
export function environmentEntity(env: EnvironmentRecord, appBaseUrl: string) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: `env-${env.name}-${env.id.slice(0, 8)}`,
      namespace: 'default',
      title: `${env.name} (${env.blueprint})`,
      description: `Sandbox environment from the ${env.blueprint} blueprint, ${env.size}, requested by ${env.requestedBy}.`,
      annotations: {
        [ENVIRONMENT_ID_ANNOTATION]: env.id,
        'portal.acme.example/environment-state': env.state,
        'portal.acme.example/environment-blueprint': env.blueprint,
        'portal.acme.example/environment-cost-per-hour': String(
          env.costPerHour,
        ),
        ...(env.expiresAt
          ? {
              'portal.acme.example/environment-expires-at':
                env.expiresAt.toISOString(),
            }
          : {}),
        ...(env.drift
          ? { 'portal.acme.example/environment-drift': 'true' }
          : {}),
      },
      labels: { 'portal.acme.example/blueprint': env.blueprint },
      tags: ['sandbox', env.blueprint],
      links: [
        {
          url: `${appBaseUrl}/environments/${env.id}`,
          title: 'Environment page',
        },
      ],
    },
    spec: {
      type: ENVIRONMENT_ENTITY_TYPE,
      lifecycle: 'experimental',
      owner: env.owner,
    },
  };
}
