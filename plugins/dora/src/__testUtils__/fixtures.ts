import {
  DrillDownResult,
  EntityScorecardsResponse,
  MetricName,
  MetricsResult,
  MetricValue,
} from '@internal/plugin-dora-common';
import { DoraApi } from '../api/DoraApi';

const metric = (name: MetricName, m: Partial<MetricValue>): MetricValue => ({
  name,
  unit: 'ratio',
  sampleSize: 20,
  insufficientData: false,
  details: {},
  ...m,
});

/** A component's metrics over 30 days, as GET /metrics answers. */
export function metricsResult(
  overrides: Partial<Record<MetricName, Partial<MetricValue>>> = {},
  windowDays = 30,
): MetricsResult {
  const to = '2026-03-31T00:00:00.000Z';
  const from = new Date(
    new Date(to).getTime() - windowDays * 86400_000,
  ).toISOString();
  return {
    entity: 'component:default/payments-api',
    windowDays,
    from,
    to,
    benchmark: '2024',
    metrics: {
      deploymentFrequency: metric('deploymentFrequency', {
        unit: 'per-day',
        value: 1.5,
        sampleSize: 45,
        level: 'elite',
        previous: { value: 1, sampleSize: 30 },
        trend: 'improving',
        details: { deployments: 45, perWeek: 10.5, bucket: 'on-demand' },
        ...overrides.deploymentFrequency,
      }),
      changeLeadTime: metric('changeLeadTime', {
        unit: 'hours',
        value: 20,
        sampleSize: 80,
        level: 'elite',
        previous: { value: 30, sampleSize: 60 },
        trend: 'improving',
        details: { medianHours: 20, p90Hours: 70 },
        ...overrides.changeLeadTime,
      }),
      changeFailureRate: metric('changeFailureRate', {
        value: 0.1,
        sampleSize: 45,
        level: 'high',
        previous: { value: 0.1, sampleSize: 30 },
        trend: 'flat',
        details: { failed: 4, deployments: 45 },
        ...overrides.changeFailureRate,
      }),
      failedDeploymentRecoveryTime: metric('failedDeploymentRecoveryTime', {
        unit: 'hours',
        value: 2,
        sampleSize: 2,
        insufficientData: true,
        previous: { value: 3, sampleSize: 1 },
        details: {
          resolvedIncidents: 1,
          rollbacks: 1,
          openIncidents: 1,
          minimumSample: 3,
        },
        ...overrides.failedDeploymentRecoveryTime,
      }),
      deploymentReworkRate: metric('deploymentReworkRate', {
        value: 0.05,
        sampleSize: 45,
        previous: { value: 0.1, sampleSize: 30 },
        trend: 'improving',
        details: { rework: 2, deployments: 45 },
        ...overrides.deploymentReworkRate,
      }),
    },
  };
}

export const deploymentsDrillDown: DrillDownResult = {
  entity: 'component:default/payments-api',
  metric: 'deploymentFrequency',
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-03-31T00:00:00.000Z',
  rows: [
    {
      type: 'deployment',
      deployment: {
        id: 'dep-1',
        componentRef: 'component:default/payments-api',
        subject: 'component:default/payments-api',
        environment: 'production',
        production: true,
        status: 'success',
        sha: 'abcdef1234567',
        deployedAt: '2026-03-10T10:00:00.000Z',
      },
      counted: ['deployment'],
    },
    {
      type: 'deployment',
      deployment: {
        id: 'dep-2',
        componentRef: 'component:default/payments-api',
        subject: 'component:default/payments-api',
        environment: 'production',
        production: true,
        status: 'success',
        sha: '99887766554433',
        deployedAt: '2026-03-11T10:00:00.000Z',
        rework: 'rollback',
      },
      counted: ['deployment'],
    },
  ],
};

export const entityScorecards: EntityScorecardsResponse = {
  entityRef: 'component:default/payments-api',
  results: [
    {
      scorecard: 'production-readiness',
      title: 'Production readiness',
      entityRef: 'component:default/payments-api',
      ownerRef: 'group:default/payments',
      score: 75,
      grade: 'silver',
      evaluatedAt: '2026-03-30T08:00:00.000Z',
      checks: [
        {
          id: 'has-owner',
          title: 'Has an owner',
          weight: 2,
          outcome: 'passed',
          detail: 'Owned by group:default/payments',
        },
        {
          id: 'has-docs',
          title: 'Has docs',
          weight: 1,
          outcome: 'failed',
          detail: 'No backstage.io/techdocs-ref annotation',
        },
        {
          id: 'dora-level',
          title: 'DORA level at least high',
          weight: 1,
          outcome: 'exempt',
          detail: 'Change failure rate is medium',
          exemption: {
            entityRef: 'component:default/payments-api',
            scorecard: 'production-readiness',
            check: 'dora-level',
            reason: 'Migrating to the new ledger',
            approvedBy: 'user:default/ana',
            expires: '2099-06-30',
          },
        },
      ],
      history: [
        { evaluatedAt: '2026-03-28T08:00:00.000Z', score: 50, grade: 'bronze' },
        { evaluatedAt: '2026-03-29T08:00:00.000Z', score: 60, grade: 'bronze' },
        { evaluatedAt: '2026-03-30T08:00:00.000Z', score: 75, grade: 'silver' },
      ],
    },
  ],
};

/** A DoraApi whose every method is a jest mock, with the fixtures above as answers. */
export function mockDoraApi(
  overrides: Partial<DoraApi> = {},
): jest.Mocked<DoraApi> {
  return {
    getMetrics: jest.fn(async req => metricsResult({}, req.windowDays)),
    getMetricsBatch: jest.fn(async req =>
      req.entities.map(entity => ({
        entity,
        value: { ...metricsResult({}, req.windowDays), entity },
      })),
    ),
    getDrillDown: jest.fn(async () => deploymentsDrillDown),
    getBenchmarks: jest.fn(async () => ({
      default: '2024',
      items: [
        {
          name: '2024',
          description: 'Accelerate State of DevOps Report 2024',
          thresholds: {},
        },
      ],
    })),
    getTemplateAdoption: jest.fn(async () => [
      {
        templateRef: 'template:default/service',
        teamRef: 'group:default/payments',
        runs: 3,
        succeeded: 3,
      },
    ]),
    getTimeToFirstDeploy: jest.fn(async () => [
      {
        taskId: 't1',
        templateRef: 'template:default/service',
        componentRef: 'component:default/new-svc',
        teamRef: 'group:default/payments',
        createdAt: '2026-03-01T00:00:00.000Z',
        firstDeployedAt: '2026-03-02T00:00:00.000Z',
        hours: 24,
      },
    ]),
    getEntityScorecards: jest.fn(async () => entityScorecards),
    getTeamScorecards: jest.fn(async () => undefined),
    ...overrides,
  } as jest.Mocked<DoraApi>;
}
