/**
 * One ensemble member's consensus core: FastLeaderElection and ZAB as a deterministic state
 * machine. It never touches sockets, disks or clocks; the driver feeds it ticks and messages
 * and carries out what each {@link Ready} says, in the order the Ready documents.
 * @module
 */
import { assert } from './assert.js';
import { resolveConfig, type QuorumPeerConfig, type ResolvedConfig } from './config.js';
import { FastLeaderElection, type ElectionOutcome } from './election.js';
import { Leader } from './leader.js';
import { Learner } from './learner.js';
import type {
  LearnerToLeaderMessage,
  LeaderToLearnerMessage,
  LogEntry,
  NotificationMessage,
  PeerMessage,
  PeerState,
} from './messages.js';
import type { PeerContext } from './peer-context.js';
import type {
  ForwardedRequest,
  OutboundMessage,
  PersistBatch,
  Ready,
  Snapshot,
  SnapshotRequest,
  SyncToken,
  ZabPhase,
} from './ready.js';
import { ReplicatedLog } from './replicated-log.js';
import { NO_VOTE, type Vote } from './vote.js';
import { formatZxid } from './zxid.js';

/** Packet types only a leader receives (PING goes both ways and is routed by role). */
const TO_LEADER_TYPES: ReadonlySet<PeerMessage['type']> = new Set([
  'FOLLOWERINFO',
  'OBSERVERINFO',
  'ACKEPOCH',
  'ACK',
  'REQUEST',
  'SYNC',
]);

/**
 * Messages one Ready may carry (outboxMessagesMax): a sync stream of the whole retained log
 * to every learner plus a tick's worth of other traffic, twice over. More means the driver
 * is not draining {@link QuorumPeer.ready}.
 */
function outboxMessagesMax(config: ResolvedConfig, retainedEntries: number): number {
  const servers = config.voters.length + config.observers.length;
  return servers * (retainedEntries + config.outstandingProposalsMax + 1024) * 2;
}

/** The election's decision, kept to answer other servers' notifications while settled. */
interface SettledVote extends Vote {
  readonly electionEpoch: number;
}

type Role =
  | { readonly kind: 'LOOKING' }
  | { readonly kind: 'LEADING'; readonly leader: Leader }
  | { readonly kind: 'LEARNING'; readonly learner: Learner };

/**
 * A quorum peer (ZooKeeper's `QuorumPeer`) without I/O. Drive it with {@link tick} and
 * {@link step}; drain it with {@link ready} and {@link advance}:
 *
 * ```ts
 * const rd = peer.ready();
 * await storage.persist(rd.persist);   // fsync
 * for (const { to, msg } of rd.messages) transport.send(to, encodePeerMessage(msg));
 * for (const entry of rd.commits) tree.apply(entry);
 * peer.advance(rd);
 * ```
 */
export class QuorumPeer {
  private readonly config: ResolvedConfig;
  private readonly log: ReplicatedLog;
  private readonly election: FastLeaderElection;
  private readonly context: PeerContext;
  private tickCount = 0;
  private role: Role = { kind: 'LOOKING' };
  private settled: SettledVote | undefined;
  private acceptedEpochValue: number;
  private currentEpochValue: number;
  private persistedCurrentEpochValue: number;
  private pendingAcceptedEpoch: number | undefined;
  private pendingCurrentEpoch: number | undefined;
  private committed: number;
  /** Commits are handed out up to here (the driver applies them before advance). */
  private handedOut: number;
  private applied: number;
  private outbox: OutboundMessage[] = [];
  private syncsDone: SyncToken[] = [];
  private syncsFailed: SyncToken[] = [];
  private snapshotRequests: SnapshotRequest[] = [];
  private requests: ForwardedRequest[] = [];
  private outstandingReady: { readonly ready: Ready; readonly handedOut: number } | undefined;
  private lastReadySoftState = '';
  private lookingReasonValue = 'started';

