/**
 * A simulated server around one QuorumPeer: an in-memory "disk" that survives crashes, a
 * state machine (the list of applied entries), and the Ready loop in the documented order.
 */
import {
  QuorumPeer,
  createRng,
  type LogEntry,
  type PeerMessage,
  type QuorumPeerConfig,
  type Ready,
  type UnsafeOptions,
} from '../../src/index.js';

/** What survives a crash: exactly what the driver persisted. */
export interface DurableState {
  acceptedEpoch: number;
  currentEpoch: number;
  snapshot: { zxid: number; data: Uint8Array } | undefined;
  log: LogEntry[];
}

/** Ensemble-wide settings shared by every node. */
export interface EnsembleSettings {
  voters: number[];
  observers: number[];
  initLimit: number;
  syncLimit: number;
  finalizeWaitTicks: number;
  electionResendTicks: number;
  maxLogEntriesForDiff: number;
  outstandingProposalsMax?: number;
  unsafe?: UnsafeOptions;
}

/** Hooks the cluster uses to route messages and check invariants. */
export interface NodeHooks {
  send(from: number, to: number, msg: PeerMessage): void;
  /** Called for each committed entry as the driver applies it (`index` is its position). */
  applied(node: SimNode, entry: LogEntry, index: number): void;
  /** Called after a snapshot from the leader was installed. */
  installedSnapshot(node: SimNode, entries: readonly LogEntry[]): void;
  /** Called after each Ready was persisted (before its messages leave). */
  persisted(node: SimNode, rd: Ready): void;
  /** Called after each Ready was fully handled. */
  readyDone(node: SimNode, rd: Ready): void;
  syncDone?(node: SimNode, token: number): void;
  syncFailed?(node: SimNode, token: number): void;
  /** Return true to crash the node before this Ready's persist: all of it is lost. */
  crashBeforePersist?(node: SimNode, rd: Ready): boolean;
  /** Return true to crash the node right after this Ready's persist, before it sends. */
  crashAfterPersist?(node: SimNode, rd: Ready): boolean;
}

export function emptyDurable(): DurableState {
  return { acceptedEpoch: 0, currentEpoch: 0, snapshot: undefined, log: [] };
}

/** Snapshot data: the applied entries, each as zxid (float64), length (uint32) and bytes. */
export function encodeSnapshot(entries: readonly LogEntry[]): Uint8Array {
  let size = 0;
  for (const e of entries) size += 12 + e.data.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let pos = 0;
  for (const e of entries) {
    view.setFloat64(pos, e.zxid);
    view.setUint32(pos + 8, e.data.length);
    out.set(e.data, pos + 12);
    pos += 12 + e.data.length;
  }
  return out;
}

export function decodeSnapshot(data: Uint8Array): LogEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out: LogEntry[] = [];
  let pos = 0;
  while (pos < data.length) {
    const zxid = view.getFloat64(pos);
    const length = view.getUint32(pos + 8);
    out.push({ zxid, data: data.slice(pos + 12, pos + 12 + length) });
    pos += 12 + length;
  }
  return out;
}

/** One running incarnation of a server. */
export class SimNode {
  readonly peer: QuorumPeer;
  /** The state machine: every entry applied, in order (snapshot contents first). */
  applied: LogEntry[];
  crashed = false;
  /** Data of writes this node proposed as leader, by zxid (to report acks). */
  readonly proposedHere = new Map<number, string>();

