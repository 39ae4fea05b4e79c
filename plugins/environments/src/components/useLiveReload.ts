import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import {
  ENVIRONMENTS_SIGNAL_CHANNEL,
  EnvironmentsSignal,
} from '@internal/plugin-environments-common';
import { useEffect, useRef } from 'react';

/**
 * With signals, how long a live view (something is expected to change) hears nothing at all on
 * the environments channel before it suspects the signal connection is down and reloads once.
 */
export const SIGNAL_SILENCE_MS = 15_000;

export interface LiveReloadOptions {
  /** Loads the view again (its latest value is used; a reload in flight is not doubled). */
  reload: () => unknown;
  /** Which signals concern the view. */
  matches: (signal: EnvironmentsSignal) => boolean;
  /** Without signals: the polling interval. */
  pollMs: number;
  /** Without signals: whether to poll (default true). */
  poll?: boolean;
  /**
   * Something is expected to change (a run goes, a state is in progress): with signals, a
   * silence of SIGNAL_SILENCE_MS on the channel is taken for a lost connection, and the view
   * reloads once per such silence. Default false.
   */
  live?: boolean;
}

/**
 * Whether the signals client's WebSocket is open: true or false for Backstage's SignalClient,
 * undefined for another implementation. SignalClient keeps its socket in a private field and says
 * nothing of its state; this reads that field, so a change upstream makes this undefined (and the
 * views fall back to the silence watchdog), never wrong.
 */
export function signalsConnected(api: unknown): boolean | undefined {
  if (!api || typeof api !== 'object' || !('ws' in api)) return undefined;
  const ws = (api as { ws: unknown }).ws;
  if (ws === null) return false;
  const state = (ws as { readyState?: unknown } | undefined)?.readyState;
  return typeof state === 'number' ? state === 1 : undefined;
}

/**
 * Keeps a view up to date. When the app has the signals API (the signals plugin), the view
 * reloads when a signal on the `environments` channel concerns it, and never on a timer while the
 * signals connection is open, except the reload after a long silence while `live`. While the
 * connection is down, and without the signals API, it polls every `pollMs` as it did before
 * signals. Everything stops when the view unmounts.
 *
 * It subscribes through the signals API rather than `useSignal`, whose `lastSignal` state can drop
 * one of two messages that arrive together.
 */
export function useLiveReload(options: LiveReloadOptions): void {
  const { pollMs, poll = true, live = false } = options;
  const signals = useApiHolder().get(signalApiRef);
  const latest = useRef(options);
  latest.current = options;
  const liveNow = useRef(live);
  liveNow.current = live;

  // One reload at a time; the signals that come meanwhile make one more after it.
  const reloader = useRef<() => void>();
  useEffect(() => {
    let alive = true;
    let running = false;
    let again = false;
    const run = () => {
      if (!alive) return;
      if (running) {
        again = true;
        return;
      }
      running = true;
      Promise.resolve()
        .then(() => latest.current.reload())
        .catch(() => undefined)
        .finally(() => {
          running = false;
          if (again) {
            again = false;
            run();
          }
        });
    };
    reloader.current = run;
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    if (!signals) return undefined;
    let heard = Date.now();
    let polled = Date.now();
    const subscription = signals.subscribe<EnvironmentsSignal>(
      ENVIRONMENTS_SIGNAL_CHANNEL,
      message => {
        heard = Date.now();
        if (latest.current.matches(message)) reloader.current?.();
      },
    );
    const watchdog = setInterval(() => {
      const now = Date.now();
      if (signalsConnected(signals) === false) {
        // the connection is down (the client reconnects by itself): poll meanwhile
        if (
          latest.current.poll !== false &&
          now - polled >= latest.current.pollMs
        ) {
          polled = now;
          reloader.current?.();
        }
        return;
      }
      if (!liveNow.current || now - heard < SIGNAL_SILENCE_MS) return;
      heard = now;
      reloader.current?.();
    }, 1000);
    return () => {
      subscription.unsubscribe();
      clearInterval(watchdog);
    };
  }, [signals]);

  useEffect(() => {
    if (signals || !poll) return undefined;
    const timer = setInterval(() => reloader.current?.(), pollMs);
    return () => clearInterval(timer);
  }, [signals, poll, pollMs]);
}
