import { DecisionCache } from './DecisionCache';

describe('DecisionCache', () => {
  let now = 0;
  beforeEach(() => {
    now = 0;
  });

  it('reuses a value for its TTL, then computes again', async () => {
    const cache = new DecisionCache<number>(
      { ttlMs: 100, maxEntries: 10 },
      () => now,
    );
    const compute = jest.fn().mockResolvedValueOnce(1).mockResolvedValueOnce(2);
    await expect(cache.get('k', compute)).resolves.toBe(1);
    now = 99;
    await expect(cache.get('k', compute)).resolves.toBe(1);
    now = 100;
    await expect(cache.get('k', compute)).resolves.toBe(2);
    expect(compute).toHaveBeenCalledTimes(2);
  });

  it('refreshes a key in steady use ahead of its expiry, never serving a value past its TTL', async () => {
    const cache = new DecisionCache<number>(
      { ttlMs: 100, maxEntries: 10 },
      () => now,
    );
    let n = 0;
    const compute = jest.fn(async () => ++n);
    await expect(cache.get('k', compute)).resolves.toBe(1); // stored until 100
    now = 40;
    await expect(cache.get('k', compute)).resolves.toBe(1); // young: no refresh
    expect(compute).toHaveBeenCalledTimes(1);
    now = 60;
    await expect(cache.get('k', compute)).resolves.toBe(1); // old: served, refreshed behind
    await Promise.resolve();
    expect(compute).toHaveBeenCalledTimes(2);
    now = 150; // past the first value's TTL, within the refreshed one's (60 + 100)
    await expect(cache.get('k', compute)).resolves.toBe(2); // (and refreshed again behind: 3)
    await Promise.resolve();
    expect(compute).toHaveBeenCalledTimes(3);
    now = 1000;
    await expect(cache.get('k', compute)).resolves.toBe(4); // expired: a plain miss, computed now
  });

  it('shares one computation among identical callers in flight', async () => {
    const cache = new DecisionCache<number>(
      { ttlMs: 0, maxEntries: 10 },
      () => now,
    );
    let release!: (v: number) => void;
    const compute = jest.fn(() => new Promise<number>(r => (release = r)));
    const a = cache.get('k', compute);
    const b = cache.get('k', compute);
    const c = cache.coalesce('k', compute);
    release(7);
    await expect(Promise.all([a, b, c])).resolves.toEqual([7, 7, 7]);
    expect(compute).toHaveBeenCalledTimes(1);
    expect(cache.size).toBe(0); // TTL 0: nothing kept
  });

  it('never caches a failure', async () => {
    const cache = new DecisionCache<number>(
      { ttlMs: 1000, maxEntries: 10 },
      () => now,
    );
    const compute = jest
      .fn()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValueOnce(3);
    await expect(cache.get('k', compute)).rejects.toThrow('down');
    await expect(cache.get('k', compute)).resolves.toBe(3);
  });

  it('drops the oldest entry when full', async () => {
    const cache = new DecisionCache<string>(
      { ttlMs: 1000, maxEntries: 2 },
      () => now,
    );
    await cache.get('a', async () => 'a');
    await cache.get('b', async () => 'b');
    await cache.get('c', async () => 'c');
    expect(cache.size).toBe(2);
    const again = jest.fn(async () => 'a2');
    await expect(cache.get('a', again)).resolves.toBe('a2');
    expect(again).toHaveBeenCalled();
  });
});
