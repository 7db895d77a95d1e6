/**
 * What {@link QuorumPeer.ready} hands the driver, and the order the driver must handle it in.
 * @module
 */
import type { LogEntry, PeerMessage, PeerState } from './messages.js';

/** A snapshot of the committed state machine, opaque to the core. */
export interface Snapshot {
  /** The last zxid applied in the snapshot. */
  readonly zxid: number;
  /** The driver's serialized state. */
  readonly data: Uint8Array;
}

/** A message to send to server `to`. */
export interface OutboundMessage {
  readonly to: number;
  readonly msg: PeerMessage;
}

/**
 * What the driver must make durable (fsync) before sending any of the Ready's messages.
 * Apply the parts in this order:
 * 1. `snapshot`: install it as the new state and discard the whole log;
 * 2. `truncateAfterZxid`: discard every log entry with a larger zxid;
 * 3. `entries`: append them, in order;
 * 4. `acceptedEpoch`, then `currentEpoch`: write them after the entries, so that a crash in
 *    between never leaves an epoch on disk that claims entries the log lacks.
 */
export interface PersistBatch {
  readonly snapshot?: Snapshot;
  readonly truncateAfterZxid?: number;
  readonly entries: readonly LogEntry[];
  readonly acceptedEpoch?: number;
  readonly currentEpoch?: number;
}

/** A request from the leader's core for a snapshot to send to learner `to`. */
export interface SnapshotRequest {
  readonly to: number;
}

/** A write forwarded by learner `from` (see {@link QuorumPeer.forward}) for the leader to propose. */
export interface ForwardedRequest {
  readonly from: number;
  readonly data: Uint8Array;
}

/** Token identifying one {@link QuorumPeer.sync} call, chosen by the driver. */
export type SyncToken = number;

/** Where a peer stands in ZAB. `ELECTION` while LOOKING; serving only in `BROADCAST`. */
export type ZabPhase = 'ELECTION' | 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST';

/**
 * Everything the core produced since the last {@link QuorumPeer.advance}. The driver
 * persists `persist` (fsync), then sends `messages`, then applies `commits` in order (and
 * installs nothing else: a snapshot was already installed with the persist), then reports
 * `syncsDone`/`syncsFailed`, answers `snapshotRequests` and proposes `requests`, and finally
 * calls {@link QuorumPeer.advance} with this Ready.
 */
export interface Ready {
  readonly messages: readonly OutboundMessage[];
  readonly persist: PersistBatch;
  /** Newly committed entries, in zxid order; apply them after the persist. */
  readonly commits: readonly LogEntry[];
  /** Syncs that completed: every write proposed before them is in `commits` or earlier. */
  readonly syncsDone: readonly SyncToken[];
  /** Syncs that will never complete because this peer lost its leader or its quorum. */
  readonly syncsFailed: readonly SyncToken[];
  /** Learners that need a snapshot: answer with {@link QuorumPeer.provideSnapshot}. */
  readonly snapshotRequests: readonly SnapshotRequest[];
  /**
   * Writes forwarded by learners, for the leader's driver to turn into proposals (at most
   * `outstandingProposalsMax` per Ready; more are dropped, like a full queue).
   */
  readonly requests: readonly ForwardedRequest[];
  readonly state: PeerState;
  readonly phase: ZabPhase;
  /** The leader this peer follows or is, once elected; undefined while LOOKING. */
  readonly leaderId: number | undefined;
  /** The epoch of the leadership this peer takes part in (its current epoch while LOOKING). */
  readonly epoch: number;
}
