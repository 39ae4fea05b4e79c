/** The p-th percentile with linear interpolation between ranks, as PostgreSQL's percentile_cont. */
export function percentile(values: number[], p: number): number | undefined {
  if (!values.length) return undefined;
  const xs = [...values].sort((a, b) => a - b);
  const pos = (xs.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo);
}

export function median(values: number[]): number | undefined {
  return percentile(values, 0.5);
}
