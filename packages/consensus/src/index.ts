/**
 * `@zkts/consensus`: ZooKeeper's leader election (FastLeaderElection) and atomic broadcast
 * (ZAB) as a pure, deterministic state machine, plus the binary codec for its messages.
 * @module
 */
export { QuorumPeer } from './quorum-peer.js';
export type {
  QuorumPeerConfig,
  PersistedState,
  UnsafeOptions,
} from './config.js';
export { OUTSTANDING_PROPOSALS_MAX_DEFAULT, PENDING_SYNCS_MAX_DEFAULT } from './config.js';
export type {
  Ready,
  PersistBatch,
  OutboundMessage,
  Snapshot,
  SnapshotRequest,
  ForwardedRequest,
  SyncToken,
  ZabPhase,
} from './ready.js';
export type {
  PeerMessage,
  PeerMessageType,
  PeerState,
  LogEntry,
  NotificationMessage,
  SessionFields,
  FollowerInfoMessage,
  LeaderInfoMessage,
  AckEpochMessage,
  DiffMessage,
  TruncMessage,
  SnapMessage,
  ProposalMessage,
  CommitMessage,
  NewLeaderMessage,
  AckMessage,
  UpToDateMessage,
  InformMessage,
  PingMessage,
  RequestMessage,
  SyncMessage,
  SyncedMessage,
  LearnerToLeaderMessage,
  LeaderToLearnerMessage,
  SessionMessage,
} from './messages.js';
export type { Vote } from './vote.js';
export { totalOrderPredicate } from './vote.js';
export { encodePeerMessage, decodePeerMessage, PeerMessageError } from './codec.js';
export { makeZxid, epochOf, counterOf, formatZxid, isZxid, EPOCH_LIMIT, COUNTER_MAX } from './zxid.js';
export { createRng, type Rng } from './rng.js';
export { REORDER_WINDOW_MAX, GAP_TIMEOUT_TICKS } from './session-receiver.js';
