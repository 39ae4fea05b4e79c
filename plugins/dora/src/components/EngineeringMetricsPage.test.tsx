import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, waitFor, within } from '@testing-library/react';
import { doraApiRef } from '../api/DoraApi';
import { mockDoraApi } from '../__testUtils__/fixtures';
import { EngineeringMetricsPage } from './EngineeringMetricsPage';

const team = (name: string, title: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'team', children: [] },
});

describe('EngineeringMetricsPage', () => {
  it('lists the organisation and every team with metrics, template adoption and time to first deploy (API mocked)', async () => {
    const api = mockDoraApi();
    const catalogApi = catalogApiMock({
      entities: [
        team('payments', 'Payments'),
        team('storefront', 'Storefront'),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Group',
          metadata: { name: 'engineering' },
          spec: { type: 'department', children: [] },
        },
      ],
    });
    renderInTestApp(<EngineeringMetricsPage />, {
      apis: [
        [doraApiRef, api],
        [catalogApiRef, catalogApi],
      ],
    });

    const teams = await screen.findByRole('table', { name: 'Teams' });
    await waitFor(() =>
      expect(within(teams).getAllByRole('row')).toHaveLength(4),
    ); // header, org, two teams
    expect(
      within(teams).getByRole('link', { name: 'Payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/dora');
    expect(within(teams).queryByText('engineering')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(within(teams).getAllByText('1.5 / day')).toHaveLength(3),
    );
    // the organisation and every team in one batch (POST /metrics/batch), not a request each
    expect(api.getMetricsBatch).toHaveBeenCalledTimes(1);
    expect(api.getMetricsBatch).toHaveBeenCalledWith({
      entities: ['org', 'group:default/payments', 'group:default/storefront'],
      windowDays: 30,
    });
    expect(api.getMetrics).not.toHaveBeenCalled();

    expect(
      await screen.findByRole('table', { name: 'Template runs per team' }),
    ).toHaveTextContent('payments');
    expect(
      screen.getByRole('table', { name: 'Template runs per template' }),
    ).toHaveTextContent('service');
    expect(
      await screen.findByRole('table', { name: 'Time to first deploy' }),
    ).toHaveTextContent('new-svc');
    expect(
      screen.getByText(/Median 24 h over 1 deployed service/),
    ).toBeInTheDocument();
  }, 30_000); // three of Backstage's tables, slow to render in jsdom on a busy machine
});
