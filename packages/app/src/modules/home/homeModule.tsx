import { createFrontendModule } from '@backstage/frontend-plugin-api';
import {
  HomePageLayoutBlueprint,
  HomePageWidgetBlueprint,
} from '@backstage/plugin-home-react/alpha';

/** The home page's layout (HomeLayout) in place of the upstream customisable grid. */
const homeLayout = HomePageLayoutBlueprint.make({
  params: {
    loader: () => import('./HomeLayout').then(m => m.HomeLayout),
  },
});

const myEnvironmentsWidget = HomePageWidgetBlueprint.make({
  name: 'my-environments',
  params: {
    name: 'MyEnvironments',
    title: 'My environments',
    description: "Your and your teams' sandbox environments, with their expiry",
    components: () =>
      import('./cards/MyEnvironmentsCard').then(m => ({
        Content: m.MyEnvironmentsCard,
      })),
  },
});

const teamDeliveryWidget = HomePageWidgetBlueprint.make({
  name: 'team-delivery',
  params: {
    name: 'TeamDelivery',
    title: "My teams' delivery",
    description: "Your teams' DORA levels and scorecards",
    components: () =>
      import('./cards/TeamDeliveryCard').then(m => ({
        Content: m.TeamDeliveryCard,
      })),
  },
});

const goldenPathsWidget = HomePageWidgetBlueprint.make({
  name: 'golden-paths',
  params: {
    name: 'GoldenPaths',
    title: 'Golden paths',
    description: 'The templates tagged golden-path',
    components: () =>
      import('./cards/GoldenPathsCard').then(m => ({
        Content: m.GoldenPathsCard,
      })),
  },
});

/**
 * Acme's home page (/home): the search bar, my environments, my teams' DORA levels and
 * scorecards, the golden-path templates and starred entities. Nothing on it calls anything but
 * the portal's own backend.
 */
export const homeModule = createFrontendModule({
  pluginId: 'home',
  extensions: [
    homeLayout,
    myEnvironmentsWidget,
    teamDeliveryWidget,
    goldenPathsWidget,
  ],
});