  constructor(config: QuorumPeerConfig) {
    this.config = resolveConfig(config);
    const { persisted } = this.config;
    this.log = new ReplicatedLog(persisted.snapshotZxid, persisted.log);
    this.acceptedEpochValue = persisted.acceptedEpoch;
    this.currentEpochValue = persisted.currentEpoch;
    this.persistedCurrentEpochValue = persisted.currentEpoch;
    // Only the snapshot is known committed: the log's tail waits for the next leader's word.
    this.committed = persisted.snapshotZxid;
    this.handedOut = persisted.snapshotZxid;
    this.applied = persisted.snapshotZxid;
    this.context = this.makeContext();
    const peer = this;
    this.election = new FastLeaderElection({
      config: this.config,
      get nowTick() {
        return peer.tickCount;
      },
      send: (to, msg) => this.send(to, msg),
    });
    this.startElection();
  }

  /** This server's id. */
  get myId(): number {
    return this.config.myId;
  }

  /** FastLeaderElection's view of this server. */
  get state(): PeerState {
    switch (this.role.kind) {
      case 'LOOKING':
        return 'LOOKING';
      case 'LEADING':
        return 'LEADING';
      case 'LEARNING':
        return this.config.isVoter ? 'FOLLOWING' : 'OBSERVING';
    }
  }

  /** Where this server stands in ZAB; it may serve clients only in `BROADCAST`. */
  get phase(): ZabPhase {
    switch (this.role.kind) {
      case 'LOOKING':
        return 'ELECTION';
      case 'LEADING':
        return this.role.leader.phase;
      case 'LEARNING': {
        const stage = this.role.learner.stage;
        if (stage === 'BROADCAST') return 'BROADCAST';
        return stage === 'CONNECTING' || stage === 'EPOCH_ACKED' ? 'DISCOVERY' : 'SYNCHRONIZATION';
      }
    }
  }

  /** The elected leader (this server when leading); undefined while LOOKING. */
  get leaderId(): number | undefined {
    switch (this.role.kind) {
      case 'LOOKING':
        return undefined;
      case 'LEADING':
        return this.config.myId;
      case 'LEARNING':
        return this.role.learner.leaderId;
    }
  }

  /** The epoch of the leadership this server takes part in; its current epoch while LOOKING. */
  get epoch(): number {
    switch (this.role.kind) {
      case 'LOOKING':
        return this.currentEpochValue;
      case 'LEADING':
        return this.role.leader.newEpoch ?? this.currentEpochValue;
      case 'LEARNING':
        return this.role.learner.leaderEpoch ?? this.currentEpochValue;
    }
  }

  /** The accepted epoch (in memory; on disk once the Ready carrying it was persisted). */
  get acceptedEpoch(): number {
    return this.acceptedEpochValue;
  }

  /** The current epoch (in memory; on disk once the Ready carrying it was persisted). */
  get currentEpoch(): number {
    return this.currentEpochValue;
  }

  /** The last zxid in the log. */
  get lastZxid(): number {
    return this.log.lastZxid;
  }

  /** Every entry up to this zxid is committed. */
  get committedZxid(): number {
    return this.committed;
  }

  /** The entries applied by the driver (handed out by a Ready that was advanced). */
  get appliedZxid(): number {
    return this.applied;
  }

  /** The current vote: the proposal while LOOKING, the decided vote otherwise. */
  get vote(): Vote & { readonly electionEpoch: number } {
    if (this.role.kind === 'LOOKING') return { ...this.election.proposal, electionEpoch: this.election.logicalClock };
    return this.settled as SettledVote;
  }

  /** Why this server last went LOOKING (for logs and traces). */
  get lookingReason(): string {
    return this.lookingReasonValue;
  }

