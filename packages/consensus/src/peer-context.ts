/**
 * What the role state machines (leader, learner) may use of their {@link QuorumPeer}: the
 * shared log, epochs and commit point, and the outputs that end up in the next Ready.
 * @module
 */
import type { ResolvedConfig } from './config.js';
import type { PeerMessage } from './messages.js';
import type { ReplicatedLog } from './replicated-log.js';
import type { Snapshot, SyncToken } from './ready.js';

/** The peer as its current role sees it. */
export interface PeerContext {
  readonly config: ResolvedConfig;
  /** Ticks since the peer was created. */
  readonly nowTick: number;
  readonly log: ReplicatedLog;
  /** In-memory accepted epoch (durable once the Ready carrying it is persisted). */
  readonly acceptedEpoch: number;
  /** In-memory current epoch (durable once the Ready carrying it is persisted). */
  readonly currentEpoch: number;
  /** The current epoch known to be on disk (updated on advance). */
  readonly persistedCurrentEpoch: number;
  /** Every entry up to this zxid is committed. */
  readonly committedZxid: number;
  /** Queues a message; it leaves only after the Ready's persist, so it never outruns the disk. */
  send(to: number, msg: PeerMessage): void;
  setAcceptedEpoch(epoch: number): void;
  setCurrentEpoch(epoch: number): void;
  /** Marks every entry up to `zxid` (which must be in the log) committed. */
  commitUpTo(zxid: number): void;
  /** Replaces the log and the committed state with a snapshot from the leader. */
  installSnapshot(snapshot: Snapshot): void;
  requestSnapshot(to: number): void;
  forwardedRequest(from: number, data: Uint8Array): void;
  syncDone(token: SyncToken): void;
  syncFailed(token: SyncToken): void;
  /**
   * Sets the epoch of our settled vote to the epoch now served, so that every member reports
   * the same vote to servers that join later (ZooKeeper's `updateElectionVote`, ZOOKEEPER-1732).
   */
  updateElectionVote(epoch: number): void;
  /** A fresh learner session id. */
  nextConn(): number;
  /** Gives up the current role and starts a new election; the caller must return at once. */
  lose(reason: string): void;
}
