/**
 * The core's in-memory view of its log: the retained entries (every entry not yet committed
 * and applied, plus a window of recent committed ones for DIFF syncs) and the changes not yet
 * handed to the driver for persistence.
 * @module
 */
import { assert } from './assert.js';
import type { LogEntry } from './messages.js';
import type { PersistBatch, Snapshot } from './ready.js';
import { formatZxid } from './zxid.js';

/** Below this many trimmed slots the array is not compacted (a shift is O(n)). */
const COMPACT_MIN_SLOTS = 1024;

/** In-memory log with persistence bookkeeping; zxids strictly increase. */
export class ReplicatedLog {
  /** Retained entries live in `slots[head..]`. */
  private slots: LogEntry[];
  private head = 0;
  /** Zxid just before the first retained entry: the snapshot's, or the last one trimmed. */
  private base: number;
  /** Index into `slots` of the first entry not yet handed out for persistence. */
  private unstableFrom: number;
  private pendingSnapshot: Snapshot | undefined;
  private pendingTruncateAfter: number | undefined;

  /** Starts from what the driver recovered: everything given here is already durable. */
  constructor(snapshotZxid: number, durableEntries: readonly LogEntry[]) {
    this.base = snapshotZxid;
    this.slots = [...durableEntries];
    this.unstableFrom = this.slots.length;
  }

  /** Zxid just before the first retained entry; a learner at or after it can be sent a DIFF. */
  get baseZxid(): number {
    return this.base;
  }

  /** The last zxid in the log (the base when no entry is retained). */
  get lastZxid(): number {
    return this.slots.length > this.head ? (this.slots[this.slots.length - 1] as LogEntry).zxid : this.base;
  }

  /** Number of retained entries. */
  get size(): number {
    return this.slots.length - this.head;
  }

  /** The retained entry with this zxid, if any. */
  get(zxid: number): LogEntry | undefined {
    const i = this.search(zxid);
    return i < this.slots.length && this.slots[i]?.zxid === zxid ? this.slots[i] : undefined;
  }

  /** True when `zxid` is the base or a retained entry: the log's history passes through it. */
  passesThrough(zxid: number): boolean {
    return zxid === this.base || this.get(zxid) !== undefined;
  }

  /** Retained entries with `after < zxid <= upTo`, in order. `after` must not precede the base. */
  slice(after: number, upTo = Number.MAX_SAFE_INTEGER): LogEntry[] {
    assert(after >= this.base, `slice after ${formatZxid(after)} reaches below the base ${formatZxid(this.base)}`);
    const out: LogEntry[] = [];
    for (let i = this.search(after + 1); i < this.slots.length; i++) {
      const entry = this.slots[i] as LogEntry;
      if (entry.zxid > upTo) break;
      out.push(entry);
    }
    return out;
  }

  /** The largest retained zxid (or the base) below `zxid`; undefined when `zxid <= base`. */
  largestBelow(zxid: number): number | undefined {
    if (zxid <= this.base) return undefined;
    const i = this.search(zxid);
    return i > this.head ? (this.slots[i - 1] as LogEntry).zxid : this.base;
  }

  /** Appends an entry; it goes out in the next persist batch. */
  append(entry: LogEntry): void {
    assert(entry.zxid > this.lastZxid, `append ${formatZxid(entry.zxid)} after ${formatZxid(this.lastZxid)}`);
    this.slots.push(entry);
  }

  /** Drops every entry after `zxid` (which must not be below the base). */
  truncateAfter(zxid: number): void {
    assert(zxid >= this.base, `truncate to ${formatZxid(zxid)} below the base ${formatZxid(this.base)}`);
    const keep = this.search(zxid + 1);
    if (keep >= this.slots.length) return;
    if (keep < this.unstableFrom) {
      // Entries already handed out for persistence must be removed on disk too.
      this.pendingTruncateAfter = Math.min(this.pendingTruncateAfter ?? Number.MAX_SAFE_INTEGER, zxid);
      this.unstableFrom = keep;
    }
    this.slots.length = keep;
  }

  /** Replaces the whole log with a snapshot; the driver installs it with the next persist. */
  installSnapshot(snapshot: Snapshot): void {
    this.slots = [];
    this.head = 0;
    this.unstableFrom = 0;
    this.base = snapshot.zxid;
    this.pendingSnapshot = snapshot;
    // The snapshot discards the whole log on disk, which subsumes any pending truncation.
    this.pendingTruncateAfter = undefined;
  }

  /** True when changes are waiting for {@link takePersist}. */
  get hasUnpersisted(): boolean {
    return (
      this.pendingSnapshot !== undefined || this.pendingTruncateAfter !== undefined || this.unstableFrom < this.slots.length
    );
  }

  /** Hands out everything not yet persisted, in the order the driver must apply it. */
  takePersist(): Pick<PersistBatch, 'snapshot' | 'truncateAfterZxid' | 'entries'> {
    const batch: { snapshot?: Snapshot; truncateAfterZxid?: number; entries: LogEntry[] } = {
      entries: this.slots.slice(Math.max(this.unstableFrom, this.head)),
    };
    if (this.pendingSnapshot !== undefined) batch.snapshot = this.pendingSnapshot;
    if (this.pendingTruncateAfter !== undefined) batch.truncateAfterZxid = this.pendingTruncateAfter;
    this.pendingSnapshot = undefined;
    this.pendingTruncateAfter = undefined;
    this.unstableFrom = this.slots.length;
    return batch;
  }

  /**
   * Forgets committed entries from the front while more than `keep` are retained. Only
   * entries at or below `appliedZxid` (already persisted and applied) may go.
   */
  trim(appliedZxid: number, keep: number): void {
    while (this.size > keep) {
      const first = this.slots[this.head] as LogEntry;
      if (first.zxid > appliedZxid || this.head >= this.unstableFrom) break;
      this.base = first.zxid;
      this.head++;
    }
    if (this.head >= COMPACT_MIN_SLOTS && this.head * 2 >= this.slots.length) {
      this.slots = this.slots.slice(this.head);
      this.unstableFrom -= this.head;
      this.head = 0;
    }
  }

  /** Index of the first retained entry with zxid >= `zxid`. */
  private search(zxid: number): number {
    let lo = this.head;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.slots[mid] as LogEntry).zxid < zxid) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
