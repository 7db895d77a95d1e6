/**
 * Checks a programmer-side invariant. The Error it throws is never meant to be caught:
 * wrong input from the network is a ProtocolError, wrong calls from our own code land here.
 */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}
