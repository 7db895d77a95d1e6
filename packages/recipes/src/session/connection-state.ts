/**
 * Connection states as recipes see them, Curator's `ConnectionState`.
 * @module
 */

/**
 * - `CONNECTED`: the first connection of the session.
 * - `SUSPENDED`: the connection is gone; the session may still be alive. Anything that depends
 *   on holding an ephemeral node (a lock, leadership) is in doubt.
 * - `RECONNECTED`: connected again after `SUSPENDED`, `LOST` or `READ_ONLY`. After `LOST` it is a
 *   new session (only a {@link ManagedClient} opens one).
 * - `LOST`: the session is gone, or has been unreachable for a session timeout: its ephemeral
 *   nodes and watches are, or must be assumed, gone.
 * - `READ_ONLY`: connected to a server that lost its quorum; only reads work.
 */
export type ConnectionState = 'CONNECTED' | 'SUSPENDED' | 'RECONNECTED' | 'LOST' | 'READ_ONLY';

/** True for the states in which requests can be served (`ConnectionState.isConnected`). */
export function isConnectedState(state: ConnectionState | undefined): boolean {
  return state === 'CONNECTED' || state === 'RECONNECTED' || state === 'READ_ONLY';
}

/**
 * True for the states in which a recipe must stop relying on its ephemeral nodes. Curator's
 * default `StandardConnectionStateErrorPolicy` treats both SUSPENDED and LOST so.
 */
export function isErrorState(state: ConnectionState): boolean {
  return state === 'SUSPENDED' || state === 'LOST';
}
