import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { METRIC_NAMES } from '@internal/plugin-dora-common';
import type { z as zod } from 'zod/v3';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from '../limits';
import { DoraMetricsService } from '../metrics/DoraMetricsService';
import { Access } from '../router/access';
import { ScorecardDefinitions } from '../scorecards/ScorecardDefinitions';
import { ScorecardService } from '../scorecards/ScorecardService';

/**
 * The zod (v3) the actions registry passes to an action's schema functions. The schemas only give
 * an action's shape to the model (JSON Schema); the rules and limits are the REST API's, applied
 * by the same parse as the route's (router/metrics.ts, router/scorecards.ts), so that a bad value
 * is a 400 naming the field, with the route's message.
 */
export type Z = typeof zod;

/** What the dora actions need: the plugin's services, and the REST API's access checks. */
export interface DoraActionsOptions {
  actionsRegistry: ActionsRegistryService;
  access: Pick<Access, 'authorizeCredentials' | 'visible'>;
  metrics: DoraMetricsService;
  /** Absent when scorecards are not configured (get-scorecard then answers 404). */
  scorecards?: ScorecardService;
  definitions?: ScorecardDefinitions;
}

/** Every dora action only reads. */
export const READ_ONLY = {
  readOnly: true,
  destructive: false,
  idempotent: true,
} as const;

/** `entity` of the metrics actions. */
export const entityInput = (z: Z) =>
  z
    .string()
    .describe(
      'Whose metrics: "org" for the whole organisation, a component ref such as ' +
        'component:default/ledger-service, or a team (group) ref such as group:default/payments.',
    );

/** `window` and `at` of the metrics actions. */
export const windowInputs = (z: Z) => ({
  window: z
    .number()
    .optional()
    .describe(
      `The window's length in days: a whole number from 1 to ${MAX_WINDOW_DAYS} (default ${DEFAULT_WINDOW_DAYS}).`,
    ),
  at: z
    .string()
    .optional()
    .describe(
      'The end of the window: an ISO 8601 time with a zone, such as 2026-03-02T00:00:00Z ' +
        '(default now). The previous window, of the same length, ends where this one starts.',
    ),
});

/** `metric` of the drill-down. */
export const metricInput = (z: Z) =>
  z
    .enum(METRIC_NAMES as [string, ...string[]])
    .describe('The metric whose rows to list.');

/*
 * The output schemas list every field of dora-common's types (which TypeScript checks); only the
 * drill-down's rows, of four shapes, pass through as they are.
 */

/** One of the five metrics, as DoraMetricsService.getMetrics answers it. */
const metricValue = (z: Z) =>
  z.object({
    name: z.string(),
    value: z
      .number()
      .optional()
      .describe('The headline number, in `unit`; absent with no data.'),
    unit: z
      .enum(['per-day', 'hours', 'ratio'])
      .describe(
        'per-day: deployments a day; hours: a median duration; ratio: a share from 0 to 1.',
      ),
    sampleSize: z
      .number()
      .describe('How many rows (deployments, changes, failures) it is from.'),
    insufficientData: z
      .boolean()
      .describe('True below the minimum sample: no level, no trend.'),
    level: z
      .enum(['elite', 'high', 'medium', 'low'])
      .optional()
      .describe('The grade under the benchmark.'),
    previous: z
      .object({ value: z.number().optional(), sampleSize: z.number() })
      .optional()
      .describe('The same metric over the previous window.'),
    trend: z
      .enum(['improving', 'worsening', 'flat'])
      .optional()
      .describe("Against the previous window, in the metric's good direction."),
    details: z
      .record(z.union([z.number(), z.string()]).optional())
      .describe('More numbers of the metric: perWeek, p90, failed, open...'),
  });

/** The output of get-dora-metrics: GET /metrics's answer. */
export const metricsOutput = (z: Z) =>
  z.object({
    entity: z.string(),
    windowDays: z.number(),
    from: z.string().describe('The start of the window (ISO 8601).'),
    to: z.string().describe('The end of the window (ISO 8601).'),
    benchmark: z.string().describe('The benchmark the levels are from.'),
    metrics: z.object(
      Object.fromEntries(METRIC_NAMES.map(name => [name, metricValue(z)])),
    ),
  });
