/**
 * The leader's side of ZAB (ZooKeeper's `Leader` and its `LearnerHandler`s): discovery of a
 * new epoch, synchronization of each learner by DIFF, TRUNC or SNAP, and broadcast.
 * @module
 */
import { assert } from './assert.js';
import type { LearnerToLeaderMessage, LeaderToLearnerMessage, LogEntry, WithoutSession } from './messages.js';
import type { PeerContext } from './peer-context.js';
import type { PersistBatch, Snapshot, SyncToken } from './ready.js';
import { SessionReceiver } from './session-receiver.js';
import { COUNTER_MAX, EPOCH_LIMIT, counterOf, epochOf, formatZxid, makeZxid } from './zxid.js';

/** The leader's phase; it serves (accepts proposals) only in BROADCAST. */
export type LeaderPhase = 'DISCOVERY' | 'SYNCHRONIZATION' | 'BROADCAST';

/**
 * Where one learner session stands, in order: FOLLOWERINFO received; LEADERINFO sent;
 * ACKEPOCH received; waiting for the driver's snapshot; sync stream and NEWLEADER sent;
 * NEWLEADER acknowledged; UPTODATE sent.
 */
type HandlerStage =
  | 'CONNECTED'
  | 'EPOCH_PROPOSED'
  | 'EPOCH_ACKED'
  | 'AWAITING_SNAPSHOT'
  | 'SYNCING'
  | 'SYNCED'
  | 'UPTODATE';

/** The leader's end of one learner session (ZooKeeper's `LearnerHandler`). */
interface LearnerHandler {
  readonly sid: number;
  readonly isVoter: boolean;
  /** The session id this handler chose (carried by every packet after FOLLOWERINFO). */
  readonly conn: number;
  /** The id of the FOLLOWERINFO that opened it, to recognize the learner's re-sends. */
  readonly learnerConn: number;
  readonly receiver: SessionReceiver<LearnerToLeaderMessage>;
  sendSeq: number;
  stage: HandlerStage;
  /** The learner's last zxid, from its ACKEPOCH. */
  peerLastZxid: number;
  lastHeardTick: number;
  /** True once the learner gets every new proposal and commit (from its sync point on). */
  forwarding: boolean;
  /** The highest entry the learner has been sent; observers get INFORMs beyond it. */
  sentZxid: number;
  /** SYNCs from this learner waiting for commits. */
  pendingSyncs: number;
}

/** A proposal of this epoch that is not committed yet, and the voters that persisted it. */
interface Proposal {
  readonly zxid: number;
  readonly acks: Set<number>;
}

/** A sync waiting for everything proposed before it to commit. */
interface PendingSync {
  readonly zxid: number;
  readonly token?: SyncToken;
  readonly learner?: { readonly handler: LearnerHandler; readonly id: number };
}

/** One term of leadership; discarded when the peer goes back to LOOKING. */
export class Leader {
  phase: LeaderPhase = 'DISCOVERY';
  /** The epoch this leader establishes, known once a quorum sent FOLLOWERINFO. */
  newEpoch: number | undefined;
  private maxAcceptedEpoch: number;
  private readonly connectingVoters = new Set<number>();
  private readonly epochAckers = new Set<number>();
  private readonly newLeaderAckers = new Set<number>();
  private epochAckQuorum = false;
  private phaseDeadlineTick: number;
  private readonly handlers = new Map<number, LearnerHandler>();
  /** Uncommitted proposals in zxid order. */
  private readonly outstanding: Proposal[] = [];
  private counter = 0;
  /** The end of this leader's initial history: committed once the epoch is established. */
  private historyEndZxid = 0;
  /** Syncs in commit order (their zxids never decrease). */
  private readonly pendingSyncs: PendingSync[] = [];
  private ownPendingSyncs = 0;
  /** (currentEpoch, lastZxid) at election: no learner of the epoch quorum may be ahead of it. */
  private readonly summary: { readonly currentEpoch: number; readonly lastZxid: number };
  private closed = false;

  constructor(private readonly ctx: PeerContext) {
    assert(ctx.config.isVoter, 'an observer cannot lead');
    this.maxAcceptedEpoch = ctx.acceptedEpoch;
    this.phaseDeadlineTick = ctx.nowTick + ctx.config.initLimit;
    this.summary = { currentEpoch: ctx.currentEpoch, lastZxid: ctx.log.lastZxid };
  }

