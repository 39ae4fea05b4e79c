/**
 * Every limit of the environments REST API, in one place (the README's "Limits" table lists them).
 * Those that an installation may change are config keys whose defaults live here.
 */

/** Page sizes of the list endpoints: `limit` defaults to `default` and may not exceed `max`. */
export const PAGE_LIMITS = {
  /** GET /environments and GET /catalog-entities */
  environments: { default: 50, max: 200 },
  /** GET /environments/:id/runs (newest first) */
  runs: { default: 20, max: 100 },
  /** GET /environments/:id/history, and the history embedded in GET /environments/:id */
  history: { default: 100, max: 500 },
  /** GET /environments/:id/runs/:runId/logs */
  logs: { default: 500, max: 2000 },
  /** GET /blueprints */
  blueprints: { default: 100, max: 200 },
} as const;

export type PagedList = keyof typeof PAGE_LIMITS;

/** The largest JSON body any route takes. */
export const MAX_BODY = '64kb';

/** The longest opaque cursor a list accepts (a cursor this API gives out is far shorter). */
export const MAX_CURSOR_LENGTH = 200;

/**
 * Requests refused by the guardrails are stored (an environment in `rejected`, with its history),
 * so that a team sees them. To keep one person from filling a team's history with them, after
 * `max` refusals of their requests within `windowMinutes`, further requests are answered 429 with
 * Retry-After and nothing is stored (config `environments.rateLimit.refusals.*`).
 */
export const REFUSAL_RATE_LIMIT_DEFAULTS = { max: 10, windowMinutes: 15 };

/**
 * Retention of runs and their logs (config `environments.retention.*`): runs that finished more
 * than `runDays` ago are deleted with their logs, for destroyed and rejected environments, and for
 * live ones except each kind's latest run. The cleaner runs every `intervalMinutes`.
 */
export const RETENTION_DEFAULTS = {
  runDays: 30,
  intervalMinutes: 60,
  batchSize: 500,
};

/**
 * `defaults` overridden by the options that are set; each must be a positive number, else the
 * backend does not start, naming the config key (`prefix` + the option's name).
 */
export function positiveOptions<T extends Record<string, number>>(
  prefix: string,
  defaults: T,
  options: Partial<Record<keyof T, number | undefined>>,
): T {
  const merged: Record<string, number> = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(
        `${prefix}${key}: must be a positive number, not ${value}`,
      );
    }
    merged[key] = value;
  }
  return merged as T;
}

/**
 * Signals (service/publishSignals.ts): at most one "log lines appended" signal per run in
 * `logThrottleMs` (and one after the last lines), and how many runs' environments it remembers
 * (a log signal names its environment).
 */
export const SIGNAL_LIMITS = { logThrottleMs: 400, knownRuns: 1000 };
