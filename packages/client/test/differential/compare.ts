/**
 * Structural comparison of normalized step records, reporting where they first differ.
 * @module
 */

/** Where two values first differ, and the two sides there. */
export interface Difference {
  /** A JSON-path-like location, e.g. `result.stat.mzxid` or `events.s1#0[2].type`. */
  readonly at: string;
  readonly left: unknown;
  readonly right: unknown;
}

/**
 * The first difference between two plain values (JSON-like: primitives, arrays, plain
 * objects), depth first in key order; undefined when they are equal. Arrays must match in
 * order and length; objects in their key sets.
 */
export function firstDifference(left: unknown, right: unknown, at = ''): Difference | undefined {
  if (Object.is(left, right)) return undefined;
  if (Array.isArray(left) && Array.isArray(right)) {
    const shared = Math.min(left.length, right.length);
    for (let i = 0; i < shared; i++) {
      const difference = firstDifference(left[i], right[i], `${at}[${i}]`);
      if (difference !== undefined) return difference;
    }
    if (left.length !== right.length) return { at: `${at}.length`, left: left.length, right: right.length };
    return undefined;
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    for (const key of keys) {
      const location = at === '' ? key : `${at}.${key}`;
      if (!(key in left) || !(key in right)) return { at: location, left: left[key], right: right[key] };
      const difference = firstDifference(left[key], right[key], location);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  return { at: at === '' ? '(value)' : at, left, right };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
