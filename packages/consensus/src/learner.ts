/**
 * The learner's side of ZAB (ZooKeeper's `Learner`, `Follower` and `Observer`): register with
 * the elected leader, accept its epoch, sync, then persist and acknowledge its proposals.
 * @module
 */
import { assert } from './assert.js';
import type { LearnerToLeaderMessage, LeaderToLearnerMessage, WithoutSession } from './messages.js';
import type { PeerContext } from './peer-context.js';
import type { SyncToken } from './ready.js';
import { SessionReceiver } from './session-receiver.js';
import { counterOf, epochOf, formatZxid } from './zxid.js';

/**
 * Where the learner stands, in order: FOLLOWERINFO sent; ACKEPOCH sent; sync stream
 * (DIFF/TRUNC/SNAP) started; NEWLEADER acknowledged; UPTODATE received (serving).
 */
export type LearnerStage = 'CONNECTING' | 'EPOCH_ACKED' | 'SYNCING' | 'NEWLEADER_ACKED' | 'BROADCAST';

/** One session with one leader; discarded when the peer goes back to LOOKING. */
export class Learner {
  stage: LearnerStage = 'CONNECTING';
  /** The leader's new epoch, from its LEADERINFO. */
  leaderEpoch: number | undefined;
  /** Id of our FOLLOWERINFO, which the leader's LEADERINFO names. */
  private readonly infoConn: number;
  /** The session id the leader chose, once its LEADERINFO arrived. */
  private conn: number | undefined;
  private sendSeq = 0;
  private receiver: SessionReceiver<LeaderToLearnerMessage> | undefined;
  private lastHeardTick: number;
  private nextInfoResendTick: number;
  private readonly pendingSyncs = new Map<number, SyncToken>();
  private nextSyncId = 0;
  private closed = false;
  private readonly isObserver: boolean;

  constructor(
    private readonly ctx: PeerContext,
    /** The server this learner follows. */
    readonly leaderId: number,
  ) {
    this.infoConn = ctx.nextConn();
    this.isObserver = !ctx.config.isVoter;
    this.lastHeardTick = ctx.nowTick;
    this.nextInfoResendTick = ctx.nowTick;
  }

  /** Opens the session with FOLLOWERINFO (OBSERVERINFO for an observer). */
  start(): void {
    this.sendInfo();
  }

  /** Handles a packet from the leader. */
  onMessage(msg: LeaderToLearnerMessage): void {
    if (this.receiver === undefined) {
      // Bind to the first LEADERINFO that answers our FOLLOWERINFO; ignore everything else.
      if (msg.type !== 'LEADERINFO' || msg.learnerConn !== this.infoConn || msg.seq !== 0) return;
      this.conn = msg.conn;
      this.receiver = new SessionReceiver(0);
    }
    if (msg.conn !== this.conn) return; // another session's packet
    const received = this.receiver.receive(msg, this.ctx.nowTick);
    if (received === 'broken') {
      this.ctx.lose('session with the leader broke (lost packet)');
      return;
    }
    for (const m of received.deliver) {
      if (this.closed) return;
      this.lastHeardTick = this.ctx.nowTick;
      this.onSessionMessage(m);
    }
  }

  /** Detects a silent leader, and re-sends FOLLOWERINFO until the leader answers. */
  tick(): void {
    const { config, nowTick } = this.ctx;
    const limit = this.stage === 'BROADCAST' ? config.syncLimit : config.initLimit;
    if (nowTick - this.lastHeardTick > limit) {
      this.ctx.lose(`leader ${this.leaderId} silent for ${nowTick - this.lastHeardTick} ticks`);
      return;
    }
    if (this.receiver?.gapExpired(nowTick) === true) {
      this.ctx.lose('session with the leader broke (lost packet)');
      return;
    }
    if (this.stage === 'CONNECTING' && nowTick >= this.nextInfoResendTick) this.sendInfo();
  }

  /** Asks the leader for a sync; false when not serving or too many are pending. */
  sync(token: SyncToken): boolean {
    if (this.stage !== 'BROADCAST' || this.pendingSyncs.size >= this.ctx.config.pendingSyncsMax) return false;
    const id = this.nextSyncId++;
    this.pendingSyncs.set(id, token);
    this.send({ type: 'SYNC', id });
    return true;
  }

  /** Forwards a write to the leader; false when not serving. */
  forward(data: Uint8Array): boolean {
    if (this.stage !== 'BROADCAST') return false;
    this.send({ type: 'REQUEST', data });
    return true;
  }

  /** Ends the session: pending syncs fail. */
  close(): void {
    this.closed = true;
    for (const token of this.pendingSyncs.values()) this.ctx.syncFailed(token);
    this.pendingSyncs.clear();
  }

  private sendInfo(): void {
    // Every re-send is the same packet, so the leader answers it with one session.
    const type = this.isObserver ? 'OBSERVERINFO' : 'FOLLOWERINFO';
    this.ctx.send(this.leaderId, { type, conn: this.infoConn, seq: 0, acceptedEpoch: this.ctx.acceptedEpoch });
    this.nextInfoResendTick = this.ctx.nowTick + this.ctx.config.electionResendTicks;
  }

