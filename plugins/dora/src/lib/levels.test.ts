import {
  GRADE_COLORS,
  gradeLabel,
  levelColor,
  levelLabel,
  levelTooltip,
  noLevelReason,
} from './levels';

describe('levels and grades', () => {
  it('colours DORA levels from green to red', () => {
    expect(levelColor('elite')).toBe('success');
    expect(levelColor('high')).toBe('info');
    expect(levelColor('medium')).toBe('warning');
    expect(levelColor('low')).toBe('error');
    expect(levelColor(undefined)).toBe('default');
  });

  it('labels levels, and says why there is none', () => {
    expect(levelLabel('elite')).toBe('Elite');
    expect(levelLabel(undefined, 'no-benchmark')).toBe('No benchmark level');
    expect(levelLabel(undefined, 'insufficient')).toBe('No level');
  });

  it('gives every grade a medal colour with readable text', () => {
    expect(Object.keys(GRADE_COLORS).sort()).toEqual([
      'bronze',
      'gold',
      'none',
      'silver',
    ]);
    expect(GRADE_COLORS.gold.background).not.toBe(
      GRADE_COLORS.silver.background,
    );
    expect(gradeLabel('gold')).toBe('Gold');
    expect(gradeLabel('none')).toBe('No grade');
  });

  it('says why a metric has no level', () => {
    expect(
      noLevelReason({ level: 'high', value: 2, insufficientData: false }),
    ).toBeUndefined();
    expect(noLevelReason({ value: 2, insufficientData: true })).toBe(
      'insufficient',
    );
    expect(noLevelReason({ insufficientData: false })).toBe('insufficient');
    expect(noLevelReason({ value: 0.1, insufficientData: false })).toBe(
      'no-benchmark',
    );
    expect(levelTooltip('elite', '2024')).toBe(
      'Elite under the DORA 2024 benchmark',
    );
    expect(levelTooltip(undefined, '2023', 'no-benchmark')).toBe(
      'The DORA 2023 benchmark has no levels for this metric',
    );
  });
});
