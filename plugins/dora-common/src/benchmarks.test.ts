import {
  DORA_2023,
  DORA_2024,
  frequencyBucket,
  isLevelAtLeast,
  levelOf,
} from './benchmarks';

describe('benchmark levels', () => {
  it('grades deployment frequency from elite down (deployments a day)', () => {
    expect(levelOf(DORA_2023, 'deploymentFrequency', 3)).toBe('elite');
    expect(levelOf(DORA_2023, 'deploymentFrequency', 1)).toBe('elite');
    expect(levelOf(DORA_2023, 'deploymentFrequency', 2 / 7)).toBe('high'); // twice a week
    expect(levelOf(DORA_2023, 'deploymentFrequency', 2 / 30)).toBe('medium'); // twice a month
    expect(levelOf(DORA_2023, 'deploymentFrequency', 1 / 90)).toBe('low');
  });

  it('grades lead time in hours, elite strictly under a day', () => {
    expect(levelOf(DORA_2024, 'changeLeadTime', 23.9)).toBe('elite');
    expect(levelOf(DORA_2024, 'changeLeadTime', 24)).toBe('high');
    expect(levelOf(DORA_2024, 'changeLeadTime', 200)).toBe('medium');
    expect(levelOf(DORA_2024, 'changeLeadTime', 1000)).toBe('low');
  });

  it('differs between report versions for the change failure rate', () => {
    expect(levelOf(DORA_2023, 'changeFailureRate', 0.12)).toBe('medium');
    expect(levelOf(DORA_2024, 'changeFailureRate', 0.12)).toBe('high');
    expect(levelOf(DORA_2024, 'changeFailureRate', 0.3)).toBe('low');
  });

  it('has no level for the rework rate in the report tables', () => {
    expect(levelOf(DORA_2024, 'deploymentReworkRate', 0.1)).toBeUndefined();
  });

  it('compares levels for scorecard checks', () => {
    expect(isLevelAtLeast('elite', 'high')).toBe(true);
    expect(isLevelAtLeast('medium', 'high')).toBe(false);
    expect(isLevelAtLeast(undefined, 'low')).toBe(false);
    expect(frequencyBucket(0.5)).toBe('daily-to-weekly');
  });
});
