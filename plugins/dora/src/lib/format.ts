import { MetricValue } from '@internal/plugin-dora-common';
import { METRIC_INFO } from './metricInfo';

/** A number with at most `digits` decimals, without trailing zeros: 1.5, 2, 0.33. */
export function round(value: number, digits = 1): string {
  const factor = 10 ** digits;
  const r = Math.round(value * factor) / factor;
  return Object.is(r, -0) ? '0' : String(r);
}

/** A duration in hours as people read it: "45 min", "5.2 h", "3.1 days". */
export function formatHours(hours: number | undefined): string {
  if (hours === undefined || !Number.isFinite(hours)) return '—';
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours < 48) return `${round(hours)} h`;
  return `${round(hours / 24)} days`;
}

/** A ratio 0..1 as a percentage: "12.5%". */
export function formatPercent(ratio: number | undefined): string {
  if (ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${round(ratio * 100)}%`;
}

/** Deployments a day: "2.3 / day", or "0.14 / day" under one a day. */
export function formatPerDay(perDay: number | undefined): string {
  if (perDay === undefined || !Number.isFinite(perDay)) return '—';
  return `${round(perDay, perDay < 1 ? 2 : 1)} / day`;
}

export function formatPerWeek(perWeek: number | undefined): string {
  if (perWeek === undefined || !Number.isFinite(perWeek)) return '—';
  return `${round(perWeek)} / week`;
}

/** The headline number of a metric in its unit. */
export function formatValue(
  unit: MetricValue['unit'],
  value: number | undefined,
): string {
  if (unit === 'per-day') return formatPerDay(value);
  if (unit === 'hours') return formatHours(value);
  return formatPercent(value);
}

export function formatMetric(
  metric: Pick<MetricValue, 'unit' | 'value'>,
): string {
  return formatValue(metric.unit, metric.value);
}

/** "1 deployment", "12 changes". */
export function plural(n: number, [one, many]: [string, string]): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The sample size of a metric in its words: "12 deployments". */
export function sampleLabel(
  metric: Pick<MetricValue, 'name' | 'sampleSize'>,
): string {
  return plural(metric.sampleSize, METRIC_INFO[metric.name].sample);
}

/**
 * The minimum sample the backend applied, when it says (details.minimumSample); the MetricValue
 * contract only has the insufficientData flag.
 */
export function minimumSample(
  metric: Pick<MetricValue, 'details'>,
): number | undefined {
  const m = metric.details?.minimumSample;
  return typeof m === 'number' ? m : undefined;
}

/** "insufficient data (3 deployments, 5 needed)", or without the minimum when it is unknown. */
export function insufficientDataText(
  metric: Pick<MetricValue, 'name' | 'sampleSize' | 'details'>,
): string {
  const min = minimumSample(metric);
  return `insufficient data (${sampleLabel(metric)}${
    min !== undefined ? `, ${min} needed` : ''
  })`;
}

/** What the metrics are about, in words for empty states. */
export type SubjectKind = 'component' | 'team' | 'organisation';

export function subjectKindOf(entity: string): SubjectKind {
  if (entity === 'org') return 'organisation';
  return entity.toLowerCase().startsWith('group:') ? 'team' : 'component';
}

/** "No deployments recorded for this component in the last 30 days". */
export function noDeploymentsText(
  kind: SubjectKind,
  windowDays: number,
): string {
  const whom = kind === 'organisation' ? 'the organisation' : `this ${kind}`;
  return `No deployments recorded for ${whom} in the last ${windowDays} days`;
}

const BUCKETS: Record<string, string> = {
  'on-demand': 'on demand (daily or more)',
  'daily-to-weekly': 'between daily and weekly',
  'weekly-to-monthly': 'between weekly and monthly',
  'less-than-monthly': 'less than monthly',
};

/** The DORA report's deployment frequency bucket in words. */
export function bucketLabel(bucket: unknown): string | undefined {
  return typeof bucket === 'string' ? BUCKETS[bucket] ?? bucket : undefined;
}

/** The second line of a metric tile: the numbers next to the headline. */
export function metricDetailText(
  metric: Pick<MetricValue, 'name' | 'details'>,
): string | undefined {
  const d = metric.details ?? {};
  const num = (k: string) =>
    typeof d[k] === 'number' ? (d[k] as number) : undefined;
  switch (metric.name) {
    case 'deploymentFrequency': {
      const parts = [
        formatPerWeek(num('perWeek')),
        bucketLabel(d.bucket),
      ].filter(p => p && p !== '—');
      return parts.length ? parts.join(', ') : undefined;
    }
    case 'changeLeadTime':
      return num('p90Hours') !== undefined
        ? `median; p90 ${formatHours(num('p90Hours'))}`
        : undefined;
    case 'changeFailureRate':
      return num('deployments') !== undefined
        ? `${num('failed') ?? 0} of ${num('deployments')} deployments failed`
        : undefined;
    case 'failedDeploymentRecoveryTime': {
      const open = num('openIncidents') ?? 0;
      const parts = [
        `median; ${num('resolvedIncidents') ?? 0} incidents, ${
          num('rollbacks') ?? 0
        } rollbacks`,
      ];
      if (open > 0) parts.push(`${open} still open`);
      return parts.join(', ');
    }
    case 'deploymentReworkRate':
      return num('deployments') !== undefined
        ? `${num('rework') ?? 0} of ${num(
            'deployments',
          )} deployments were rework`
        : undefined;
    default:
      return undefined;
  }
}

/** "2026-03-14 09:30" in the viewer's time zone, or "—". */
export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(
    d.getHours(),
  )}:${pad(d.getMinutes())}`;
}

/** "2026-03-14". */
export function formatDate(iso: string | undefined): string {
  return formatDateTime(iso).slice(0, 10);
}

/** "group:default/payments" -> "payments"; keeps a namespace other than default. */
export function shortRef(ref: string | undefined): string {
  if (!ref) return '—';
  const m = /^[^:]+:([^/]+)\/(.+)$/.exec(ref);
  if (!m) return ref;
  return m[1] === 'default' ? m[2] : `${m[1]}/${m[2]}`;
}

/** A short sha: the first 7 characters. */
export function shortSha(sha: string | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

/** A value as a chart plots it: ratios in percent, nothing as null (a gap). */
export function chartValue(
  unit: MetricValue['unit'],
  value: number | undefined,
): number | null {
  if (value === undefined) return null;
  return unit === 'ratio' ? value * 100 : value;
}

/** A chart axis tick of a plotted value (see chartValue). */
export function axisTick(unit: MetricValue['unit'], plotted: number): string {
  if (unit === 'ratio') return `${round(plotted)}%`;
  if (unit === 'hours') return formatHours(plotted);
  return round(plotted, 2);
}
