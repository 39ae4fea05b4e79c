/** The p-th percentile with linear interpolation between ranks, as PostgreSQL's percentile_cont. */
export function percentile(values: number[], p: number): number | undefined {
  return percentileSorted(Float64Array.from(values).sort(), p);
}

/** The same, of values already in ascending order. */
export function percentileSorted(
  xs: ArrayLike<number>,
  p: number,
): number | undefined {
  if (!xs.length) return undefined;
  const pos = (xs.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export function median(values: number[]): number | undefined {
  return percentile(values, 0.5);
}

/** The median of three values. */
function medianOfThree(a: number, b: number, c: number): number {
  if (a < b) {
    if (b < c) return b;
    return a < c ? c : a;
  }
  if (a < c) return a;
  return b < c ? c : b;
}

/** Moves the k-th smallest value of xs to xs[k], smaller ones before it, larger after (quickselect). */
function select(xs: Float64Array, k: number): void {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // median of three as the pivot
    const pivot = medianOfThree(xs[lo], xs[mid], xs[hi]);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (xs[i] < pivot) i++;
      while (xs[j] > pivot) j--;
      if (i <= j) {
        const t = xs[i];
        xs[i] = xs[j];
        xs[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/**
 * The p-th percentiles (as percentile_cont) of unsorted values, without sorting them all: each
 * needs the values at two ranks, found by quickselect in O(n). Reorders xs.
 */
export function percentilesUnsorted(
  xs: Float64Array,
  ps: number[],
): (number | undefined)[] {
  if (!xs.length) return ps.map(() => undefined);
  const at = (k: number) => {
    select(xs, k);
    return xs[k];
  };
  return ps.map(p => {
    const pos = (xs.length - 1) * p;
    const lo = Math.floor(pos);
    const low = at(lo);
    if (pos === lo) return low;
    // the next rank is the smallest value after lo once lo is in place
    let high = Infinity;
    for (let i = lo + 1; i < xs.length; i++) if (xs[i] < high) high = xs[i];
    return low + (high - low) * (pos - lo);
  });
}
