/**
 * Checks an invariant. A failure is a bug in zkts, never a user error, so the
 * thrown error is not meant to be caught: it names the broken invariant.
 * @internal
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`zkts invariant violated: ${message}`);
}
