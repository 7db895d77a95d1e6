/** A source of uniform random numbers in [0, 1), so tests can replay shuffles and jitter from a seed. */
export type Random = () => number;

/**
 * Returns a seeded generator (mulberry32: small, fast and good enough for shuffling a
 * server list). Without a seed it draws one from `Math.random`, like Java's default Random.
 */
export function createRandom(seed?: number): Random {
  let state = (seed ?? Math.floor(Math.random() * 0x1_0000_0000)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Fisher–Yates shuffle into a new array, as `Collections.shuffle` does to the server list. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const result = items.slice();
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = result[i] as T;
    result[i] = result[j] as T;
    result[j] = swap;
  }
  return result;
}