  /** Begins discovery: the leader is its own first connecting follower. */
  start(): void {
    this.connectingVoters.add(this.ctx.config.myId);
    this.tryFixEpoch();
  }

  /** The highest zxid proposed (or, before any proposal, in the initial history). */
  get lastProposedZxid(): number {
    return this.ctx.log.lastZxid;
  }

  /** Handles a packet from server `from`. */
  onMessage(from: number, msg: LearnerToLeaderMessage): void {
    if (msg.type === 'FOLLOWERINFO' || msg.type === 'OBSERVERINFO') {
      const existing = this.handlers.get(from);
      if (existing?.learnerConn === msg.conn) {
        existing.lastHeardTick = this.ctx.nowTick; // a re-send: the learner is still there
        return;
      }
      if ((msg.type === 'OBSERVERINFO') === this.ctx.config.voters.includes(from)) return; // wrong learner type
      if (existing !== undefined) this.dropHandler(existing);
      const handler: LearnerHandler = {
        sid: from,
        isVoter: msg.type === 'FOLLOWERINFO',
        conn: this.ctx.nextConn(),
        learnerConn: msg.conn,
        receiver: new SessionReceiver(0),
        sendSeq: 0,
        stage: 'CONNECTED',
        peerLastZxid: 0,
        lastHeardTick: this.ctx.nowTick,
        forwarding: false,
        sentZxid: 0,
        pendingSyncs: 0,
      };
      this.handlers.set(from, handler);
      this.onFollowerInfo(handler, msg.acceptedEpoch);
      return;
    }
    const handler = this.handlers.get(from);
    if (handler === undefined || handler.conn !== msg.conn) return;
    const received = handler.receiver.receive(msg, this.ctx.nowTick);
    if (received === 'broken') {
      this.dropHandler(handler);
      return;
    }
    for (const m of received.deliver) {
      if (this.closed || this.handlers.get(from) !== handler) return;
      handler.lastHeardTick = this.ctx.nowTick;
      this.onSessionMessage(handler, m);
    }
  }

  /** The driver's link to learner `from` closed: its session is over. */
  learnerDisconnected(from: number): void {
    const handler = this.handlers.get(from);
    if (handler !== undefined) this.dropHandler(handler);
  }

  /** Pings learners, expires silent ones, and checks the phase deadline or the quorum. */
  tick(): void {
    const { config, nowTick } = this.ctx;
    for (const handler of [...this.handlers.values()]) {
      const synced = handler.stage === 'SYNCED' || handler.stage === 'UPTODATE';
      const limit = synced ? config.syncLimit : config.initLimit;
      if (nowTick - handler.lastHeardTick > limit || handler.receiver.gapExpired(nowTick)) {
        this.dropHandler(handler);
        continue;
      }
      // LEADERINFO must be the session's first packet: no pings before it.
      if (handler.stage !== 'CONNECTED') this.send(handler, { type: 'PING' });
    }
    if (this.phase !== 'BROADCAST') {
      if (nowTick >= this.phaseDeadlineTick) this.ctx.lose(`leader timed out in ${this.phase}`);
      return;
    }
    let synced = 1; // the leader itself
    for (const handler of this.handlers.values()) {
      if (handler.isVoter && (handler.stage === 'SYNCED' || handler.stage === 'UPTODATE')) synced++;
    }
    if (synced < config.quorumSize) this.ctx.lose('leader lost its quorum');
  }

  /** Proposes `data`; returns its zxid, or undefined when not broadcasting or too many are in flight. */
  propose(data: Uint8Array): number | undefined {
    if (this.phase !== 'BROADCAST' || this.outstanding.length >= this.ctx.config.outstandingProposalsMax) return undefined;
    const epoch = this.newEpoch as number;
    if (this.counter >= COUNTER_MAX) {
      // ZooKeeper re-elects when the counter would roll over into the epoch bits.
      this.ctx.lose('zxid counter exhausted');
      return undefined;
    }
    this.counter++;
    const zxid = makeZxid(epoch, this.counter);
    const entry: LogEntry = { zxid, data };
    this.ctx.log.append(entry);
    this.outstanding.push({ zxid, acks: new Set() });
    for (const handler of this.handlers.values()) {
      if (handler.forwarding && handler.isVoter) {
        this.send(handler, { type: 'PROPOSAL', zxid, data });
        handler.sentZxid = zxid;
      }
    }
    return zxid;
  }

