import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { doraApiRef } from '../api/DoraApi';
import { mockDoraApi } from '../__testUtils__/fixtures';
import { GroupDoraContent } from './GroupDoraContent';

const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'payments', namespace: 'default' },
  spec: { type: 'team', children: [] },
};

function render(api = mockDoraApi()) {
  renderInTestApp(
    <EntityProvider entity={group}>
      <GroupDoraContent />
    </EntityProvider>,
    { apis: [[doraApiRef, api]] },
  );
  return api;
}

describe('GroupDoraContent', () => {
  it("shows the team's five metrics and its scorecard rollup (API mocked)", async () => {
    const api = render(
      mockDoraApi({
        getTeamScorecards: jest.fn(async () => ({
          items: [
            {
              teamRef: 'group:default/payments',
              scorecard: 'production-readiness',
              title: 'Production readiness',
              entities: 2,
              averageScore: 70,
              grades: { gold: 0, silver: 1, bronze: 1, none: 0 },
              items: [
                {
                  entityRef: 'component:default/payments-api',
                  score: 75,
                  grade: 'silver' as const,
                },
                {
                  entityRef: 'component:default/ledger-service',
                  score: 65,
                  grade: 'bronze' as const,
                },
              ],
            },
          ],
        })),
      }),
    );
    expect(
      await screen.findByRole('button', { name: 'Deployment frequency' }),
    ).toHaveTextContent('1.5 / day');
    expect(api.getMetrics).toHaveBeenCalledWith({
      entity: 'group:default/payments',
      windowDays: 30,
    });
    const rollup = await screen.findByRole('table', {
      name: 'Scorecard rollup',
    });
    expect(rollup).toHaveTextContent('Production readiness');
    expect(rollup).toHaveTextContent('70 / 100');
    expect(rollup).toHaveTextContent('1 silver, 1 bronze');
    expect(within(rollup).getByText('ledger-service (65)')).toBeInTheDocument();
    expect(api.getTeamScorecards).toHaveBeenCalledWith(
      'group:default/payments',
    );
  });

  it('shows an empty rollup when the backend has no scorecards (404, API mocked)', async () => {
    render();
    expect(
      await screen.findByText(
        "No scorecards have been evaluated for this team's entities yet.",
      ),
    ).toBeInTheDocument();
  });
});
