/** The states of a circuit breaker, as reported on the info endpoint. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * A consecutive-failure circuit breaker. Closed: every call goes through. After
 * `failureThreshold` failures in a row it opens, and calls fail at once without
 * touching the network. After `resetMs` one trial call is let through
 * (half-open): success closes it, failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly options: { failureThreshold: number; resetMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.resetMs
      ? 'half-open'
      : 'open';
  }

  /** Whether a call may go out now. In half-open, only one trial call at a time. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  succeed(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialInFlight = false;
  }

  fail(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (
      this.openedAt !== undefined ||
      this.failures >= this.options.failureThreshold
    ) {
      this.openedAt = this.now();
    }
  }
}
