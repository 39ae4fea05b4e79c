import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ENVIRONMENTS_SIGNAL_CHANNEL,
  EnvironmentsSignal,
} from '@internal/plugin-environments-common';
import { SIGNAL_LIMITS } from '../limits';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { RunChange } from '../store/RunQueue';

export interface PublishSignalsOptions {
  /** At most one "log lines appended" signal per run in this many ms (default: limits.ts). */
  logThrottleMs?: number;
}

/**
 * Tells browsers, through Backstage signals (channel `environments`, broadcast), that something
 * changed, so that the environment pages and the list re-fetch instead of polling: every committed
 * state change (`{id, state, version}`), every change of a run's state (`{id, runId, runState}`),
 * and log lines appended to a run (`{id, runId}`, throttled per run: at most one signal per
 * `logThrottleMs`, and one after the last lines). The messages carry ids and states only, never
 * names, outputs or log lines: the browser re-fetches through the REST API, which checks its
 * permissions. With the events backend on PostgreSQL, a signal published here reaches browsers
 * connected to any replica. Returns the unsubscriber (which also drops pending log signals).
 */
export function publishSignals(
  store: EnvironmentStore,
  signals: SignalsService,
  logger?: LoggerService,
  options: PublishSignalsOptions = {},
): () => void {
  const throttleMs = options.logThrottleMs ?? SIGNAL_LIMITS.logThrottleMs;
  const runEnvironments = new Map<string, string>();
  const throttles = new Map<
    string,
    { timer?: NodeJS.Timeout; again: boolean }
  >();

  const send = (message: EnvironmentsSignal) =>
    signals
      .publish<EnvironmentsSignal>({
        recipients: { type: 'broadcast' },
        channel: ENVIRONMENTS_SIGNAL_CHANNEL,
        message,
      })
      .catch(e =>
        logger?.warn(`could not signal a change of ${message.id}: ${e}`),
      );

  const environmentOf = async (change: RunChange) => {
    let id = change.environmentId ?? runEnvironments.get(change.runId);
    if (!id) id = (await store.runs.get(change.runId)).environmentId;
    if (!runEnvironments.has(change.runId)) {
      if (runEnvironments.size >= SIGNAL_LIMITS.knownRuns)
        runEnvironments.delete(runEnvironments.keys().next().value!);
      runEnvironments.set(change.runId, id);
    }
    return id;
  };

  const sendRun = (change: RunChange) =>
    environmentOf(change).then(
      id =>
        send(
          change.state
            ? { id, runId: change.runId, runState: change.state }
            : { id, runId: change.runId },
        ),
      e =>
        logger?.warn(`could not signal a change of run ${change.runId}: ${e}`),
    );

  // Leading and trailing: the first lines at once, then at most one signal per throttleMs.
  const logAppended = (change: RunChange) => {
    const pending = throttles.get(change.runId);
    if (pending) {
      pending.again = true;
      return;
    }
    void sendRun(change);
    const entry = {
      timer: undefined as NodeJS.Timeout | undefined,
      again: false,
    };
    const flush = () => {
      if (!entry.again) {
        throttles.delete(change.runId);
        return;
      }
      entry.again = false;
      void sendRun(change);
      entry.timer = setTimeout(flush, throttleMs);
    };
    entry.timer = setTimeout(flush, throttleMs);
    throttles.set(change.runId, entry);
  };

  const offState = store.onStateChange(change => {
    const { id, version } = change.environment;
    void send({ id, state: change.to, version });
  });
  const offRuns = store.runs.onRunChange(change =>
    change.state ? void sendRun(change) : logAppended(change),
  );
  return () => {
    offState();
    offRuns();
    throttles.forEach(t => clearTimeout(t.timer));
    throttles.clear();
  };
}
