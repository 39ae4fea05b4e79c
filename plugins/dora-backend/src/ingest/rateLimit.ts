import { DEFAULT_WEBHOOK_RATE_LIMIT } from '../limits';

/** How many webhook requests a source may make in a window of seconds. */
export interface RateLimit {
  requests: number;
  windowSeconds: number;
}

export { DEFAULT_WEBHOOK_RATE_LIMIT };

/**
 * Counts webhook requests per source id in fixed windows: a source's `requests` in each window of
 * `windowSeconds` are let through (valid or not: a flood of bad signatures counts too), the next are
 * refused until the window ends. One count per backend process: with several replicas a source may
 * send up to the limit to each of them. Only configured sources are counted, so the state is one
 * entry per source.
 */
export class SourceRateLimiter {
  private readonly windows = new Map<
    string,
    { start: number; count: number }
  >();

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts a request; answers undefined when it may go on, else the whole seconds until it may be retried. */
  take(
    sourceId: string,
    limit: RateLimit,
  ): { retryAfterSeconds: number } | undefined {
    const now = this.now();
    const windowMs = limit.windowSeconds * 1000;
    let w = this.windows.get(sourceId);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(sourceId, w);
    }
    if (w.count >= limit.requests)
      return {
        retryAfterSeconds: Math.max(
          1,
          Math.ceil((w.start + windowMs - now) / 1000),
        ),
      };
    w.count++;
    return undefined;
  }
}
