import { createHmac } from 'node:crypto';

/**
 * Session passwords are derived from the session id with a secret every
 * server of an ensemble shares, as ZooKeeper derives them from a fixed
 * "superSecret": any server can then validate a reconnecting client without
 * the password being replicated.
 */
export const DEFAULT_SESSION_SECRET = 'zkts-session-secret-b3415c00';

/** The 16-byte password of a session. */
export function sessionPassword(sessionId: bigint, secret: string = DEFAULT_SESSION_SECRET): Uint8Array {
  const idBytes = new Uint8Array(8);
  new DataView(idBytes.buffer).setBigUint64(0, BigInt.asUintN(64, sessionId));
  return new Uint8Array(createHmac('sha256', secret).update(idBytes).digest().subarray(0, 16));
}

/** Compares a presented password with the session's in constant time. */
export function isSessionPasswordValid(sessionId: bigint, presented: Uint8Array, secret?: string): boolean {
  const expected = sessionPassword(sessionId, secret);
  if (presented.length !== expected.length) return false;
  let difference = 0;
  for (let i = 0; i < expected.length; i++) difference |= (expected[i] ?? 0) ^ (presented[i] ?? 0);
  return difference === 0;
}
