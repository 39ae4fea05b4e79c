import { discoveryApiRef, fetchApiRef } from '@backstage/core-plugin-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  createRouteRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { RiBarChartBoxLine } from '@remixicon/react';
import { doraApiRef } from './api/DoraApi';
import { DoraClient } from './api/DoraClient';

const isKind = (kind: string) => (entity: { kind: string }) =>
  entity.kind.toLowerCase() === kind;

/**
 * DORA metrics in the portal: a "DORA" tab on Components and on Groups (the team's metrics and
 * scorecard rollup), the "Engineering metrics" page in the navigation, and a Scorecards card on
 * the overview of Components.
 */
/** The page's route: pages with a route ref, a title and an icon are in the navigation. */
export const engineeringMetricsRouteRef = createRouteRef();

export const doraPlugin = createFrontendPlugin({
  pluginId: 'dora',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: doraApiRef,
          deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
          factory: ({ discoveryApi, fetchApi }) =>
            new DoraClient({ discoveryApi, fetchApi }),
        }),
    }),
    PageBlueprint.make({
      params: {
        path: '/engineering-metrics',
        routeRef: engineeringMetricsRouteRef,
        title: 'Engineering metrics',
        icon: <RiBarChartBoxLine />,
        loader: () =>
          import('./components/EngineeringMetricsPage').then(m => (
            <m.EngineeringMetricsPage />
          )),
      },
    }),
    EntityContentBlueprint.make({
      name: 'component',
      params: {
        path: '/dora',
        title: 'DORA',
        filter: isKind('component'),
        loader: () =>
          import('./components/EntityDoraContent').then(m => (
            <m.EntityDoraContent />
          )),
      },
    }),
    EntityContentBlueprint.make({
      name: 'group',
      params: {
        path: '/dora',
        title: 'DORA',
        filter: isKind('group'),
        loader: () =>
          import('./components/GroupDoraContent').then(m => (
            <m.GroupDoraContent />
          )),
      },
    }),
    EntityCardBlueprint.make({
      name: 'scorecard',
      params: {
        filter: isKind('component'),
        loader: () =>
          import('./components/EntityScorecardCard').then(m => (
            <m.EntityScorecardCard />
          )),
      },
    }),
  ],
});