  /** Registers a local sync; false when not broadcasting or too many are pending. */
  sync(token: SyncToken): boolean {
    if (this.phase !== 'BROADCAST' || this.ownPendingSyncs >= this.ctx.config.pendingSyncsMax) return false;
    if (this.outstanding.length === 0) {
      this.ctx.syncDone(token);
      return true;
    }
    this.ownPendingSyncs++;
    this.pendingSyncs.push({ zxid: this.lastProposedZxid, token });
    return true;
  }

  /** The driver's answer to a snapshot request: sends SNAP and the rest of the sync stream. */
  provideSnapshot(to: number, snapshot: Snapshot): boolean {
    const handler = this.handlers.get(to);
    if (handler === undefined || handler.stage !== 'AWAITING_SNAPSHOT') return false;
    const { log, committedZxid } = this.ctx;
    assert(snapshot.zxid <= committedZxid, `snapshot ${formatZxid(snapshot.zxid)} is ahead of the commit point`);
    assert(log.passesThrough(snapshot.zxid), `snapshot ${formatZxid(snapshot.zxid)} is outside the retained log`);
    this.send(handler, { type: 'SNAP', zxid: snapshot.zxid, data: snapshot.data });
    this.sendSyncStream(handler, snapshot.zxid);
    return true;
  }

  /** Called on advance: counts the leader's own persisted acks (proposals and NEWLEADER). */
  onPersisted(batch: PersistBatch): void {
    if (this.closed) return;
    if (this.phase === 'SYNCHRONIZATION') this.tryEstablish();
    if (this.phase !== 'BROADCAST') return;
    for (const entry of batch.entries) {
      if (epochOf(entry.zxid) === this.newEpoch) this.ack(entry.zxid, this.ctx.config.myId);
    }
  }

  /** Ends this term: pending syncs fail, outstanding proposals are dropped. */
  close(): void {
    this.closed = true;
    for (const pending of this.pendingSyncs) if (pending.token !== undefined) this.ctx.syncFailed(pending.token);
    this.pendingSyncs.length = 0;
    this.outstanding.length = 0;
    this.handlers.clear();
  }

  private onSessionMessage(handler: LearnerHandler, msg: LearnerToLeaderMessage): void {
    switch (msg.type) {
      case 'ACKEPOCH':
        return this.onAckEpoch(handler, msg.currentEpoch, msg.lastZxid);
      case 'ACK':
        return this.onAck(handler, msg.zxid);
      case 'PING':
        return;
      case 'REQUEST':
        assert(handler.stage === 'UPTODATE', `REQUEST from ${handler.sid} before UPTODATE`);
        this.ctx.forwardedRequest(handler.sid, msg.data);
        return;
      case 'SYNC':
        return this.onLearnerSync(handler, msg.id);
      case 'FOLLOWERINFO':
      case 'OBSERVERINFO':
        assert(false, `${msg.type} inside an open session`);
    }
  }

  private onFollowerInfo(handler: LearnerHandler, acceptedEpoch: number): void {
    if (this.newEpoch !== undefined) {
      if (acceptedEpoch > this.newEpoch) {
        // The learner promised a later epoch (to a leader that never established it) and must
        // refuse ours; ZooKeeper leaves it looping until the next election. Stepping down
        // starts that election now, and its epoch will exceed the learner's promise.
        this.ctx.lose(`learner ${handler.sid} accepted epoch ${acceptedEpoch}, above ours`);
        return;
      }
      this.sendLeaderInfo(handler);
      return;
    }
    // Observers' accepted epochs count toward the new epoch; only voters toward the quorum.
    this.maxAcceptedEpoch = Math.max(this.maxAcceptedEpoch, acceptedEpoch);
    if (handler.isVoter) this.connectingVoters.add(handler.sid);
    this.tryFixEpoch();
  }

  private tryFixEpoch(): void {
    if (this.connectingVoters.size < this.ctx.config.quorumSize) return;
    const epoch = this.maxAcceptedEpoch + 1;
    assert(epoch < EPOCH_LIMIT, 'epoch space exhausted');
    assert(epoch > this.ctx.acceptedEpoch, 'new epoch must exceed our accepted epoch');
    this.newEpoch = epoch;
    this.ctx.setAcceptedEpoch(epoch);
    this.epochAckers.add(this.ctx.config.myId);
    this.phaseDeadlineTick = this.ctx.nowTick + this.ctx.config.initLimit;
    for (const handler of this.handlers.values()) if (handler.stage === 'CONNECTED') this.sendLeaderInfo(handler);
    this.tryEpochAckQuorum();
  }

