import { MetricName, MetricsResult } from '@internal/plugin-dora-common';

/** The windows the views offer, in days. */
export const WINDOWS = [7, 30, 90] as const;
export type WindowDays = (typeof WINDOWS)[number];
export const DEFAULT_WINDOW: WindowDays = 30;

const DAY = 24 * 3600_000;

/**
 * The ends of the extra windows a trend chart asks for. Each metrics response holds its window
 * and the previous one of the same length, so asking at `to - 2kW` for k = 1..n-1 gives 2n
 * consecutive windows, newest first (k = 0 is the response already loaded).
 */
export function historyEnds(
  to: string,
  windowDays: number,
  requests = 3,
): string[] {
  const end = new Date(to).getTime();
  const ends: string[] = [];
  for (let k = 1; k < requests; k++)
    ends.push(new Date(end - 2 * k * windowDays * DAY).toISOString());
  return ends;
}

export interface SeriesPoint {
  /** The window's last day, "Mar 14". */
  label: string;
  from: string;
  to: string;
  value?: number;
  sampleSize: number;
}

const MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/** "Mar 14", in UTC so that it does not move with the viewer's zone. */
export function shortDay(iso: string): string {
  const d = new Date(iso);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
}

/**
 * One metric over consecutive windows, oldest first, from metrics responses (in any order): each
 * gives its own window and the previous one. Windows that two responses both give are kept once.
 */
export function metricSeries(
  results: MetricsResult[],
  metric: MetricName,
): SeriesPoint[] {
  const byEnd = new Map<number, SeriesPoint>();
  for (const r of results) {
    const m = r.metrics[metric];
    if (!m) continue;
    const to = new Date(r.to).getTime();
    const from = new Date(r.from).getTime();
    const length = to - from;
    byEnd.set(to, {
      label: shortDay(r.to),
      from: r.from,
      to: r.to,
      value: m.value,
      sampleSize: m.sampleSize,
    });
    if (m.previous && !byEnd.has(from)) {
      byEnd.set(from, {
        label: shortDay(r.from),
        from: new Date(from - length).toISOString(),
        to: r.from,
        value: m.previous.value,
        sampleSize: m.previous.sampleSize,
      });
    }
  }
  return [...byEnd.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
}
