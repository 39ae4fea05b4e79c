/**
 * Runs: the OpenTofu work queued for an environment. `apply` provisions (and updates), `destroy`
 * destroys, `refresh` is a refresh-only plan that looks for drift.
 */
export const RUN_KINDS = ['apply', 'destroy', 'refresh'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** queued -> running -> succeeded | failed (a failed run may be followed by a new attempt). */
export const RUN_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type RunState = (typeof RUN_STATES)[number];

/** States a run never leaves. */
export const FINISHED_RUN_STATES: readonly RunState[] = ['succeeded', 'failed'];

/** The level of a line of a run's log. */
export const LOG_LEVELS = ['info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
