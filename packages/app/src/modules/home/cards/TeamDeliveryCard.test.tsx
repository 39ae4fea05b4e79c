import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { DoraApi, doraApiRef } from '@internal/plugin-dora';
import {
  METRIC_NAMES,
  MetricName,
  MetricsResult,
  MetricValue,
} from '@internal/plugin-dora-common';
import { screen, within } from '@testing-library/react';
import { TeamDeliveryCard } from './TeamDeliveryCard';

const group = (name: string, title: string) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default', title },
  spec: { type: 'team', children: [] },
});

const metric = (name: MetricName, m: Partial<MetricValue>): MetricValue => ({
  name,
  unit: 'ratio',
  sampleSize: 20,
  insufficientData: false,
  details: {},
  ...m,
});

function metricsOf(entity: string): MetricsResult {
  const metrics = Object.fromEntries(
    METRIC_NAMES.map(n => [n, metric(n, { level: 'high' })]),
  ) as Record<MetricName, MetricValue>;
  metrics.deploymentFrequency = metric('deploymentFrequency', {
    level: 'elite',
  });
  metrics.failedDeploymentRecoveryTime = metric(
    'failedDeploymentRecoveryTime',
    { insufficientData: true, sampleSize: 1 },
  );
  return {
    entity,
    windowDays: 30,
    from: '2026-03-01T00:00:00Z',
    to: '2026-03-31T00:00:00Z',
    benchmark: '2024',
    metrics,
  };
}

function doraApi() {
  return {
    getMetrics: jest.fn(async ({ entity }) => metricsOf(entity)),
    getTeamScorecards: jest.fn(async (teamRef?: string) => ({
      items: [
        {
          teamRef: teamRef!,
          scorecard: 'production-readiness',
          title: 'Production readiness',
          entities: 3,
          averageScore: 81.6,
          grades: { gold: 1, silver: 2, bronze: 0, none: 0 },
          items: [],
        },
      ],
    })),
  } as unknown as jest.Mocked<DoraApi>;
}

describe('TeamDeliveryCard', () => {
  it("shows each of the person's teams with its DORA levels and scorecards", async () => {
    const api = doraApi();
    await renderInTestApp(<TeamDeliveryCard />, {
      apis: [
        mockApis.identity({
          userEntityRef: 'user:default/guest',
          ownershipEntityRefs: [
            'user:default/guest',
            'group:default/payments',
            'group:default/deleted-team',
          ],
        }),
        [
          catalogApiRef,
          catalogApiMock({ entities: [group('payments', 'Payments')] }),
        ],
        [doraApiRef, api],
      ],
    });

    const team = await screen.findByRole('region', {
      name: 'Payments delivery',
    });
    expect(
      within(team).getByRole('link', { name: 'Payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments/dora');
    expect(
      await within(team).findByLabelText('Deployment frequency: Elite'),
    ).toBeInTheDocument();
    expect(within(team).getByLabelText('Lead time: High')).toBeInTheDocument();
    expect(
      within(team).getByLabelText('Recovery time: too few data'),
    ).toBeInTheDocument();
    expect(
      await within(team).findByText(
        'Scorecards: Production readiness 82 over 3 entities',
      ),
    ).toBeInTheDocument();
    expect(api.getMetrics).toHaveBeenCalledWith({
      entity: 'group:default/payments',
      windowDays: 30,
    });
    expect(api.getTeamScorecards).toHaveBeenCalledWith(
      'group:default/payments',
    );
    // a group the catalog no longer has is left out
    expect(api.getMetrics).toHaveBeenCalledTimes(1);
  });

  it('says so when the person is in no team', async () => {
    await renderInTestApp(<TeamDeliveryCard />, {
      apis: [
        mockApis.identity({
          userEntityRef: 'user:default/guest',
          ownershipEntityRefs: ['user:default/guest'],
        }),
        [catalogApiRef, catalogApiMock({ entities: [] })],
        [doraApiRef, doraApi()],
      ],
    });
    expect(
      await screen.findByText('You are not a member of a team in the catalog.'),
    ).toBeInTheDocument();
  });
});
