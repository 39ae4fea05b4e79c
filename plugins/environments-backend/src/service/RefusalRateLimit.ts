import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { CustomErrorBase } from '@backstage/errors';
import { positiveOptions, REFUSAL_RATE_LIMIT_DEFAULTS } from '../limits';
import { EnvironmentStore } from '../store/EnvironmentStore';

/** 429: too many refused requests; `retryAfterSeconds` goes to the Retry-After header. */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

export interface RefusalRateLimitOptions {
  /** Refused requests a person may make within the window (default 10). */
  max: number;
  /** The window, in minutes (default 15). */
  windowMinutes: number;
}

/**
 * Requests refused by the guardrails are stored, so that the team sees them; this keeps one person
 * from filling a team's history with them. Counted from the stored refusals, so the limit holds
 * across replicas and restarts.
 */
export class RefusalRateLimit {
  readonly options: RefusalRateLimitOptions;

  constructor(
    private readonly store: EnvironmentStore,
    options: Partial<RefusalRateLimitOptions> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.options = positiveOptions(
      'environments.rateLimit.refusals.',
      REFUSAL_RATE_LIMIT_DEFAULTS,
      options,
    );
  }

  /** The limit as `environments.rateLimit.refusals` configures it. */
  static fromConfig(
    store: EnvironmentStore,
    refusals: { max: number; window: HumanDuration },
  ): RefusalRateLimit {
    return new RefusalRateLimit(store, {
      max: refusals.max,
      windowMinutes: durationToMilliseconds(refusals.window) / 60_000,
    });
  }

  /** Throws TooManyRequestsError when `userEntityRef` has had `max` refusals within the window. */
  async check(userEntityRef: string): Promise<void> {
    const windowMs = this.options.windowMinutes * 60_000;
    const { count, oldest } = await this.store.history.refusals(
      userEntityRef,
      new Date(this.now() - windowMs),
    );
    if (count < this.options.max) return;
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil(
        ((oldest?.getTime() ?? this.now()) + windowMs - this.now()) / 1000,
      ),
    );
    throw new TooManyRequestsError(
      `requests: ${count} of your requests were refused by the guardrails in the last ${this.options.windowMinutes} minutes ` +
        `(at most ${this.options.max}); try again in ${retryAfterSeconds} seconds`,
      retryAfterSeconds,
    );
  }
}
