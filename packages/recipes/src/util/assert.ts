/**
 * Checks an invariant of our own code or a precondition the caller broke. The Error it throws
 * is never meant to be caught: users see `ZkError`s for failures of the service.
 * @internal
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
