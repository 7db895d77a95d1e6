/**
 * FastLeaderElection's `lookForLeader` as a pure state machine: one instance per server,
 * one round per call to {@link FastLeaderElection.start}. The receive-side answers FLE gives
 * outside `lookForLeader` (its `WorkerReceiver`) live in the peer, which knows its state.
 * @module
 */
import { assert } from './assert.js';
import type { ResolvedConfig } from './config.js';
import type { NotificationMessage } from './messages.js';
import { sameVote, totalOrderPredicate, type ReceivedVote, type Vote } from './vote.js';

/** The services the election needs from its peer. */
export interface ElectionHost {
  readonly config: ResolvedConfig;
  readonly nowTick: number;
  send(to: number, msg: NotificationMessage): void;
}

/** The end of a round: whom to follow (or lead), and the round it was decided in. */
export interface ElectionOutcome {
  readonly vote: Vote;
  readonly electionEpoch: number;
}

/** One server's FastLeaderElection: the logical clock survives rounds, the ballot boxes don't. */
export class FastLeaderElection {
  /** FLE's logical clock: the election round this server is in. */
  logicalClock = 0;
  private initialVote: Vote | undefined;
  private proposalVote: Vote | undefined;
  /** Votes of the current round (FLE's `recvset`). */
  private readonly recvset = new Map<number, ReceivedVote>();
  /** Votes of servers that already settled, from any round (FLE's `outofelection`). */
  private readonly outOfElection = new Map<number, ReceivedVote>();
  /** Set while a quorum backs our proposal and we wait for a better vote. */
  private finalizeAtTick: number | undefined;
  private nextResendTick = 0;
  private active = false;
  private readonly isVoter: (id: number) => boolean;

  constructor(private readonly host: ElectionHost) {
    const voters = new Set(host.config.voters);
    this.isVoter = (id) => voters.has(id);
  }

  /** The vote this server currently proposes. */
  get proposal(): Vote {
    assert(this.proposalVote !== undefined, 'no election has started');
    return this.proposalVote;
  }

  /** True between {@link start} and the outcome. */
  get running(): boolean {
    return this.active;
  }

  /** Starts a new round with our own vote; may decide at once (a single voter). */
  start(initialVote: Vote): ElectionOutcome | undefined {
    this.logicalClock++;
    this.initialVote = initialVote;
    this.proposalVote = initialVote;
    this.recvset.clear();
    this.outOfElection.clear();
    this.finalizeAtTick = undefined;
    this.active = true;
    return this.sendNotifications();
  }

  /** Processes a notification from a voter while LOOKING (FLE's `lookForLeader` loop body). */
  onNotification(from: number, n: NotificationMessage): ElectionOutcome | undefined {
    assert(this.active, 'notification processed outside an election');
    if (!this.isVoter(from) || !this.isVoter(n.leader)) return undefined;
    const received: ReceivedVote = n;
    if (this.finalizeAtTick !== undefined) {
      // While finalizing, FLE drops every notification that does not beat our proposal.
      if (!this.beats(received, this.proposal)) return undefined;
      this.finalizeAtTick = undefined;
    }
    switch (n.state) {
      case 'LOOKING':
        return this.onLooking(from, received);
      case 'FOLLOWING':
      case 'LEADING':
        return this.onSettled(from, received);
      case 'OBSERVING':
        return undefined;
    }
  }

  /** Advances election timers: the finalize wait and the periodic re-send of our vote. */
  onTick(): ElectionOutcome | undefined {
    assert(this.active, 'election tick outside an election');
    if (this.finalizeAtTick !== undefined && this.host.nowTick >= this.finalizeAtTick) return this.finish();
    if (this.host.nowTick >= this.nextResendTick) return this.sendNotifications();
    return undefined;
  }