  /** Advances logical time by one tick. */
  tick(): void {
    this.tickCount++;
    switch (this.role.kind) {
      case 'LOOKING': {
        const outcome = this.election.onTick();
        if (outcome !== undefined) this.settle(outcome);
        return;
      }
      case 'LEADING':
        return this.role.leader.tick();
      case 'LEARNING':
        return this.role.learner.tick();
    }
  }

  /** Feeds a message from server `from`. Unknown senders and stale packets are ignored. */
  step(from: number, msg: PeerMessage): void {
    if (from === this.config.myId || !this.isMember(from)) return;
    if (msg.type === 'NOTIFICATION') {
      this.onNotification(from, msg);
      return;
    }
    const role = this.role;
    if (role.kind === 'LEADING') {
      if (TO_LEADER_TYPES.has(msg.type) || msg.type === 'PING') role.leader.onMessage(from, msg as LearnerToLeaderMessage);
    } else if (role.kind === 'LEARNING' && from === role.learner.leaderId && !TO_LEADER_TYPES.has(msg.type)) {
      role.learner.onMessage(msg as LeaderToLearnerMessage);
    }
  }

  /**
   * Proposes a write (leader in BROADCAST only). Returns its zxid, or undefined when this
   * server cannot propose now or `outstandingProposalsMax` proposals are in flight.
   */
  propose(data: Uint8Array): number | undefined {
    return this.role.kind === 'LEADING' ? this.role.leader.propose(data) : undefined;
  }

  /**
   * Starts a sync: `token` appears in a later Ready's `syncsDone` once everything proposed
   * before this call is committed and handed out locally (a follower asks its leader, as
   * ZooKeeper's sync does), or in `syncsFailed` if the peer loses its leader first.
   * Returns false when not serving or `pendingSyncsMax` syncs are pending.
   */
  sync(token: SyncToken): boolean {
    switch (this.role.kind) {
      case 'LOOKING':
        return false;
      case 'LEADING':
        return this.role.leader.sync(token);
      case 'LEARNING':
        return this.role.learner.sync(token);
    }
  }

  /**
   * Forwards a write from a learner to its leader, whose Ready lists it in `requests`; the
   * driver learns the outcome when the transaction commits. False when not serving.
   */
  forward(data: Uint8Array): boolean {
    return this.role.kind === 'LEARNING' ? this.role.learner.forward(data) : false;
  }

  /**
   * Answers a Ready's snapshot request with the driver's applied state. Returns false when
   * the request went stale (the learner left); the snapshot is then simply not sent.
   */
  provideSnapshot(to: number, snapshot: Snapshot): boolean {
    return this.role.kind === 'LEADING' ? this.role.leader.provideSnapshot(to, snapshot) : false;
  }

  /**
   * Tells the core that the driver's connection to server `id` closed. A learner
   * whose leader link is gone goes LOOKING at once, as a ZooKeeper follower does
   * when its socket read fails, instead of waiting out `syncLimit`; a leader drops
   * that learner's session (it rejoins with a fresh one). Other peers: no effect.
   */
  peerDisconnected(id: number): void {
    const role = this.role;
    if (role.kind === 'LEARNING' && role.learner.leaderId === id) {
      this.becomeLooking(`connection to leader ${id} closed`);
    } else if (role.kind === 'LEADING') {
      role.leader.learnerDisconnected(id);
    }
  }

  /** True when {@link ready} has something for the driver. */
  hasReady(): boolean {
    return (
      this.outbox.length > 0 ||
      this.log.hasUnpersisted ||
      this.pendingAcceptedEpoch !== undefined ||
      this.pendingCurrentEpoch !== undefined ||
      this.committed > this.handedOut ||
      this.syncsDone.length > 0 ||
      this.syncsFailed.length > 0 ||
      this.snapshotRequests.length > 0 ||
      this.requests.length > 0 ||
      this.softState() !== this.lastReadySoftState
    );
  }

