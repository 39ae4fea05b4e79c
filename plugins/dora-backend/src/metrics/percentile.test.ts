import { median, percentile } from './percentile';

describe('percentile (as percentile_cont)', () => {
  it('interpolates between ranks', () => {
    // sorted 1 2 3 4: median at position 1.5 -> 2 + (3 - 2) * 0.5 = 2.5
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // p90 of 1..10: position 8.1 -> 9 + (10 - 9) * 0.1 = 9.1
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10);
    expect(median([7])).toBe(7);
    expect(median([])).toBeUndefined();
  });
});