  private sendLeaderInfo(handler: LearnerHandler): void {
    assert(handler.stage === 'CONNECTED', 'LEADERINFO sent twice');
    this.send(handler, { type: 'LEADERINFO', epoch: this.newEpoch as number, learnerConn: handler.learnerConn });
    handler.stage = 'EPOCH_PROPOSED';
  }

  private onAckEpoch(handler: LearnerHandler, currentEpoch: number, lastZxid: number): void {
    assert(handler.stage === 'EPOCH_PROPOSED', `ACKEPOCH from ${handler.sid} in stage ${handler.stage}`);
    handler.stage = 'EPOCH_ACKED';
    handler.peerLastZxid = lastZxid;
    if (this.epochAckQuorum) {
      this.startSync(handler);
      return;
    }
    if (currentEpoch !== -1) {
      const ahead =
        currentEpoch > this.summary.currentEpoch ||
        (currentEpoch === this.summary.currentEpoch && lastZxid > this.summary.lastZxid);
      if (ahead) {
        this.ctx.lose(`follower ${handler.sid} is ahead of the leader`);
        return;
      }
      if (handler.isVoter) this.epochAckers.add(handler.sid);
    }
    this.tryEpochAckQuorum();
  }

  private tryEpochAckQuorum(): void {
    if (this.epochAckers.size < this.ctx.config.quorumSize) return;
    const epoch = this.newEpoch as number;
    this.epochAckQuorum = true;
    this.phase = 'SYNCHRONIZATION';
    this.phaseDeadlineTick = this.ctx.nowTick + this.ctx.config.initLimit;
    this.ctx.setCurrentEpoch(epoch);
    this.historyEndZxid = this.ctx.log.lastZxid;
    assert(this.historyEndZxid < makeZxid(epoch, 0), 'initial history reaches into the new epoch');
    for (const handler of this.handlers.values()) if (handler.stage === 'EPOCH_ACKED') this.startSync(handler);
  }

  /** LearnerHandler.syncFollower: DIFF, TRUNC or SNAP from the learner's last zxid. */
  private startSync(handler: LearnerHandler): void {
    const { log } = this.ctx;
    const peerLast = handler.peerLastZxid;
    if (log.passesThrough(peerLast)) {
      this.send(handler, { type: 'DIFF', zxid: log.lastZxid });
      this.sendSyncStream(handler, peerLast);
      return;
    }
    const divergence = log.largestBelow(peerLast);
    if (divergence !== undefined) {
      // The learner has entries we lack (never committed): cut them, then send ours.
      this.send(handler, { type: 'TRUNC', zxid: divergence });
      this.sendSyncStream(handler, divergence);
      return;
    }
    // The learner is behind everything we retain: it needs the driver's snapshot.
    handler.stage = 'AWAITING_SNAPSHOT';
    this.ctx.requestSnapshot(handler.sid);
  }

  /** Entries after `from`, the commit point, then NEWLEADER; the learner gets everything new from here. */
  private sendSyncStream(handler: LearnerHandler, from: number): void {
    const { log, committedZxid } = this.ctx;
    for (const entry of log.slice(from)) this.send(handler, { type: 'PROPOSAL', zxid: entry.zxid, data: entry.data });
    handler.sentZxid = log.lastZxid;
    if (committedZxid > 0) this.send(handler, { type: 'COMMIT', zxid: committedZxid });
    this.send(handler, { type: 'NEWLEADER', zxid: makeZxid(this.newEpoch as number, 0) });
    handler.stage = 'SYNCING';
    handler.forwarding = true;
  }

  private onAck(handler: LearnerHandler, zxid: number): void {
    if (counterOf(zxid) === 0) {
      assert(handler.stage === 'SYNCING', `NEWLEADER ack from ${handler.sid} in stage ${handler.stage}`);
      assert(epochOf(zxid) === this.newEpoch, `NEWLEADER ack for epoch ${epochOf(zxid)}`);
      handler.stage = 'SYNCED';
      if (handler.isVoter) this.newLeaderAckers.add(handler.sid);
      if (this.phase === 'BROADCAST') this.sendUpToDate(handler);
      else this.tryEstablish();
      return;
    }
    assert(handler.isVoter, `observer ${handler.sid} acked a proposal`);
    assert(handler.stage === 'SYNCED' || handler.stage === 'UPTODATE', `ACK from ${handler.sid} before NEWLEADER`);
    this.ack(zxid, handler.sid);
  }