  /** Collects everything produced since the last advance. Call {@link advance} before the next ready. */
  ready(): Ready {
    assert(this.outstandingReady === undefined, 'ready() called again before advance()');
    const persist: PersistBatch = {
      ...this.log.takePersist(),
      ...(this.pendingAcceptedEpoch !== undefined ? { acceptedEpoch: this.pendingAcceptedEpoch } : {}),
      ...(this.pendingCurrentEpoch !== undefined ? { currentEpoch: this.pendingCurrentEpoch } : {}),
    };
    this.pendingAcceptedEpoch = undefined;
    this.pendingCurrentEpoch = undefined;
    const commits: LogEntry[] = this.committed > this.handedOut ? this.log.slice(this.handedOut, this.committed) : [];
    assert(
      commits.length === 0 || (commits[commits.length - 1] as LogEntry).zxid === this.committed,
      'committed entries missing from the log',
    );
    this.handedOut = this.committed;
    const ready: Ready = {
      messages: this.outbox,
      persist,
      commits,
      syncsDone: this.syncsDone,
      syncsFailed: this.syncsFailed,
      snapshotRequests: this.snapshotRequests,
      requests: this.requests,
      state: this.state,
      phase: this.phase,
      leaderId: this.leaderId,
      epoch: this.epoch,
    };
    this.outbox = [];
    this.syncsDone = [];
    this.syncsFailed = [];
    this.snapshotRequests = [];
    this.requests = [];
    this.lastReadySoftState = this.softState();
    this.outstandingReady = { ready, handedOut: this.handedOut };
    return ready;
  }

  /** Tells the core that `rd` was carried out: persisted, sent and applied. */
  advance(rd: Ready): void {
    const outstanding = this.outstandingReady;
    assert(outstanding !== undefined && outstanding.ready === rd, 'advance() with a Ready that is not the outstanding one');
    this.outstandingReady = undefined;
    this.applied = Math.max(this.applied, outstanding.handedOut);
    if (rd.persist.currentEpoch !== undefined) this.persistedCurrentEpochValue = rd.persist.currentEpoch;
    if (this.role.kind === 'LEADING') this.role.leader.onPersisted(rd.persist);
    this.log.trim(this.applied, this.config.maxLogEntriesForDiff);
  }

  private softState(): string {
    return `${this.state}/${this.phase}/${this.leaderId ?? '-'}/${this.epoch}`;
  }

  private isMember(id: number): boolean {
    return this.config.voters.includes(id) || this.config.observers.includes(id);
  }

  private initialVote(): Vote {
    if (!this.config.isVoter) return NO_VOTE;
    return { leader: this.config.myId, zxid: this.log.lastZxid, peerEpoch: this.currentEpochValue };
  }

  private startElection(): void {
    const outcome = this.election.start(this.initialVote());
    if (outcome !== undefined) this.settle(outcome);
  }

  /** The election decided: lead, follow or observe. */
  private settle(outcome: ElectionOutcome): void {
    assert(this.role.kind === 'LOOKING', 'settled while not LOOKING');
    this.settled = { ...outcome.vote, electionEpoch: outcome.electionEpoch };
    if (outcome.vote.leader === this.config.myId) {
      const leader = new Leader(this.context);
      this.role = { kind: 'LEADING', leader };
      leader.start();
    } else {
      const learner = new Learner(this.context, outcome.vote.leader);
      this.role = { kind: 'LEARNING', learner };
      learner.start();
    }
  }

  private becomeLooking(reason: string): void {
    const role = this.role;
    if (role.kind === 'LEADING') role.leader.close();
    else if (role.kind === 'LEARNING') role.learner.close();
    this.role = { kind: 'LOOKING' };
    this.settled = undefined;
    this.lookingReasonValue = reason;
    this.startElection();
  }

