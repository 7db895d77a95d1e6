/**
 * Checks a programmer-side invariant: a malformed history handed to the checker is a bug in
 * the caller, not a finding about the system under test. The Error is never meant to be caught.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
