import { ConfigReader } from '@backstage/config';
import { DEFAULT_WEBHOOK_RATE_LIMIT, SourceRateLimiter } from './rateLimit';
import { readSources } from './sources';

describe('SourceRateLimiter', () => {
  it('lets a source make its requests in each window, refuses the rest with the seconds to wait, and counts sources apart', () => {
    let now = 1_000_000;
    const limiter = new SourceRateLimiter(() => now);
    const limit = { requests: 2, windowSeconds: 10 };
    expect([limiter.take('a', limit), limiter.take('a', limit)]).toEqual([
      undefined,
      undefined,
    ]);
    expect(limiter.take('a', limit)).toEqual({ retryAfterSeconds: 10 });
    expect(limiter.take('b', limit)).toBeUndefined();
    now += 7_500;
    expect(limiter.take('a', limit)).toEqual({ retryAfterSeconds: 3 });
    now += 2_500; // the window is over
    expect(limiter.take('a', limit)).toBeUndefined();
  });
});

describe('dora.sources[].rateLimit', () => {
  const source = (rateLimit?: object) =>
    new ConfigReader({
      dora: {
        sources: [
          {
            id: 'gh',
            type: 'github',
            secret: 'a-secret-of-16-chars-or-more',
            ...(rateLimit ? { rateLimit } : {}),
          },
        ],
      },
    });

  it('defaults to DEFAULT_WEBHOOK_RATE_LIMIT, takes either part, and refuses a value that is not a whole number from 1', () => {
    expect(readSources(source()).get('gh')!.rateLimit).toEqual(
      DEFAULT_WEBHOOK_RATE_LIMIT,
    );
    expect(readSources(source({ requests: 10 })).get('gh')!.rateLimit).toEqual({
      requests: 10,
      windowSeconds: DEFAULT_WEBHOOK_RATE_LIMIT.windowSeconds,
    });
    expect(() => readSources(source({ requests: 0 }))).toThrow(
      'dora.sources[gh].rateLimit.requests: must be a whole number of at least 1, not 0',
    );
    expect(() => readSources(source({ windowSeconds: 1.5 }))).toThrow(
      'dora.sources[gh].rateLimit.windowSeconds: must be a whole number of at least 1, not 1.5',
    );
  });
});
