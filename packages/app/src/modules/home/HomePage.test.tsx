import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import homePlugin from '@backstage/plugin-home/alpha';
import {
  catalogApiRef,
  MockStarredEntitiesApi,
  starredEntitiesApiRef,
} from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { DoraApi, doraApiRef } from '@internal/plugin-dora';
import {
  EnvironmentsApi,
  environmentsApiRef,
} from '@internal/plugin-environments';
import { screen } from '@testing-library/react';
import { homeModule } from './homeModule';

/** The home plugin as the app installs it, with Acme's module, every backend API mocked. */
function renderHome(config?: Record<string, unknown>) {
  return renderTestApp({
    features: [homePlugin, homeModule],
    initialRouteEntries: ['/home'],
    config: { app: { title: 'Acme Developer Portal' }, ...config },
    apis: [
      mockApis.identity({
        userEntityRef: 'user:default/guest',
        ownershipEntityRefs: ['user:default/guest'],
      }),
      [catalogApiRef, catalogApiMock({ entities: [] })],
      [starredEntitiesApiRef, new MockStarredEntitiesApi()],
      [
        environmentsApiRef,
        { list: async () => ({ items: [] }) } as unknown as EnvironmentsApi,
      ],
      [doraApiRef, {} as DoraApi],
    ],
  });
}

describe('the home page', () => {
  it("shows Acme's cards in Acme's layout, and none of the scaffold's", async () => {
    renderHome();
    // the first render loads the page's lazy parts
    expect(
      await screen.findByRole(
        'heading',
        { name: 'Acme Developer Portal' },
        { timeout: 15_000 },
      ),
    ).toBeInTheDocument();
    for (const title of [
      'My environments',
      "My teams' delivery",
      'Golden paths',
      'Your Starred Entities',
    ]) {
      expect(await screen.findByText(title)).toBeInTheDocument();
    }
    expect(
      await screen.findByText('You are not a member of a team in the catalog.'),
    ).toBeInTheDocument();
    for (const title of ['Random Joke', 'World Clocks', 'Toolkit']) {
      expect(screen.queryByText(title)).not.toBeInTheDocument();
    }
  }, 30_000); // the first render loads the home page's lazy parts

  it("follows app-config's layout when it sets one", async () => {
    renderHome({
      app: {
        title: 'Acme Developer Portal',
        extensions: [
          {
            'page:home': {
              config: {
                defaultConfig: [
                  {
                    component: 'GoldenPaths',
                    row: 0,
                    column: 0,
                    width: 12,
                    height: 4,
                  },
                ],
              },
            },
          },
        ],
      },
    });
    expect(
      await screen.findByText('Golden paths', undefined, { timeout: 15_000 }),
    ).toBeInTheDocument();
    expect(screen.queryByText('My environments')).not.toBeInTheDocument();
  });
});
