/**
 * A small TTL cache with a size bound (oldest entries go first) that also
 * coalesces identical requests in flight: while a value is being computed,
 * every caller for the same key shares one promise.
 *
 * Refresh-ahead: a hit in the second half of an entry's life returns the cached
 * value and recomputes it in the background, so a key in steady use never
 * waits for a miss. No value is ever served after its TTL.
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();
  private readonly inFlight = new Map<string, Promise<T>>();

  constructor(
    private readonly options: { ttlMs: number; maxEntries: number },
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, or the one being computed, or a new computation. */
  get(key: string, compute: () => Promise<T>): Promise<T> {
    const now = this.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) {
      if (
        hit.expires - now < this.options.ttlMs / 2 &&
        !this.inFlight.has(key)
      ) {
        this.compute(key, compute).catch(() => {}); // the hit stays valid; a failure is not cached
      }
      return Promise.resolve(hit.value);
    }
    if (hit) this.entries.delete(key);

    return this.inFlight.get(key) ?? this.compute(key, compute);
  }

  private compute(key: string, compute: () => Promise<T>): Promise<T> {
    const promise = compute().then(
      value => {
        this.inFlight.delete(key);
        if (this.options.ttlMs > 0) this.set(key, value);
        return value;
      },
      error => {
        this.inFlight.delete(key); // failures are never cached
        throw error;
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Shares one computation among identical callers in flight, without caching the result. */
  coalesce(key: string, compute: () => Promise<T>): Promise<T> {
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const promise = compute().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  clear(): void {
    this.entries.clear();
  }

  private set(key: string, value: T) {
    this.entries.delete(key); // re-inserted last: the size bound drops the least recently computed
    if (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, expires: this.now() + this.options.ttlMs });
  }
}
