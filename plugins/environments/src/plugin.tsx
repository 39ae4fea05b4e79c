import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  ENVIRONMENT_ID_ANNOTATION,
  ENVIRONMENT_ENTITY_TYPE,
} from '@internal/plugin-environments-common';
import { RiFlaskLine } from '@remixicon/react';
import { environmentsApiRef, EnvironmentsClient } from './api';

/**
 * The Environments page in the navigation, with each environment's page under it, and the same
 * page as an "Environment" tab on the catalog Resource of each environment.
 */
/** The page's route: pages with a route ref, a title and an icon are in the navigation. */
export const environmentsRouteRef = createRouteRef();

export const environmentsPlugin = createFrontendPlugin({
  pluginId: 'environments',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: environmentsApiRef,
          deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
          factory: ({ discoveryApi, fetchApi }) =>
            new EnvironmentsClient({ discoveryApi, fetchApi }),
        }),
    }),
    PageBlueprint.make({
      params: {
        path: '/environments',
        routeRef: environmentsRouteRef,
        title: 'Environments',
        icon: <RiFlaskLine />,
        loader: () =>
          import('./components/EnvironmentsPage').then(m => (
            <m.EnvironmentsPage />
          )),
      },
    }),
    EntityContentBlueprint.make({
      name: 'environment',
      params: {
        path: '/environment',
        title: 'Environment',
        filter: entity =>
          entity.kind.toLowerCase() === 'resource' &&
          entity.spec?.type === ENVIRONMENT_ENTITY_TYPE &&
          Boolean(entity.metadata.annotations?.[ENVIRONMENT_ID_ANNOTATION]),
        loader: () =>
          import('./components/EntityEnvironmentContent').then(m => (
            <m.EntityEnvironmentContent />
          )),
      },
    }),
  ],
});
