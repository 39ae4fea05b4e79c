import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, within } from '@testing-library/react';
import { doraApiRef } from '../api/DoraApi';
import { mockDoraApi } from '../__testUtils__/fixtures';
import { EntityScorecardCard } from './EntityScorecardCard';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

function render(api = mockDoraApi()) {
  renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityScorecardCard />
    </EntityProvider>,
    { apis: [[doraApiRef, api]] },
  );
  return api;
}

describe('EntityScorecardCard', () => {
  it('shows grade, score, history and every check with its exemption (API mocked)', async () => {
    const api = render();
    const card = await screen.findByRole('region', {
      name: 'Scorecard Production readiness',
    });
    expect(within(card).getByLabelText('grade silver')).toHaveTextContent(
      'Silver',
    );
    expect(within(card).getByLabelText('score 75')).toHaveTextContent(
      '75 / 100',
    );
    expect(
      within(card).getByRole('img', {
        name: 'Production readiness score history',
      }),
    ).toBeInTheDocument();
    expect(
      within(card).getByLabelText('Has an owner: passed'),
    ).toHaveTextContent('Owned by group:default/payments');
    expect(within(card).getByLabelText('Has docs: failed')).toHaveTextContent(
      'No backstage.io/techdocs-ref annotation',
    );
    expect(
      within(card).getByLabelText('DORA level at least high: exempt'),
    ).toHaveTextContent(
      'Exempt: Migrating to the new ledger. Approved by ana, until 2099-06-30.',
    );
    expect(api.getEntityScorecards).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
  });

  it('shows an empty state when the backend has no scorecards (404, API mocked)', async () => {
    render(
      mockDoraApi({ getEntityScorecards: jest.fn(async () => undefined) }),
    );
    expect(
      await screen.findByText(
        'No scorecards have been evaluated for this entity yet.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
