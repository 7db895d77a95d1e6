/**
 * Votes and their order, as in ZooKeeper's `Vote` and `FastLeaderElection.totalOrderPredicate`.
 * @module
 */
import type { PeerState } from './messages.js';

/** A proposal for leader: the candidate, its last logged zxid and its current epoch. */
export interface Vote {
  readonly leader: number;
  readonly zxid: number;
  readonly peerEpoch: number;
}

/** A vote as received in a notification, with the sender's election round and state. */
export interface ReceivedVote extends Vote {
  readonly electionEpoch: number;
  readonly state: PeerState;
}

/** The vote of a server that votes for nobody (an observer): loses to every voter's vote. */
export const NO_VOTE: Vote = { leader: -1, zxid: -1, peerEpoch: -1 };

/**
 * True when `candidate` beats `current`: higher epoch wins, then higher zxid, then higher
 * server id. A candidate that is not a voter (weight 0) never wins.
 */
export function totalOrderPredicate(candidate: Vote, current: Vote, isVoter: (id: number) => boolean): boolean {
  if (!isVoter(candidate.leader)) return false;
  if (candidate.peerEpoch !== current.peerEpoch) return candidate.peerEpoch > current.peerEpoch;
  if (candidate.zxid !== current.zxid) return candidate.zxid > current.zxid;
  return candidate.leader > current.leader;
}

/**
 * ZooKeeper's `Vote.equals`: while either side is LOOKING every field counts; between settled
 * votes (FOLLOWING/LEADING) only the leader and its epoch do, since their zxids move on.
 */
export function sameVote(a: ReceivedVote, b: ReceivedVote): boolean {
  if (a.state === 'LOOKING' || b.state === 'LOOKING') {
    return a.leader === b.leader && a.zxid === b.zxid && a.electionEpoch === b.electionEpoch && a.peerEpoch === b.peerEpoch;
  }
  return a.leader === b.leader && a.peerEpoch === b.peerEpoch;
}
