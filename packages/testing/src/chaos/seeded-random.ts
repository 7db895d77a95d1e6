import { type Rng, createRng } from '@zkts/consensus';

/**
 * Seeded choices for the chaos runner and the checker's self-tests, so a run's schedule of
 * operations and faults replays from its seed (timing still varies with the machine).
 */
export class SeededRandom {
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = createRng(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.rng.nextUint32() / 0x1_0000_0000;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.float() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** A uniformly chosen element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Assertion failed: pick from an empty array');
    return items[this.int(items.length)]!;
  }

  /** An independent generator derived from this one, for a concurrent actor. */
  fork(): SeededRandom {
    return new SeededRandom(this.rng.nextUint32());
  }
}
