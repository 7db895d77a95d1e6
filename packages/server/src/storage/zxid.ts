/**
 * Zxid arithmetic the storage needs: a zxid is epoch (high 32 bits) and
 * counter (low 32 bits), kept as a JS number (exact up to epoch 2^21).
 * @module
 */

const TWO_POW_32 = 0x1_0000_0000;

/**
 * Whether `next` may directly follow `previous` in a gap-free history: the
 * next counter of the same epoch, or the first transaction (counter 1) of a
 * later epoch, as a new leader numbers them.
 */
export function isNextZxid(previous: number, next: number): boolean {
  if (next === previous + 1) return true;
  return Math.floor(next / TWO_POW_32) > Math.floor(previous / TWO_POW_32) && next % TWO_POW_32 === 1;
}
