/**
 * Safety properties checked continuously while a cluster runs. Any violation throws at once
 * (an InvariantViolation), so the failing step is the last one in the trace.
 */
import { counterOf, epochOf, formatZxid, makeZxid, type LogEntry, type PeerMessage, type Ready } from '../../src/index.js';
import type { DurableState, SimNode } from './sim-node.js';

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

function same(a: LogEntry, b: LogEntry): boolean {
  if (a.zxid !== b.zxid || a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) return false;
  return true;
}

/** Whether a disk holds `zxid`: in its snapshot, as a log entry (returned), or not at all. */
function diskHas(d: DurableState, zxid: number): LogEntry | 'snapshot' | undefined {
  if (d.snapshot !== undefined && zxid <= d.snapshot.zxid) return 'snapshot';
  for (let i = d.log.length - 1; i >= 0; i--) {
    const e = d.log[i] as LogEntry;
    if (e.zxid === zxid) return e;
    if (e.zxid < zxid) return undefined;
  }
  return undefined;
}

function describe(e: LogEntry): string {
  return `${formatZxid(e.zxid)}=${new TextDecoder().decode(e.data)}`;
}

export interface InvariantOptions {
  /**
   * Also check, whenever an entry is applied for the first time anywhere, that a quorum of
   * voters holds it on disk. It is the commit rule itself; the fault test turns it off when it
   * shows that the end-to-end properties alone catch a broken commit rule.
   */
  checkQuorumPersisted: boolean;
}

export class Invariants {
  /** The committed sequence as first applied anywhere; every server must apply a prefix of it. */
  readonly canonical: LogEntry[] = [];
  /** Epoch → the server that established it (reached SYNCHRONIZATION as leader). */
  readonly leaderOfEpoch = new Map<number, number>();
  /** Writes reported to clients: committed and applied at the leader that proposed them. */
  readonly acked = new Map<number, string>();
  private readonly counts = { applied: 0, snapshots: 0, established: 0 };

  constructor(
    private readonly voters: readonly number[],
    private readonly durableOf: (id: number) => DurableState | undefined,
    private readonly options: InvariantOptions,
  ) {}

  get stats(): { applied: number; snapshots: number; established: number; committed: number; acked: number } {
    return { ...this.counts, committed: this.canonical.length, acked: this.acked.size };
  }

  /**
   * Nothing leaves a server before the disk backs it: an ACK only for an entry on disk, a
   * NEWLEADER ack only with the new current epoch on disk, an ACKEPOCH only with the accepted
   * epoch on disk. (Called as the message leaves, i.e. after the Ready's persist.)
   */
  sent(node: SimNode, msg: PeerMessage): void {
    const d = this.durableOf(node.id);
    if (d === undefined) return;
    if (msg.type === 'ACK') {
      if (counterOf(msg.zxid) === 0) {
        if (d.currentEpoch !== epochOf(msg.zxid)) {
          throw new InvariantViolation(`node ${node.id} acked NEWLEADER ${formatZxid(msg.zxid)} with current epoch ${d.currentEpoch} on disk`);
        }
      } else if (diskHas(d, msg.zxid) === undefined) {
        throw new InvariantViolation(`node ${node.id} acked ${formatZxid(msg.zxid)} before it was on disk`);
      }
    } else if (msg.type === 'ACKEPOCH' && d.acceptedEpoch !== node.peer.acceptedEpoch) {
      throw new InvariantViolation(`node ${node.id} sent ACKEPOCH with accepted epoch ${node.peer.acceptedEpoch} not on disk`);
    }
  }

