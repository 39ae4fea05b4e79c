import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { doraApiRef } from '../api/DoraApi';
import { metricsResult, mockDoraApi } from '../__testUtils__/fixtures';
import { EntityDoraContent } from './EntityDoraContent';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

function render(api = mockDoraApi()) {
  renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityDoraContent />
    </EntityProvider>,
    { apis: [[doraApiRef, api]] },
  );
  return api;
}

describe('EntityDoraContent', () => {
  it('shows the five metrics with value, sample, level and trend (API mocked)', async () => {
    const api = render();
    const tile = await screen.findByRole('button', {
      name: 'Deployment frequency',
    });
    expect(tile).toHaveTextContent('1.5 / day');
    expect(tile).toHaveTextContent('10.5 / week, on demand (daily or more)');
    expect(tile).toHaveTextContent('45 deployments');
    expect(within(tile).getByLabelText('level elite')).toHaveTextContent(
      'Elite (2024)',
    );
    expect(
      within(tile).getByLabelText('trend improving (+50%)'),
    ).toBeInTheDocument();

    expect(
      screen.getByRole('button', { name: 'Change lead time' }),
    ).toHaveTextContent('20 hmedian; p90 2.9 days80 changes');
    expect(
      screen.getByRole('button', { name: 'Change failure rate' }),
    ).toHaveTextContent('4 of 45 deployments failed');
    const recovery = screen.getByRole('button', {
      name: 'Failed deployment recovery time',
    });
    expect(recovery).toHaveTextContent(
      'insufficient data (2 recoveries, 3 needed)',
    );
    expect(within(recovery).getByLabelText('level none')).toHaveTextContent(
      'No level',
    );
    const rework = screen.getByRole('button', {
      name: 'Deployment rework rate',
    });
    expect(rework).toHaveTextContent('5%');
    expect(within(rework).getByLabelText('level none')).toHaveTextContent(
      'No benchmark level',
    );

    expect(api.getMetrics).toHaveBeenCalledWith({
      entity: 'component:default/payments-api',
      windowDays: 30,
    });
    expect(
      await screen.findByText(
        /Levels follow the 2024 benchmark: Accelerate State of DevOps Report 2024/,
      ),
    ).toBeInTheDocument();
  });

  it('opens the deployments behind the deployment frequency, with a trend chart (API mocked)', async () => {
    const api = render();
    await userEvent.click(
      await screen.findByRole('button', { name: 'Deployment frequency' }),
    );
    const table = await screen.findByRole('table', { name: 'Deployments' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(table).toHaveTextContent('abcdef1');
    expect(table).toHaveTextContent('rework: rollback');
    expect(api.getDrillDown).toHaveBeenCalledWith(
      expect.objectContaining({
        entity: 'component:default/payments-api',
        metric: 'deploymentFrequency',
        windowDays: 30,
        at: '2026-03-31T00:00:00.000Z',
        period: 'current',
      }),
    );
    expect(
      screen.getByRole('img', {
        name: /Deployment frequency over the last \d+ windows of 30 days/,
      }),
    ).toBeInTheDocument();
    // the chart's older windows come from metrics asked at earlier ends
    // the chart's older windows: metrics asked at two and four window lengths before
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith({
        entity: 'component:default/payments-api',
        windowDays: 30,
        at: '2026-01-30T00:00:00.000Z',
      }),
    );
    expect(api.getMetrics).toHaveBeenCalledWith({
      entity: 'component:default/payments-api',
      windowDays: 30,
      at: '2025-12-01T00:00:00.000Z',
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Previous window' }),
    );
    await waitFor(() =>
      expect(api.getDrillDown).toHaveBeenLastCalledWith(
        expect.objectContaining({ period: 'previous' }),
      ),
    );
  }, 20_000); // the drill-down renders Backstage's table, slow to render in jsdom on a busy machine

  it('asks again for another window (API mocked)', async () => {
    const api = render();
    await screen.findByRole('button', { name: 'Deployment frequency' });
    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    await waitFor(() =>
      expect(api.getMetrics).toHaveBeenCalledWith({
        entity: 'component:default/payments-api',
        windowDays: 7,
      }),
    );
    expect(
      await screen.findByText(/against the 7 days before/),
    ).toBeInTheDocument();
  });

  it('says when no deployments were recorded (API mocked)', async () => {
    const empty = metricsResult({
      deploymentFrequency: {
        value: 0,
        sampleSize: 0,
        insufficientData: true,
        level: undefined,
        trend: undefined,
        details: { deployments: 0, perWeek: 0, minimumSample: 3 },
      },
    });
    render(mockDoraApi({ getMetrics: jest.fn(async () => empty) }));
    expect(
      await screen.findByText(
        'No deployments recorded for this component in the last 30 days',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Deployment frequency' }),
    ).toHaveTextContent('insufficient data (0 deployments, 3 needed)');
  });

  it('shows a failed request in an error panel (API mocked)', async () => {
    const error = new Error(
      'entity: component:default/payments-api is not in the catalog, or you may not see it',
    );
    error.name = 'NotFoundError';
    render(
      mockDoraApi({
        getMetrics: jest.fn(async () => Promise.reject(error as ResponseError)),
      }),
    );
    expect(
      (
        await screen.findAllByText(
          /is not in the catalog, or you may not see it/,
        )
      )[0],
    ).toBeInTheDocument();
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Deployment frequency' }),
    ).not.toBeInTheDocument();
  });
});
