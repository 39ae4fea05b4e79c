import { CircuitBreaker } from './CircuitBreaker';

describe('CircuitBreaker', () => {
  let now = 0;
  const breaker = () =>
    new CircuitBreaker({ failureThreshold: 3, resetMs: 1000 }, () => now);

  beforeEach(() => {
    now = 0;
  });

  it('opens after the threshold of consecutive failures, and a success resets the count', () => {
    const b = breaker();
    b.fail();
    b.fail();
    b.succeed();
    b.fail();
    b.fail();
    expect(b.state).toBe('closed');
    b.fail();
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(false);
  });

  it('lets exactly one trial call through after the reset time, and closes on its success', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.fail();
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    b.succeed();
    expect(b.state).toBe('closed');
    expect(b.tryAcquire()).toBe(true);
  });

  it('opens again at once when the trial call fails', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.fail();
    now = 1500;
    expect(b.tryAcquire()).toBe(true);
    b.fail();
    expect(b.state).toBe('open');
    now = 2400;
    expect(b.state).toBe('open');
    now = 2500;
    expect(b.state).toBe('half-open');
  });
});
