/** A seeded PRNG (mulberry32) with the helpers the tests need; the same seed gives the same run. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, max). */
  below(max: number): number {
    return Math.floor(this.next() * max);
  }

  /** An integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  bool(): boolean {
    return this.next() < 0.5;
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)] as T;
  }

  /** Any int32, biased towards edge values. */
  int32(): number {
    if (this.chance(0.2)) return this.pick([0, 1, -1, 0x7fffffff, -0x80000000, 255, 256]);
    return (this.next() * 4294967296) | 0;
  }

  /** Any int64, biased towards edge values. */
  int64(): bigint {
    if (this.chance(0.2)) return this.pick([0n, 1n, -1n, 0x7fffffffffffffffn, -0x8000000000000000n, 0x100000000n]);
    const hi = BigInt(this.int32());
    const lo = BigInt(this.int32() >>> 0);
    return BigInt.asIntN(64, (hi << 32n) | lo);
  }

  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = this.below(256);
    return out;
  }

  /** A well-formed string (no lone surrogates) of ASCII, BMP and astral characters. */
  string(maxChars = 12): string {
    const n = this.below(maxChars + 1);
    let s = '';
    for (let i = 0; i < n; i++) {
      const kind = this.below(10);
      if (kind < 7) s += String.fromCharCode(this.range(0x20, 0x7e));
      else if (kind < 9) s += String.fromCharCode(this.range(0xa0, 0xd7ff));
      else s += String.fromCodePoint(this.range(0x10000, 0x10ffff));
    }
    return s;
  }

  /** A plausible znode path. */
  path(): string {
    const depth = this.range(1, 3);
    let p = '';
    for (let i = 0; i < depth; i++) p += `/${this.string(6) || 'n'}`;
    return p;
  }
}
