/**
 * The only source of randomness the core uses (for connection ids), injected so that a seeded
 * simulation replays exactly.
 */
export interface Rng {
  /** A uniformly distributed integer in [0, 2^32). */
  nextUint32(): number;
}

/**
 * A small seeded generator (SplitMix32-style mixing of a Weyl sequence). Not cryptographic:
 * production drivers may seed it from `crypto.getRandomValues`; tests seed it with a number.
 */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return {
    nextUint32(): number {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    },
  };
}