  /** FLE's WorkerReceiver: answer servers that need our vote, feed the election while LOOKING. */
  private onNotification(from: number, n: NotificationMessage): void {
    const fromVoter = this.config.voters.includes(from);
    if (this.role.kind === 'LOOKING') {
      // Observers get our vote right away; lagging LOOKING voters get it so they catch up.
      const lagging = n.state === 'LOOKING' && n.electionEpoch < this.election.logicalClock;
      if (!fromVoter || lagging) this.replyVote(from);
      if (!fromVoter) return;
      const outcome = this.election.onNotification(from, n);
      if (outcome !== undefined) this.settle(outcome);
      return;
    }
    if (!fromVoter || n.state === 'LOOKING') this.replyVote(from);
  }

  private replyVote(to: number): void {
    const vote = this.vote;
    this.send(to, {
      type: 'NOTIFICATION',
      leader: vote.leader,
      zxid: vote.zxid,
      peerEpoch: vote.peerEpoch,
      electionEpoch: vote.electionEpoch,
      state: this.state,
    });
  }

  private send(to: number, msg: PeerMessage): void {
    const max = outboxMessagesMax(this.config, this.log.size);
    assert(this.outbox.length < max, `outbox over outboxMessagesMax (${max}): the driver is not draining ready()`);
    this.outbox.push({ to, msg });
  }

  private makeContext(): PeerContext {
    const peer = this;
    return {
      config: this.config,
      log: this.log,
      get nowTick() {
        return peer.tickCount;
      },
      get acceptedEpoch() {
        return peer.acceptedEpochValue;
      },
      get currentEpoch() {
        return peer.currentEpochValue;
      },
      get persistedCurrentEpoch() {
        return peer.persistedCurrentEpochValue;
      },
      get committedZxid() {
        return peer.committed;
      },
      send: (to, msg) => this.send(to, msg),
      setAcceptedEpoch: (epoch) => {
        assert(epoch >= this.acceptedEpochValue, `accepted epoch going back: ${epoch} < ${this.acceptedEpochValue}`);
        this.acceptedEpochValue = epoch;
        this.pendingAcceptedEpoch = epoch;
      },
      setCurrentEpoch: (epoch) => {
        assert(epoch >= this.currentEpochValue, `current epoch going back: ${epoch} < ${this.currentEpochValue}`);
        assert(epoch <= this.acceptedEpochValue, `current epoch ${epoch} above accepted ${this.acceptedEpochValue}`);
        this.currentEpochValue = epoch;
        this.pendingCurrentEpoch = epoch;
      },
      commitUpTo: (zxid) => {
        if (zxid <= this.committed) return;
        assert(zxid <= this.log.lastZxid, `commit of ${formatZxid(zxid)} beyond the last zxid ${formatZxid(this.log.lastZxid)}`);
        assert(this.log.passesThrough(zxid), `commit of ${formatZxid(zxid)}, which is not in the log`);
        this.committed = zxid;
      },
      installSnapshot: (snapshot) => {
        assert(snapshot.zxid >= this.committed, `snapshot ${formatZxid(snapshot.zxid)} behind our commit point`);
        this.log.installSnapshot(snapshot);
        this.committed = snapshot.zxid;
        this.handedOut = snapshot.zxid;
      },
      requestSnapshot: (to) => this.snapshotRequests.push({ to }),
      forwardedRequest: (from, data) => {
        // More than could be proposed in one go is dropped, as a full queue would; the
        // learner's client times out and retries.
        if (this.requests.length < this.config.outstandingProposalsMax) this.requests.push({ from, data });
      },
      syncDone: (token) => this.syncsDone.push(token),
      syncFailed: (token) => this.syncsFailed.push(token),
      updateElectionVote: (epoch) => {
        assert(this.settled !== undefined, 'no settled vote to update');
        this.settled = { ...this.settled, peerEpoch: epoch };
      },
      nextConn: () => {
        // 53 random bits: unique across restarts without any persisted counter.
        const high = this.config.rng.nextUint32() >>> 11;
        return high * 2 ** 32 + this.config.rng.nextUint32();
      },
      lose: (reason) => this.becomeLooking(reason),
    };
  }
}
