/**
 * Receiving side of one direction of a learner session: gives the core TCP's in-order,
 * exactly-once delivery over a transport that may drop, duplicate or reorder messages.
 * A message that is lost leaves a gap that never fills; the session is then broken, just as
 * a TCP connection would be reset, and ZAB's own recovery (re-election, re-sync) takes over.
 * @module
 */
import type { SessionFields } from './messages.js';

/** Messages further ahead than this many seqs, or more than this many held, break the session. */
export const REORDER_WINDOW_MAX = 64;

/** A gap not filled within this many ticks is taken as a lost message: the session breaks. */
export const GAP_TIMEOUT_TICKS = 2;

/** Outcome of {@link SessionReceiver.receive}. */
export type ReceiveResult<M> = { readonly deliver: readonly M[] } | 'broken';

/** Reorders and de-duplicates the packets of one session direction by `seq`. */
export class SessionReceiver<M extends SessionFields> {
  private expected: number;
  private readonly held = new Map<number, M>();
  private gapSinceTick: number | undefined;

  /** @param firstSeq the seq of the first packet still to come. */
  constructor(firstSeq: number) {
    this.expected = firstSeq;
  }

  /** Accepts one packet; returns the packets now deliverable in order, or `'broken'`. */
  receive(msg: M, nowTick: number): ReceiveResult<M> {
    if (msg.seq < this.expected) return { deliver: [] }; // a duplicate
    if (msg.seq > this.expected) {
      if (msg.seq - this.expected > REORDER_WINDOW_MAX || this.held.size >= REORDER_WINDOW_MAX) return 'broken';
      this.held.set(msg.seq, msg);
      this.gapSinceTick ??= nowTick;
      return { deliver: [] };
    }
    const deliver = [msg];
    this.expected++;
    for (let next = this.held.get(this.expected); next !== undefined; next = this.held.get(this.expected)) {
      this.held.delete(this.expected);
      deliver.push(next);
      this.expected++;
    }
    this.gapSinceTick = this.held.size > 0 ? nowTick : undefined;
    return { deliver };
  }

  /** True when a gap has stayed open longer than {@link GAP_TIMEOUT_TICKS}. */
  gapExpired(nowTick: number): boolean {
    return this.gapSinceTick !== undefined && nowTick - this.gapSinceTick > GAP_TIMEOUT_TICKS;
  }
}
