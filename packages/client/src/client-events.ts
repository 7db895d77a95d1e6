import type { WatchedEvent } from './watched-event.js';

/**
 * The client's state, mirroring `ZooKeeper.States`. ZooKeeper's CLOSED is split in two so
 * that a session the server expired (`EXPIRED`) reads differently from one the user closed.
 * Terminal states: `CLOSED`, `EXPIRED`, `AUTH_FAILED`.
 */
export type ClientState = 'CONNECTING' | 'CONNECTED' | 'CONNECTED_READ_ONLY' | 'CLOSED' | 'EXPIRED' | 'AUTH_FAILED';

/** Why a client stopped for good: `close()`, session expiry, or rejected credentials. */
export type CloseReason = 'closed' | 'expired' | 'authFailed';

/** What `connected` listeners receive. */
export interface ConnectedInfo {
  /** True when the server is read-only (partitioned from its majority); only with the `readOnly` option. */
  readonly readOnly: boolean;
  /** The session id, the same across reconnects while the session lives. */
  readonly sessionId: bigint;
}

/**
 * Session events of {@link ZkClient} (an `eventemitter3` emitter). They follow the session
 * events ZooKeeper delivers to its default watcher, including its de-duplication: a failed
 * reconnect attempt does not repeat `disconnected`.
 */
export interface ZkClientEvents {
  /** A session was established or resumed (`SyncConnected` / `ConnectedReadOnly`). */
  connected: (info: ConnectedInfo) => void;
  /** The connection was lost; the client is reconnecting and the session may still be alive. */
  disconnected: () => void;
  /** The server reported the session expired; the client is now closed. */
  expired: () => void;
  /** The server rejected credentials given to `addAuth`; the client is now closed. */
  authFailed: () => void;
  /** The client stopped for good. Emitted exactly once, after `expired` or `authFailed` where those apply. */
  closed: (reason: CloseReason) => void;
  /**
   * A watcher or listener threw. Without a listener for this event the error is rethrown
   * from a separate task so it is not lost.
   */
  watcherError: (error: unknown, event: WatchedEvent | undefined) => void;
}