  constructor(
    readonly id: number,
    settings: EnsembleSettings,
    readonly durable: DurableState,
    rngSeed: number,
    private readonly hooks: NodeHooks,
  ) {
    this.applied = durable.snapshot ? decodeSnapshot(durable.snapshot.data) : [];
    const config: QuorumPeerConfig = {
      myId: id,
      voters: settings.voters,
      observers: settings.observers,
      initLimit: settings.initLimit,
      syncLimit: settings.syncLimit,
      finalizeWaitTicks: settings.finalizeWaitTicks,
      electionResendTicks: settings.electionResendTicks,
      maxLogEntriesForDiff: settings.maxLogEntriesForDiff,
      ...(settings.outstandingProposalsMax !== undefined ? { outstandingProposalsMax: settings.outstandingProposalsMax } : {}),
      ...(settings.unsafe !== undefined ? { unsafe: settings.unsafe } : {}),
      persisted: {
        acceptedEpoch: durable.acceptedEpoch,
        currentEpoch: durable.currentEpoch,
        log: durable.log.slice(),
        snapshotZxid: durable.snapshot?.zxid ?? 0,
      },
      rng: createRng(rngSeed),
    };
    this.peer = new QuorumPeer(config);
  }

  get lastAppliedZxid(): number {
    return this.applied.length > 0 ? (this.applied[this.applied.length - 1] as LogEntry).zxid : 0;
  }

  /** Feeds a message and handles the resulting Readies. */
  deliver(from: number, msg: PeerMessage): void {
    if (this.crashed) return;
    this.peer.step(from, msg);
    this.drain();
  }

  tick(): void {
    if (this.crashed) return;
    this.peer.tick();
    this.drain();
  }

  /** Runs the Ready loop until the core has nothing more to say. */
  drain(): void {
    for (let guard = 0; !this.crashed && this.peer.hasReady(); guard++) {
      if (guard > 10_000) throw new Error(`node ${this.id}: Ready loop does not settle`);
      const rd = this.peer.ready();
      if (this.hooks.crashBeforePersist?.(this, rd)) {
        this.crashed = true;
        return;
      }
      this.persist(rd);
      this.hooks.persisted(this, rd);
      if (this.hooks.crashAfterPersist?.(this, rd)) {
        this.crashed = true;
        return;
      }
      for (const { to, msg } of rd.messages) this.hooks.send(this.id, to, msg);
      for (const entry of rd.commits) {
        if (entry.zxid <= this.lastAppliedZxid) throw new Error(`node ${this.id}: commit out of order`);
        this.applied.push(entry);
        this.hooks.applied(this, entry, this.applied.length - 1);
      }
      for (const token of rd.syncsDone) this.hooks.syncDone?.(this, token);
      for (const token of rd.syncsFailed) this.hooks.syncFailed?.(this, token);
      this.peer.advance(rd);
      for (const { to } of rd.snapshotRequests) {
        this.peer.provideSnapshot(to, { zxid: this.lastAppliedZxid, data: encodeSnapshot(this.applied) });
      }
      for (const { data } of rd.requests) this.propose(data);
      this.hooks.readyDone(this, rd);
    }
  }

  /** Proposes a client write here (leader) and remembers it to report the ack. */
  propose(data: Uint8Array): number | undefined {
    const zxid = this.peer.propose(data);
    if (zxid !== undefined) this.proposedHere.set(zxid, new TextDecoder().decode(data));
    return zxid;
  }

  private persist(rd: Ready): void {
    const { persist } = rd;
    const d = this.durable;
    if (persist.snapshot !== undefined) {
      d.snapshot = { zxid: persist.snapshot.zxid, data: persist.snapshot.data };
      d.log = [];
      this.applied = decodeSnapshot(persist.snapshot.data);
      this.hooks.installedSnapshot(this, this.applied);
    }
    if (persist.truncateAfterZxid !== undefined) {
      const after = persist.truncateAfterZxid;
      d.log = d.log.filter((e) => e.zxid <= after);
    }
    for (const entry of persist.entries) {
      const last = d.log.length > 0 ? (d.log[d.log.length - 1] as LogEntry).zxid : (d.snapshot?.zxid ?? 0);
      if (entry.zxid <= last) throw new Error(`node ${this.id}: persisted entry out of order`);
      d.log.push(entry);
    }
    if (persist.acceptedEpoch !== undefined) d.acceptedEpoch = persist.acceptedEpoch;
    if (persist.currentEpoch !== undefined) d.currentEpoch = persist.currentEpoch;
  }
}
