import type { QuorumPeer } from '@zkts/consensus';
import { ErrorCode, OpCode } from '@zkts/protocol';
import type { Replicator, Txn, TxnRequest } from '../replication/replicator.js';
import { encodeTxn } from '../storage/txn-codec.js';

/** Writes waiting for the leader's core to accept them (it bounds proposals in flight). */
export const PENDING_PROPOSALS_MAX = 10_000;

/**
 * The replicator of an ensemble member. A leader stamps each write with the
 * time and hands it to ZAB; a follower forwards it to the leader. Either way
 * the write comes back as a commit, applied here in zxid order.
 */
export class EnsembleReplicator implements Replicator {
  private nextSyncToken = 1;
  private readonly pendingSyncs = new Map<number, () => void>();
  private readonly waitingProposals: Uint8Array[] = [];
  private closed = false;

  constructor(
    private readonly peer: QuorumPeer,
    private readonly myId: number,
    /** Runs the core's Ready loop after an input. */
    private readonly kick: () => void,
    /** The member that currently serves a session, as the leader last heard. */
    private readonly sessionOwner: (sessionId: bigint) => number | undefined = () => undefined,
    private readonly nowMs: () => number = Date.now,
  ) {}

  propose(request: TxnRequest): void {
    if (this.closed) return;
    const stamped = { ...request, originServerId: request.originServerId ?? this.myId };
    if (this.peer.state === 'LEADING') {
      this.proposeAsLeader(stamped);
    } else {
      // The core refuses when it has no leader; the server stops serving then and the client fails over.
      this.peer.forward(encodeTxn({ ...stamped, zxid: 0, timeMs: 0 }));
    }
    this.kick();
  }

  /** A write forwarded by a learner: the leader stamps and proposes it. */
  proposeForwarded(data: Uint8Array, from: number, decode: (bytes: Uint8Array) => Txn): void {
    this.proposeAsLeader(decode(data), from);
  }

  private proposeAsLeader(request: TxnRequest, from: number = this.myId): void {
    // A write sent through a server the session has left is refused, as ZooKeeper's leader
    // answers SESSION_MOVED: the client's session now belongs to another member.
    const owner = this.sessionOwner(request.sessionId);
    const moved = owner !== undefined && owner !== from && request.type !== OpCode.createSession && request.type !== OpCode.closeSession;
    const stamped: TxnRequest = moved
      ? { sessionId: request.sessionId, cxid: request.cxid, type: OpCode.error, body: { err: ErrorCode.SESSION_MOVED }, authIds: [], superUser: false }
      : request;
    const data = encodeTxn({ ...stamped, zxid: 0, timeMs: this.nowMs() });
    if (this.waitingProposals.length > 0 || this.peer.propose(data) === undefined) {
      if (this.waitingProposals.length >= PENDING_PROPOSALS_MAX) return;
      this.waitingProposals.push(data);
    }
  }

  /** Retries writes the core refused while its proposal window was full. */
  drainWaiting(): void {
    while (this.waitingProposals.length > 0) {
      if (this.peer.propose(this.waitingProposals[0]!) === undefined) return;
      this.waitingProposals.shift();
    }
  }

  /** Drops writes that were waiting: leadership was lost and their clients will see connection loss. */
  dropWaiting(): void {
    this.waitingProposals.length = 0;
  }

  sync(done: () => void): void {
    if (this.closed) return;
    const token = this.nextSyncToken++;
    if (!this.peer.sync(token)) return;
    this.pendingSyncs.set(token, done);
    this.kick();
  }

  /** The core finished these syncs. */
  syncsDone(tokens: readonly number[]): void {
    for (const token of tokens) {
      const done = this.pendingSyncs.get(token);
      this.pendingSyncs.delete(token);
      done?.();
    }
  }

  /** The core gave up on these syncs (leader lost); their connections are being closed. */
  syncsFailed(tokens: readonly number[]): void {
    for (const token of tokens) this.pendingSyncs.delete(token);
  }

  close(): Promise<void> {
    this.closed = true;
    this.pendingSyncs.clear();
    this.waitingProposals.length = 0;
    return Promise.resolve();
  }
}