  private onSessionMessage(msg: LeaderToLearnerMessage): void {
    switch (msg.type) {
      case 'LEADERINFO':
        return this.onLeaderInfo(msg.epoch);
      case 'DIFF':
        return this.beginSync();
      case 'TRUNC':
        assert(msg.zxid >= this.ctx.committedZxid, `TRUNC to ${formatZxid(msg.zxid)} would drop committed entries`);
        this.beginSync();
        this.ctx.log.truncateAfter(msg.zxid);
        return;
      case 'SNAP':
        this.beginSync();
        this.ctx.installSnapshot({ zxid: msg.zxid, data: msg.data });
        return;
      case 'PROPOSAL':
        return this.onProposal(msg.zxid, msg.data);
      case 'COMMIT':
        this.expectSynced('COMMIT');
        this.ctx.commitUpTo(msg.zxid);
        return;
      case 'NEWLEADER':
        return this.onNewLeader(msg.zxid);
      case 'UPTODATE':
        assert(this.stage === 'NEWLEADER_ACKED', `UPTODATE in stage ${this.stage}`);
        this.ctx.commitUpTo(msg.zxid);
        this.stage = 'BROADCAST';
        this.ctx.updateElectionVote(this.leaderEpoch as number);
        return;
      case 'INFORM':
        assert(this.isObserver, 'INFORM sent to a follower');
        this.expectSynced('INFORM');
        if (msg.zxid > this.ctx.log.lastZxid) this.ctx.log.append({ zxid: msg.zxid, data: msg.data });
        this.ctx.commitUpTo(msg.zxid);
        return;
      case 'PING':
        this.send({ type: 'PING' });
        return;
      case 'SYNCED': {
        const token = this.pendingSyncs.get(msg.id);
        assert(token !== undefined, `SYNCED for unknown sync ${msg.id}`);
        this.pendingSyncs.delete(msg.id);
        this.ctx.syncDone(token);
        return;
      }
    }
  }

  /** Learner.registerWithLeader: accept the epoch at most once, never go back. */
  private onLeaderInfo(epoch: number): void {
    assert(this.stage === 'CONNECTING', `LEADERINFO in stage ${this.stage}`);
    const { ctx } = this;
    let ackedEpoch: number;
    if (epoch > ctx.acceptedEpoch) {
      ackedEpoch = ctx.currentEpoch;
      ctx.setAcceptedEpoch(epoch);
    } else if (epoch === ctx.acceptedEpoch) {
      // Already accepted (e.g. a new session with the same leader): must not count twice.
      ackedEpoch = -1;
    } else {
      ctx.lose(`leader epoch ${epoch} is below our accepted epoch ${ctx.acceptedEpoch}`);
      return;
    }
    this.leaderEpoch = epoch;
    this.stage = 'EPOCH_ACKED';
    this.send({ type: 'ACKEPOCH', currentEpoch: ackedEpoch, lastZxid: ctx.log.lastZxid });
  }

  private beginSync(): void {
    assert(this.stage === 'EPOCH_ACKED', `sync packet in stage ${this.stage}`);
    this.stage = 'SYNCING';
  }

  private onProposal(zxid: number, data: Uint8Array): void {
    this.expectSynced('PROPOSAL');
    assert(zxid > this.ctx.log.lastZxid, `PROPOSAL ${formatZxid(zxid)} not after ${formatZxid(this.ctx.log.lastZxid)}`);
    const epoch = epochOf(zxid);
    if (this.stage !== 'SYNCING') assert(epoch === this.leaderEpoch, `PROPOSAL of epoch ${epoch} in broadcast`);
    this.ctx.log.append({ zxid, data });
    if (this.isObserver || epoch !== this.leaderEpoch) return;
    // The ACK leaves with the Ready that persists this entry, never before; during the sync
    // it waits for NEWLEADER, which acknowledges the whole log at once.
    if (this.stage !== 'SYNCING') this.send({ type: 'ACK', zxid });
  }

  private onNewLeader(zxid: number): void {
    assert(this.stage === 'SYNCING', `NEWLEADER in stage ${this.stage}`);
    assert(counterOf(zxid) === 0 && epochOf(zxid) === this.leaderEpoch, `NEWLEADER ${formatZxid(zxid)}`);
    // Persisted with (after) the synced entries; the ACK leaves only once both are on disk.
    const epoch = this.leaderEpoch as number;
    this.ctx.setCurrentEpoch(epoch);
    this.stage = 'NEWLEADER_ACKED';
    this.send({ type: 'ACK', zxid });
    if (this.isObserver) return;
    // Acknowledge every uncommitted entry of this epoch in our log: the ones that came with
    // the sync, and the ones we logged in an earlier session with this leader, whose ACKs
    // died with that session. Otherwise such a proposal could miss its quorum for good and,
    // since commits go in zxid order, block every later one.
    const { log, committedZxid } = this.ctx;
    for (const entry of log.slice(Math.max(committedZxid, log.baseZxid, zxid))) {
      this.send({ type: 'ACK', zxid: entry.zxid });
    }
  }

  private expectSynced(what: string): void {
    assert(
      this.stage === 'SYNCING' || this.stage === 'NEWLEADER_ACKED' || this.stage === 'BROADCAST',
      `${what} in stage ${this.stage}`,
    );
  }

  private send(body: WithoutSession<LearnerToLeaderMessage>): void {
    assert(this.conn !== undefined, 'sending on a session the leader has not opened');
    const msg = { ...body, conn: this.conn, seq: this.sendSeq++ } as LearnerToLeaderMessage;
    this.ctx.send(this.leaderId, msg);
  }
}
