/**
 * Checks an invariant of our own code. The Error it throws is never meant to be caught:
 * users see CLI errors, a failed assertion means a bug in the CLI.
 * @internal
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