  /** Committed prefixes agree: the `index`-th entry applied anywhere is the same entry. */
  applied(node: SimNode, entry: LogEntry, index: number): void {
    this.counts.applied++;
    const expected = this.canonical[index];
    if (expected === undefined) {
      if (index !== this.canonical.length) throw new InvariantViolation(`node ${node.id} applied index ${index} past the canonical end`);
      if (this.options.checkQuorumPersisted) this.checkQuorumHolds(entry);
      this.canonical.push(entry);
    } else if (!same(expected, entry)) {
      throw new InvariantViolation(
        `node ${node.id} applied ${describe(entry)} at index ${index}, but ${describe(expected)} was committed there`,
      );
    }
    const proposed = node.proposedHere.get(entry.zxid);
    if (node.peer.state === 'LEADING' && proposed !== undefined) this.acked.set(entry.zxid, proposed);
  }

  /** A snapshot from the leader must be a committed prefix. */
  installedSnapshot(node: SimNode, entries: readonly LogEntry[]): void {
    this.counts.snapshots++;
    if (entries.length > this.canonical.length) {
      throw new InvariantViolation(`node ${node.id} installed a snapshot longer than anything committed`);
    }
    for (let i = 0; i < entries.length; i++) {
      if (!same(entries[i] as LogEntry, this.canonical[i] as LogEntry)) {
        throw new InvariantViolation(`node ${node.id} installed a snapshot that diverges at index ${i}`);
      }
    }
  }

  /** At most one leader per epoch; followers in broadcast follow that leader. */
  readyDone(node: SimNode, rd: Ready): void {
    if (rd.state === 'LEADING' && (rd.phase === 'SYNCHRONIZATION' || rd.phase === 'BROADCAST')) {
      const known = this.leaderOfEpoch.get(rd.epoch);
      if (known === undefined) {
        this.counts.established++;
        this.leaderOfEpoch.set(rd.epoch, node.id);
        this.checkLeaderCompleteness(node, rd.epoch);
      } else if (known !== node.id) {
        throw new InvariantViolation(`epoch ${rd.epoch} has two leaders: ${known} and ${node.id}`);
      }
    }
    if (rd.state !== 'LEADING' && rd.phase === 'BROADCAST' && rd.leaderId !== undefined) {
      const known = this.leaderOfEpoch.get(rd.epoch);
      if (known !== undefined && known !== rd.leaderId) {
        throw new InvariantViolation(`node ${node.id} follows ${rd.leaderId} in epoch ${rd.epoch}, led by ${known}`);
      }
    }
  }

  /** No acknowledged write is lost: every node applied all of them (checked once converged). */
  checkNoAckedWriteLost(nodes: readonly SimNode[]): void {
    for (const node of nodes) {
      const have = new Map(node.applied.map((e) => [e.zxid, new TextDecoder().decode(e.data)]));
      for (const [zxid, data] of this.acked) {
        if (have.get(zxid) !== data) {
          throw new InvariantViolation(`acknowledged write ${formatZxid(zxid)}=${data} is missing on node ${node.id}`);
        }
      }
    }
  }

  /** A leader that established an epoch holds every acknowledged write of earlier epochs. */
  private checkLeaderCompleteness(node: SimNode, epoch: number): void {
    const limit = makeZxid(epoch, 0);
    const d = this.durableOf(node.id);
    const history = new Map<number, LogEntry>();
    for (const e of node.applied) history.set(e.zxid, e);
    for (const e of d?.log ?? []) history.set(e.zxid, e);
    for (const [zxid, data] of this.acked) {
      if (zxid >= limit) continue;
      const held = history.get(zxid);
      if (held === undefined || new TextDecoder().decode(held.data) !== data) {
        throw new InvariantViolation(`leader ${node.id} of epoch ${epoch} lacks acknowledged write ${formatZxid(zxid)}=${data}`);
      }
    }
  }

  private checkQuorumHolds(entry: LogEntry): void {
    let holders = 0;
    for (const id of this.voters) {
      const d = this.durableOf(id);
      if (d === undefined) continue;
      const held = diskHas(d, entry.zxid);
      if (held === 'snapshot' || (held !== undefined && same(held, entry))) holders++;
    }
    if (holders < Math.floor(this.voters.length / 2) + 1) {
      throw new InvariantViolation(`${describe(entry)} was applied while only ${holders} voters had it on disk`);
    }
  }
}
