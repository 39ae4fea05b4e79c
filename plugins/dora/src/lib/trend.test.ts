import { relativeChange, trendArrow, trendColor, trendDisplay } from './trend';

describe('trend', () => {
  it('points the arrow the way the number moved, coloured by whether that is good', () => {
    // lead time went down: the arrow points down, and that is an improvement
    const lead = trendDisplay(
      {
        unit: 'hours',
        value: 10,
        previous: { value: 20, sampleSize: 9 },
        trend: 'improving',
      },
      30,
    );
    expect(lead).toEqual({
      arrow: '↓',
      color: 'success',
      label: 'improving (-50%)',
      detail: 'was 20 h over the previous 30 days',
    });
    // deployment frequency went down: a worsening
    const freq = trendDisplay(
      {
        unit: 'per-day',
        value: 1,
        previous: { value: 2, sampleSize: 60 },
        trend: 'worsening',
      },
      30,
    );
    expect(freq.arrow).toBe('↓');
    expect(freq.color).toBe('error');
  });

  it('shows flat as a level arrow without a percentage', () => {
    const flat = trendDisplay(
      {
        unit: 'ratio',
        value: 0.101,
        previous: { value: 0.1, sampleSize: 20 },
        trend: 'flat',
      },
      7,
    );
    expect(flat.arrow).toBe('→');
    expect(flat.label).toBe('flat');
    expect(flat.color).toBe('text');
  });

  it('says why there is no trend', () => {
    expect(
      trendDisplay(
        { unit: 'ratio', value: 0.1, previous: { sampleSize: 0 } },
        30,
      ).detail,
    ).toBe('nothing to compare with over the previous 30 days');
    expect(
      trendDisplay(
        { unit: 'ratio', value: 0.1, previous: { value: 0.5, sampleSize: 1 } },
        30,
      ).detail,
    ).toBe('not enough data to compare; was 50% over the previous 30 days');
  });

  it('computes relative changes and arrows', () => {
    expect(relativeChange(15, 10)).toBeCloseTo(0.5);
    expect(relativeChange(1, 0)).toBeUndefined();
    expect(relativeChange(0, 0)).toBe(0);
    expect(trendArrow('improving', 3, 2)).toBe('↑');
    expect(trendArrow(undefined)).toBe('→');
    expect(trendColor('worsening')).toBe('error');
  });
});
