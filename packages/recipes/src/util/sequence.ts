/**
 * Sequence numbers of sequential nodes. ZooKeeper appends the parent's cversion as ten decimal
 * digits (`%010d`), so the suffix orders contenders whatever prefix (protection id, lock name)
 * comes before it.
 * @module
 */

const SEQUENCE_DIGITS = 10;

/** The sequence number a sequential node's name ends with, or undefined if it has none. */
export function sequenceOf(name: string): number | undefined {
  if (name.length < SEQUENCE_DIGITS) return undefined;
  const suffix = name.slice(-SEQUENCE_DIGITS);
  // A counter that overflowed is printed as a negative number, which keeps its length.
  if (!/^-?\d+$/.test(suffix)) return undefined;
  return Number(suffix);
}

/** Sorts sequential node names by their sequence number; names without one go last, by name. */
export function sortBySequence(names: readonly string[]): string[] {
  return [...names].sort((a, b) => {
    const sa = sequenceOf(a);
    const sb = sequenceOf(b);
    if (sa !== undefined && sb !== undefined && sa !== sb) return sa - sb;
    if (sa === undefined && sb !== undefined) return 1;
    if (sa !== undefined && sb === undefined) return -1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}