  private onLooking(from: number, n: ReceivedVote): ElectionOutcome | undefined {
    const initial = this.initialVote as Vote;
    let outcome: ElectionOutcome | undefined;
    if (n.electionEpoch > this.logicalClock) {
      this.logicalClock = n.electionEpoch;
      this.recvset.clear();
      this.proposalVote = this.beats(n, initial) ? pickVote(n) : initial;
      outcome = this.sendNotifications();
    } else if (n.electionEpoch < this.logicalClock) {
      return undefined;
    } else if (this.beats(n, this.proposal)) {
      this.proposalVote = pickVote(n);
      outcome = this.sendNotifications();
    }
    if (outcome !== undefined) return outcome;
    this.recvset.set(from, n);
    return this.checkProposalQuorum();
  }

  private onSettled(from: number, n: ReceivedVote): ElectionOutcome | undefined {
    if (n.electionEpoch === this.logicalClock) {
      this.recvset.set(from, n);
      if (this.hasQuorum(this.recvset, n) && this.checkLeader(this.recvset, n.leader, n.electionEpoch)) {
        return this.conclude(pickVote(n), n.electionEpoch);
      }
    }
    // Joining an established ensemble: a quorum must follow the same leader, and the leader
    // must say it is leading (ZOOKEEPER-1732: this map also holds current-round votes).
    this.outOfElection.set(from, n);
    if (this.hasQuorum(this.outOfElection, n) && this.checkLeader(this.outOfElection, n.leader, n.electionEpoch)) {
      this.logicalClock = n.electionEpoch;
      return this.conclude(pickVote(n), n.electionEpoch);
    }
    return undefined;
  }

  /** Sends our proposal to every other voter and counts it as our own ballot. */
  private sendNotifications(): ElectionOutcome | undefined {
    const { config } = this.host;
    const vote = this.proposal;
    const msg: NotificationMessage = {
      type: 'NOTIFICATION',
      leader: vote.leader,
      zxid: vote.zxid,
      peerEpoch: vote.peerEpoch,
      electionEpoch: this.logicalClock,
      state: 'LOOKING',
    };
    for (const id of config.voters) if (id !== config.myId) this.host.send(id, msg);
    this.nextResendTick = this.host.nowTick + config.electionResendTicks;
    if (!config.isVoter) return undefined;
    // FLE delivers a voter's notification to itself; doing it inline is the same ballot.
    this.recvset.set(config.myId, msg);
    return this.checkProposalQuorum();
  }

  private checkProposalQuorum(): ElectionOutcome | undefined {
    if (this.finalizeAtTick !== undefined) return undefined;
    const mine: ReceivedVote = { ...this.proposal, electionEpoch: this.logicalClock, state: 'LOOKING' };
    if (!this.hasQuorum(this.recvset, mine)) return undefined;
    if (this.host.config.finalizeWaitTicks === 0) return this.finish();
    this.finalizeAtTick = this.host.nowTick + this.host.config.finalizeWaitTicks;
    return undefined;
  }

  private finish(): ElectionOutcome {
    return this.conclude(this.proposal, this.logicalClock);
  }

  private conclude(vote: Vote, electionEpoch: number): ElectionOutcome {
    this.active = false;
    this.finalizeAtTick = undefined;
    this.proposalVote = vote;
    return { vote, electionEpoch };
  }

  /** True when the voters whose ballot equals `vote` form a quorum. */
  private hasQuorum(ballots: ReadonlyMap<number, ReceivedVote>, vote: ReceivedVote): boolean {
    let count = 0;
    for (const [id, ballot] of ballots) if (this.isVoter(id) && sameVote(ballot, vote)) count++;
    return count >= this.host.config.quorumSize;
  }

  /**
   * FLE's `checkLeader`: following someone else needs that server's own word that it leads;
   * being named leader by the others needs the round to be ours.
   */
  private checkLeader(ballots: ReadonlyMap<number, ReceivedVote>, leader: number, electionEpoch: number): boolean {
    if (leader !== this.host.config.myId) return ballots.get(leader)?.state === 'LEADING';
    return this.logicalClock === electionEpoch;
  }

  private beats(candidate: Vote, current: Vote): boolean {
    return totalOrderPredicate(candidate, current, this.isVoter);
  }
}

function pickVote(v: Vote): Vote {
  return { leader: v.leader, zxid: v.zxid, peerEpoch: v.peerEpoch };
}
