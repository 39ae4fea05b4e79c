import {
  axisTick,
  bucketLabel,
  chartValue,
  formatHours,
  formatMetric,
  formatPercent,
  formatPerDay,
  insufficientDataText,
  metricDetailText,
  noDeploymentsText,
  sampleLabel,
  shortRef,
  subjectKindOf,
} from './format';

describe('format', () => {
  it('formats durations in minutes, hours or days', () => {
    expect(formatHours(0.75)).toBe('45 min');
    expect(formatHours(5.24)).toBe('5.2 h');
    expect(formatHours(47.9)).toBe('47.9 h');
    expect(formatHours(74.4)).toBe('3.1 days');
    expect(formatHours(undefined)).toBe('—');
  });

  it('formats ratios as percentages and rates per day', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(undefined)).toBe('—');
    expect(formatPerDay(2.345)).toBe('2.3 / day');
    expect(formatPerDay(1 / 7)).toBe('0.14 / day');
    expect(formatMetric({ unit: 'ratio', value: 0.2 })).toBe('20%');
    expect(formatMetric({ unit: 'hours', value: undefined })).toBe('—');
  });

  it('names the sample and says when it is too small', () => {
    expect(sampleLabel({ name: 'deploymentFrequency', sampleSize: 1 })).toBe(
      '1 deployment',
    );
    expect(sampleLabel({ name: 'changeLeadTime', sampleSize: 12 })).toBe(
      '12 changes',
    );
    expect(
      insufficientDataText({
        name: 'deploymentFrequency',
        sampleSize: 3,
        details: { minimumSample: 5 },
      }),
    ).toBe('insufficient data (3 deployments, 5 needed)');
    expect(
      insufficientDataText({
        name: 'failedDeploymentRecoveryTime',
        sampleSize: 1,
        details: {},
      }),
    ).toBe('insufficient data (1 recovery)');
  });

  it('writes the empty state for components, teams and the organisation', () => {
    expect(
      noDeploymentsText(subjectKindOf('component:default/payments-api'), 30),
    ).toBe('No deployments recorded for this component in the last 30 days');
    expect(noDeploymentsText(subjectKindOf('group:default/payments'), 7)).toBe(
      'No deployments recorded for this team in the last 7 days',
    );
    expect(noDeploymentsText(subjectKindOf('org'), 90)).toBe(
      'No deployments recorded for the organisation in the last 90 days',
    );
  });

  it('describes the numbers next to each headline', () => {
    expect(
      metricDetailText({
        name: 'deploymentFrequency',
        details: { perWeek: 3.5, bucket: 'daily-to-weekly' },
      }),
    ).toBe('3.5 / week, between daily and weekly');
    expect(
      metricDetailText({
        name: 'changeLeadTime',
        details: { medianHours: 2, p90Hours: 30 },
      }),
    ).toBe('median; p90 30 h');
    expect(
      metricDetailText({
        name: 'changeFailureRate',
        details: { failed: 2, deployments: 10 },
      }),
    ).toBe('2 of 10 deployments failed');
    expect(
      metricDetailText({
        name: 'failedDeploymentRecoveryTime',
        details: { resolvedIncidents: 2, rollbacks: 1, openIncidents: 1 },
      }),
    ).toBe('median; 2 incidents, 1 rollbacks, 1 still open');
    expect(bucketLabel('on-demand')).toBe('on demand (daily or more)');
    expect(bucketLabel(undefined)).toBeUndefined();
  });

  it('shortens entity refs', () => {
    expect(shortRef('group:default/payments')).toBe('payments');
    expect(shortRef('component:other/x')).toBe('other/x');
    expect(shortRef(undefined)).toBe('—');
  });

  it('plots ratios in percent and leaves gaps for missing values', () => {
    expect(chartValue('ratio', 0.25)).toBe(25);
    expect(chartValue('hours', 3)).toBe(3);
    expect(chartValue('per-day', undefined)).toBeNull();
    expect(axisTick('ratio', 12.5)).toBe('12.5%');
    expect(axisTick('hours', 72)).toBe('3 days');
    expect(axisTick('per-day', 0.14285)).toBe('0.14');
  });
});
