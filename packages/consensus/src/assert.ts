/**
 * Checks an invariant of the consensus core. The Error it throws is never meant to be caught:
 * a broken invariant means a bug here or in the driver, and continuing could lose committed data.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
