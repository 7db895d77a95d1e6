/**
 * Zxids as JS numbers: `epoch × 2^32 + counter`, the same value ZooKeeper keeps in a Java `long`.
 * A double holds it exactly while the epoch stays below 2^21, which every helper asserts.
 * @module
 */
import { assert } from './assert.js';

/** 2^32: one epoch's worth of counters. */
const EPOCH_SCALE = 2 ** 32;

/** Epochs must stay below this so that a zxid stays an exact (safe) integer. */
export const EPOCH_LIMIT = 2 ** 21;

/** The largest counter a leader may assign within one epoch; ZooKeeper re-elects on rollover. */
export const COUNTER_MAX = EPOCH_SCALE - 1;

/** Builds the zxid of `counter` within `epoch`. */
export function makeZxid(epoch: number, counter: number): number {
  assert(Number.isInteger(epoch) && epoch >= 0 && epoch < EPOCH_LIMIT, `epoch out of range: ${epoch}`);
  assert(Number.isInteger(counter) && counter >= 0 && counter <= COUNTER_MAX, `counter out of range: ${counter}`);
  return epoch * EPOCH_SCALE + counter;
}

/** The epoch (high 32 bits) of a zxid. */
export function epochOf(zxid: number): number {
  assertZxid(zxid);
  return Math.floor(zxid / EPOCH_SCALE);
}

/** The counter (low 32 bits) of a zxid. */
export function counterOf(zxid: number): number {
  assertZxid(zxid);
  return zxid % EPOCH_SCALE;
}

/** True for a well-formed zxid: a non-negative integer whose epoch is below {@link EPOCH_LIMIT}. */
export function isZxid(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value < EPOCH_LIMIT * EPOCH_SCALE;
}

/** `epoch:counter`, the compact form used in traces and assertion messages. */
export function formatZxid(zxid: number): string {
  if (zxid < 0) return String(zxid);
  return `${epochOf(zxid)}:${counterOf(zxid)}`;
}

function assertZxid(zxid: number): void {
  assert(isZxid(zxid), `not a zxid: ${zxid}`);
}
