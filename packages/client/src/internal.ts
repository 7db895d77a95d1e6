/**
 * Internals for sibling packages and tests: the pieces behind the public client, exported so
 * they can be tested without a server. Not part of the public API.
 * @module
 */
import type { ZkClient } from './client.js';
import type { ClientConnection } from './connection.js';

export { Chroot } from './chroot.js';
export { ClientConnection, type ConnectionConfig } from './connection.js';
export type { Reply } from './packet.js';
export { HostProvider } from './host-provider.js';
export { batchSetWatches, SET_WATCHES_MAX_LENGTH, type SetWatchesBatch } from './set-watches.js';
export { WatchManager, selfAndAncestors, type WatchKind } from './watch-manager.js';
export { Deque } from './util/deque.js';
export { createRandom, shuffled } from './util/rng.js';
export { planCreate } from './create-mode.js';
export { toWireOp, fromWireResult } from './multi-op.js';
export { withRetry } from './retry.js';

/** The connection behind a client, for tests that drop it or inspect its watch tables. */
export function connectionOf(client: ZkClient): ClientConnection {
  return client.connection;
}
