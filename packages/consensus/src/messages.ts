/**
 * Messages exchanged between quorum peers: FastLeaderElection notifications, and the ZAB
 * packets of ZooKeeper's `Leader` (same names, same meaning) carried on a learner session.
 *
 * Every ZAB packet belongs to one learner session (`conn`, a random id the leader picks when
 * it answers a learner's FOLLOWERINFO) and carries a per-direction sequence number (`seq`). The core uses them to give
 * each session TCP's guarantees over any transport: duplicates are dropped, reordering within
 * a small window is repaired, and a gap that does not fill ends the session, like a reset.
 * @module
 */

/** A server's role, as FastLeaderElection names it. */
export type PeerState = 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING';

/** One entry of the replicated log: a zxid and the opaque transaction the server put there. */
export interface LogEntry {
  readonly zxid: number;
  readonly data: Uint8Array;
}

/**
 * A FastLeaderElection notification: the sender's current vote (proposed leader, its last
 * zxid and its epoch), the sender's election round (`electionEpoch`, FLE's logical clock) and
 * the sender's state. Observers vote for nobody: leader, zxid and peerEpoch are −1.
 */
export interface NotificationMessage {
  readonly type: 'NOTIFICATION';
  readonly leader: number;
  readonly zxid: number;
  readonly electionEpoch: number;
  readonly peerEpoch: number;
  readonly state: PeerState;
}

/** Fields every ZAB packet carries: the learner session and the per-direction sequence number. */
export interface SessionFields {
  /** Session id: random, chosen by the leader (by the learner for FOLLOWERINFO). */
  readonly conn: number;
  /** Position of this packet in its direction of the session, from 0. */
  readonly seq: number;
}

/**
 * Learner → leader, to open a session: the learner's accepted epoch. `conn` is a fresh id the
 * learner picked for this attempt; it re-sends the same packet until the leader answers.
 */
export interface FollowerInfoMessage extends SessionFields {
  readonly type: 'FOLLOWERINFO' | 'OBSERVERINFO';
  readonly acceptedEpoch: number;
}

/**
 * Leader → learner, first packet of the session: the epoch the leader proposes to establish.
 * `conn` is a fresh session id chosen by the leader, which both sides use from here on;
 * `learnerConn` names the FOLLOWERINFO it answers. A session id is never reused, so a late
 * copy of an old FOLLOWERINFO can only open a session that the learner ignores.
 */
export interface LeaderInfoMessage extends SessionFields {
  readonly type: 'LEADERINFO';
  readonly epoch: number;
  readonly learnerConn: number;
}

/**
 * Learner → leader: the learner accepted the new epoch. `currentEpoch` is −1 when the learner
 * had already accepted that epoch (it must not be counted twice, as in ZooKeeper).
 */
export interface AckEpochMessage extends SessionFields {
  readonly type: 'ACKEPOCH';
  readonly currentEpoch: number;
  readonly lastZxid: number;
}

/** Leader → learner: sync by sending the entries after the learner's last zxid. */
export interface DiffMessage extends SessionFields {
  readonly type: 'DIFF';
  readonly zxid: number;
}

/** Leader → learner: drop every entry after `zxid`, then receive the entries after it. */
export interface TruncMessage extends SessionFields {
  readonly type: 'TRUNC';
  readonly zxid: number;
}

/** Leader → learner: replace everything with this snapshot of the committed state at `zxid`. */
export interface SnapMessage extends SessionFields {
  readonly type: 'SNAP';
  readonly zxid: number;
  readonly data: Uint8Array;
}

/** Leader → follower: a log entry to persist (and, in broadcast, to acknowledge). */
export interface ProposalMessage extends SessionFields {
  readonly type: 'PROPOSAL';
  readonly zxid: number;
  readonly data: Uint8Array;
}

/** Leader → learner: every entry up to and including `zxid` is committed. */
export interface CommitMessage extends SessionFields {
  readonly type: 'COMMIT';
  readonly zxid: number;
}

/** Leader → learner: end of the sync stream; `zxid` is `makeZxid(newEpoch, 0)`. */
export interface NewLeaderMessage extends SessionFields {
  readonly type: 'NEWLEADER';
  readonly zxid: number;
}

/**
 * Learner → leader: the entry `zxid` is persisted. A zxid with counter 0 acknowledges
 * NEWLEADER (the learner persisted its history and the new current epoch), as in ZooKeeper.
 */
export interface AckMessage extends SessionFields {
  readonly type: 'ACK';
  readonly zxid: number;
}

/** Leader → learner: the leader is serving; everything up to `zxid` is committed. */
export interface UpToDateMessage extends SessionFields {
  readonly type: 'UPTODATE';
  readonly zxid: number;
}

/** Leader → observer: a committed entry (observers get no proposals and send no acks). */
export interface InformMessage extends SessionFields {
  readonly type: 'INFORM';
  readonly zxid: number;
  readonly data: Uint8Array;
}

/** Heartbeat in both directions; the learner answers each leader PING with a PING. */
export interface PingMessage extends SessionFields {
  readonly type: 'PING';
}

/** Learner → leader: a write forwarded from the learner's driver, to be proposed. */
export interface RequestMessage extends SessionFields {
  readonly type: 'REQUEST';
  readonly data: Uint8Array;
}

/** Learner → leader: please answer `id` once everything proposed so far is committed. */
export interface SyncMessage extends SessionFields {
  readonly type: 'SYNC';
  readonly id: number;
}

/** Leader → learner: the answer to SYNC `id`, sent after the COMMITs it waited for. */
export interface SyncedMessage extends SessionFields {
  readonly type: 'SYNCED';
  readonly id: number;
}

/** Packets a learner sends to its leader. */
export type LearnerToLeaderMessage =
  | FollowerInfoMessage
  | AckEpochMessage
  | AckMessage
  | PingMessage
  | RequestMessage
  | SyncMessage;

/** Packets a leader sends to a learner. */
export type LeaderToLearnerMessage =
  | LeaderInfoMessage
  | DiffMessage
  | TruncMessage
  | SnapMessage
  | ProposalMessage
  | CommitMessage
  | NewLeaderMessage
  | UpToDateMessage
  | InformMessage
  | PingMessage
  | SyncedMessage;

/** Any packet of a learner session, in either direction. */
export type SessionMessage = LearnerToLeaderMessage | LeaderToLearnerMessage;

/** Everything one peer can send another. */
export type PeerMessage = NotificationMessage | SessionMessage;

/** Every message type name. */
export type PeerMessageType = PeerMessage['type'];

/** Distributes Omit over a union, so that each member keeps its own fields. */
export type WithoutSession<M> = M extends SessionFields ? Omit<M, 'conn' | 'seq'> : never;
