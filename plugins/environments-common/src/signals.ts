import { EnvironmentState } from './lifecycle';
import { RunState } from './runs';

/**
 * The Backstage signals channel on which the environments backend tells browsers that something
 * changed. The messages name only what changed (ids, a state, a version): the browser then
 * re-fetches through the REST API, which checks its permissions.
 */
export const ENVIRONMENTS_SIGNAL_CHANNEL = 'environments';

/** A message on the environments channel. */
export type EnvironmentsSignal =
  /** An environment changed state (or was extended): its state and version after the change. */
  | { id: string; state: EnvironmentState; version: number }
  /** One of its runs changed state (queued, running, succeeded, failed). */
  | { id: string; runId: string; runState: RunState }
  /** Log lines were appended to one of its runs (at most a few such signals a second per run). */
  | { id: string; runId: string };