  /** Waits for a quorum of NEWLEADER acks, ours counting once our current epoch is on disk. */
  private tryEstablish(): void {
    const epoch = this.newEpoch as number;
    if (this.ctx.persistedCurrentEpoch === epoch) this.newLeaderAckers.add(this.ctx.config.myId);
    if (this.newLeaderAckers.size < this.ctx.config.quorumSize) return;
    // A quorum holds our history under the new epoch: all of it is committed.
    this.phase = 'BROADCAST';
    this.ctx.updateElectionVote(epoch);
    this.ctx.commitUpTo(this.historyEndZxid);
    for (const handler of this.handlers.values()) if (handler.stage === 'SYNCED') this.sendUpToDate(handler);
  }

  private sendUpToDate(handler: LearnerHandler): void {
    assert(handler.sentZxid >= this.ctx.committedZxid, 'UPTODATE would commit entries the learner lacks');
    this.send(handler, { type: 'UPTODATE', zxid: this.ctx.committedZxid });
    handler.stage = 'UPTODATE';
  }

  private ack(zxid: number, sid: number): void {
    if (zxid <= this.ctx.committedZxid) return; // late ack of a committed proposal
    const proposal = this.findOutstanding(zxid);
    if (proposal === undefined) return;
    proposal.acks.add(sid);
    this.tryCommit();
  }

  /** Commits proposals strictly in zxid order, each once a quorum of voters persisted it. */
  private tryCommit(): void {
    const { config } = this.ctx;
    for (let next = this.outstanding[0]; next !== undefined; next = this.outstanding[0]) {
      const unsafeAlone = config.unsafe?.commitWithoutQuorum === true && next.acks.has(config.myId);
      if (next.acks.size < config.quorumSize && !unsafeAlone) return;
      this.outstanding.shift();
      this.commit(next.zxid);
    }
  }

  private commit(zxid: number): void {
    this.ctx.commitUpTo(zxid);
    const entry = this.ctx.log.get(zxid);
    assert(entry !== undefined, `committed ${formatZxid(zxid)} is not in the log`);
    for (const handler of this.handlers.values()) {
      if (!handler.forwarding) continue;
      if (!handler.isVoter && zxid > handler.sentZxid) {
        this.send(handler, { type: 'INFORM', zxid, data: entry.data });
        handler.sentZxid = zxid;
      } else {
        this.send(handler, { type: 'COMMIT', zxid });
      }
    }
    while (this.pendingSyncs.length > 0 && (this.pendingSyncs[0] as PendingSync).zxid <= zxid) {
      this.completeSync(this.pendingSyncs.shift() as PendingSync);
    }
  }

  private onLearnerSync(handler: LearnerHandler, id: number): void {
    assert(handler.stage === 'UPTODATE', `SYNC from ${handler.sid} before UPTODATE`);
    if (handler.pendingSyncs >= this.ctx.config.pendingSyncsMax) return; // beyond its own bound: ignore
    if (this.outstanding.length === 0) {
      this.send(handler, { type: 'SYNCED', id });
      return;
    }
    handler.pendingSyncs++;
    this.pendingSyncs.push({ zxid: this.lastProposedZxid, learner: { handler, id } });
  }

  private completeSync(pending: PendingSync): void {
    if (pending.token !== undefined) {
      this.ownPendingSyncs--;
      this.ctx.syncDone(pending.token);
      return;
    }
    const learner = pending.learner;
    assert(learner !== undefined, 'a pending sync belongs to the leader or to a learner');
    if (this.handlers.get(learner.handler.sid) !== learner.handler) return; // that session is gone
    learner.handler.pendingSyncs--;
    this.send(learner.handler, { type: 'SYNCED', id: learner.id });
  }

  private findOutstanding(zxid: number): Proposal | undefined {
    let lo = 0;
    let hi = this.outstanding.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.outstanding[mid] as Proposal).zxid < zxid) lo = mid + 1;
      else hi = mid;
    }
    const found = this.outstanding[lo];
    return found?.zxid === zxid ? found : undefined;
  }

  private dropHandler(handler: LearnerHandler): void {
    this.handlers.delete(handler.sid);
  }

  private send(handler: LearnerHandler, body: WithoutSession<LeaderToLearnerMessage>): void {
    const msg = { ...body, conn: handler.conn, seq: handler.sendSeq++ } as LeaderToLearnerMessage;
    this.ctx.send(handler.sid, msg);
  }
}
