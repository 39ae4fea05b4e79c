import { median, percentile, percentilesUnsorted } from './percentile';

describe('percentile (as percentile_cont)', () => {
  it('interpolates between ranks', () => {
    // sorted 1 2 3 4: median at position 1.5 -> 2 + (3 - 2) * 0.5 = 2.5
    expect(median([4, 1, 3, 2])).toBe(2.5);
    // p90 of 1..10: position 8.1 -> 9 + (10 - 9) * 0.1 = 9.1
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(
      9.1,
      10,
    );
    expect(median([7])).toBe(7);
    expect(median([])).toBeUndefined();
  });

  it('finds the same percentiles by selection as by sorting, with duplicates and any order', () => {
    // a fixed pseudo-random sequence (no randomness in tests): x_{n+1} = x_n * 48271 mod (2^31 - 1), folded to 0..999
    let x = 12345;
    const next = () => {
      x = (x * 48271) % 2147483647;
      return x % 1000;
    };
    for (const n of [1, 2, 3, 10, 101, 1000, 4097]) {
      const values = Array.from({ length: n }, next);
      const expected = [0.5, 0.9, 0.1, 1].map(p => percentile(values, p));
      expect(
        percentilesUnsorted(Float64Array.from(values), [0.5, 0.9, 0.1, 1]),
      ).toEqual(expected);
    }
  });
});
