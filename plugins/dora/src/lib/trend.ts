import { MetricValue, Trend } from '@internal/plugin-dora-common';
import { formatValue } from './format';

export interface TrendDisplay {
  /** Which way the number moved: ↑ up, ↓ down, → about the same. */
  arrow: '↑' | '↓' | '→';
  /** Good or bad, in the metric's own direction (fewer failures is good). */
  color: 'success' | 'error' | 'text';
  /** "improving", "worsening", "flat", or "no trend". */
  label: string;
  /** "was 1.2 / day over the previous 30 days", or why there is no trend. */
  detail: string;
}

/** Relative change of a value against the previous one, or undefined without a previous value. */
export function relativeChange(
  current: number | undefined,
  previous: number | undefined,
): number | undefined {
  if (current === undefined || previous === undefined) return undefined;
  if (previous === 0) return current === 0 ? 0 : undefined;
  return (current - previous) / Math.abs(previous);
}

/** The arrow of a move from previous to current; flat trends are → whatever the digits say. */
export function trendArrow(
  trend: Trend | undefined,
  current?: number,
  previous?: number,
): TrendDisplay['arrow'] {
  if (
    trend === 'flat' ||
    current === undefined ||
    previous === undefined ||
    current === previous
  )
    return '→';
  return current > previous ? '↑' : '↓';
}

export function trendColor(trend: Trend | undefined): TrendDisplay['color'] {
  if (trend === 'improving') return 'success';
  if (trend === 'worsening') return 'error';
  return 'text';
}

/** Everything a trend indicator shows, for a metric against its previous window. */
export function trendDisplay(
  metric: Pick<MetricValue, 'unit' | 'value' | 'previous' | 'trend'>,
  windowDays: number,
): TrendDisplay {
  const previous = metric.previous?.value;
  const was = `over the previous ${windowDays} days`;
  if (!metric.trend) {
    return {
      arrow: '→',
      color: 'text',
      label: 'no trend',
      detail:
        previous === undefined
          ? `nothing to compare with ${was}`
          : `not enough data to compare; was ${formatValue(
              metric.unit,
              previous,
            )} ${was}`,
    };
  }
  const change = relativeChange(metric.value, previous);
  const pct =
    change !== undefined && metric.trend !== 'flat'
      ? ` (${change > 0 ? '+' : ''}${Math.round(change * 100)}%)`
      : '';
  return {
    arrow: trendArrow(metric.trend, metric.value, previous),
    color: trendColor(metric.trend),
    label: `${metric.trend}${pct}`,
    detail: `was ${formatValue(metric.unit, previous)} ${was}`,
  };
}
