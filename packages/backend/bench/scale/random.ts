/*
 * The generator's only source of chance: mulberry32, a 32-bit seeded PRNG, so that one seed gives
 * the same organisation on every machine and Node version (Math.random cannot be seeded).
 */
export class Random {
  private state: number;

  constructor(seed: number) {
    if (!Number.isInteger(seed))
      throw new Error(`seed must be an integer, got ${seed}`);
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)];
  }

  /** One of the values, with probability proportional to its weight. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [value, weight] of choices) {
      r -= weight;
      if (r < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  /** k distinct items (fewer if there are fewer), in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k * 4 > items.length) {
      return this.shuffle(items).slice(0, Math.min(k, items.length));
    }
    const seen = new Set<number>();
    const out: T[] = [];
    while (out.length < k) {
      const i = this.int(items.length);
      if (!seen.has(i)) {
        seen.add(i);
        out.push(items[i]);
      }
    }
    return out;
  }
}
