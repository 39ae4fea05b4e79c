import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import { ApiBlueprint, createFrontendPlugin, PageBlueprint } from '@backstage/frontend-plugin-api';
import { RiFlaskLine } from '@remixicon/react';
import { environmentsApiRef, EnvironmentsClient } from './api';

/** The Environments page in the navigation, with each environment's page under it. */
export const environmentsPlugin = createFrontendPlugin({
  pluginId: 'environments',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: environmentsApiRef,
          deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
          factory: ({ discoveryApi, fetchApi }) => new EnvironmentsClient({ discoveryApi, fetchApi }),
        }),
    }),
    PageBlueprint.make({
      params: {
        path: '/environments',
        title: 'Environments',
        icon: <RiFlaskLine />,
        loader: () => import('./components/EnvironmentsPage').then(m => <m.EnvironmentsPage />),
      },
    }),
  ],
});
