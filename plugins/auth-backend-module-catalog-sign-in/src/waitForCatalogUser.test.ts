import { NotFoundError } from '@backstage/errors';
import { waitForCatalogUser } from './waitForCatalogUser';

/** A gate that opens at `openAt` (ms on the test's clock), or never. */
function gateOpeningAt(clock: { t: number }, openAt?: number) {
  let openedAt: number | undefined;
  return {
    async check() {
      if (openedAt === undefined && openAt !== undefined && clock.t >= openAt)
        openedAt = openAt;
      return openedAt !== undefined;
    },
    openedAt: () => openedAt,
  };
}

/** A sign-in that finds its User from `foundAt` on (ms on the test's clock), or never. */
function signInFoundAt(clock: { t: number }, foundAt?: number) {
  let attempts = 0;
  return {
    attempts: () => attempts,
    async signIn() {
      attempts += 1;
      if (foundAt !== undefined && clock.t >= foundAt) return 'token';
      throw new NotFoundError('User not found');
    },
  };
}

describe('waitForCatalogUser', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Runs with the clock advancing with the fake timers. */
  async function run(foundAt: number | undefined, openAt: number | undefined) {
    const clock = { t: 0 };
    const user = signInFoundAt(clock, foundAt);
    const result = waitForCatalogUser(
      user.signIn,
      gateOpeningAt(clock, openAt),
      {
        settleMs: 5_000,
        waitMs: 10_000,
        pollMs: 1_000,
        now: () => clock.t,
      },
    ).then(
      (value): { value?: string; error?: Error } => ({ value }),
      error => ({ error: error as Error }),
    );
    for (let i = 0; i < 15; i++) {
      clock.t += 1_000;
      await jest.advanceTimersByTimeAsync(1_000);
    }
    return { ...(await result), attempts: user.attempts() };
  }

  it('waits while the catalog is still ingesting, and signs in once the User is there', async () => {
    expect(await run(3_000, 2_000)).toEqual({ value: 'token', attempts: 4 });
  });

  it('keeps waiting just after the organisation arrives, until the settle time', async () => {
    expect(await run(6_000, 1_000)).toEqual({ value: 'token', attempts: 7 });
  });

  it('refuses at once once the catalog has settled', async () => {
    const { error, attempts } = await run(undefined, -10_000);
    expect(error?.name).toBe('NotFoundError');
    expect(attempts).toBe(1);
  });

  it('gives up after the longest wait when the catalog never fills', async () => {
    const { error, attempts } = await run(undefined, undefined);
    expect(error?.name).toBe('NotFoundError');
    expect(attempts).toBe(11); // at 0 s, 1 s, ... 10 s
  });

  it('passes any other error on at once', async () => {
    const clock = { t: 0 };
    const failure = waitForCatalogUser(
      async () => {
        throw new Error('catalog unreachable');
      },
      gateOpeningAt(clock),
      { now: () => clock.t },
    );
    await expect(failure).rejects.toThrow('catalog unreachable');
  });
});
