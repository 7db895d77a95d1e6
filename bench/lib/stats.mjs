// Latency samples and their summary.

/** Keeps every latency sample (ms) up to `capacity`; beyond that it keeps a uniform reservoir. */
export class LatencyRecorder {
  #samples = new Float64Array(1024);
  #length = 0;
  #seen = 0;
  #rngState = 0x9e3779b9;

  constructor(capacity = 4_000_000) {
    this.capacity = capacity;
  }

  get count() {
    return this.#seen;
  }

  record(ms) {
    this.#seen += 1;
    if (this.#length < this.capacity) {
      if (this.#length === this.#samples.length) {
        const grown = new Float64Array(Math.min(this.capacity, this.#samples.length * 2));
        grown.set(this.#samples);
        this.#samples = grown;
      }
      this.#samples[this.#length++] = ms;
      return;
    }
    // Reservoir sampling keeps the percentiles honest if a run outgrows the buffer.
    this.#rngState = (Math.imul(this.#rngState, 1664525) + 1013904223) >>> 0;
    const slot = Math.floor((this.#rngState / 2 ** 32) * this.#seen);
    if (slot < this.capacity) this.#samples[slot] = ms;
  }

  /** p50, p99, p99.9 and max in ms (undefined without samples). */
  summary() {
    if (this.#length === 0) return { p50Ms: undefined, p99Ms: undefined, p999Ms: undefined, maxMs: undefined };
    const sorted = this.#samples.slice(0, this.#length).sort();
    return { p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), p999Ms: percentile(sorted, 99.9), maxMs: sorted[sorted.length - 1] };
  }
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return undefined;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of numbers (undefined for none). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A small seeded PRNG (mulberry32), so every run issues the same operation sequence. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
