import { assert } from '../util/assert.js';

/** What the tracker knows of one live session. */
export interface TrackedSession {
  readonly sessionId: bigint;
  readonly timeoutMs: number;
  /** The bucket time at which the session expires unless touched. */
  expiresAtMs: number;
  /** Set once expiry or close has been submitted, so no new request is accepted. */
  closing: boolean;
}

/**
 * Session expiry by time buckets, as ZooKeeper's ExpiryQueue: expiry times are
 * rounded up to the next multiple of the tick, so one timer per tick expires a
 * whole bucket and a touch only moves a session between buckets.
 * Time comes in as arguments; the tracker owns no timer.
 */
export class SessionTracker {
  private readonly sessions = new Map<bigint, TrackedSession>();
  private readonly buckets = new Map<number, Set<bigint>>();

  constructor(private readonly tickTimeMs: number) {
    assert(tickTimeMs > 0, 'tickTimeMs must be positive');
  }

  /** Starts tracking a session (new, or restored from the database). */
  add(sessionId: bigint, timeoutMs: number, nowMs: number): TrackedSession {
    const existing = this.sessions.get(sessionId);
    if (existing !== undefined) {
      this.touch(sessionId, nowMs);
      return existing;
    }
    const session: TrackedSession = { sessionId, timeoutMs, expiresAtMs: 0, closing: false };
    this.sessions.set(sessionId, session);
    this.moveToBucket(session, this.roundToNextTick(nowMs + timeoutMs));
    return session;
  }

  /** Returns the tracked session, if it is live. */
  get(sessionId: bigint): TrackedSession | undefined {
    return this.sessions.get(sessionId);
  }

  /** Records activity; returns false when the session is unknown or closing. */
  touch(sessionId: bigint, nowMs: number): boolean {
    const session = this.sessions.get(sessionId);
    if (session === undefined || session.closing) return false;
    const expiresAtMs = this.roundToNextTick(nowMs + session.timeoutMs);
    if (expiresAtMs > session.expiresAtMs) this.moveToBucket(session, expiresAtMs);
    return true;
  }

  /** Marks a session as closing: it stays tracked until `remove`, but accepts nothing. */
  markClosing(sessionId: bigint): void {
    const session = this.sessions.get(sessionId);
    if (session !== undefined) session.closing = true;
  }

  /** Forgets a session, after its closeSession transaction has been applied. */
  remove(sessionId: bigint): void {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return;
    this.buckets.get(session.expiresAtMs)?.delete(sessionId);
    this.sessions.delete(sessionId);
  }

  /** Sessions whose bucket has passed and that are not closing yet; they become closing. */
  takeExpired(nowMs: number): TrackedSession[] {
    const expired: TrackedSession[] = [];
    for (const [bucketMs, ids] of this.buckets) {
      if (bucketMs > nowMs) continue;
      for (const id of ids) {
        const session = this.sessions.get(id);
        if (session !== undefined && !session.closing) {
          session.closing = true;
          expired.push(session);
        }
      }
      this.buckets.delete(bucketMs);
    }
    expired.sort((a, b) => (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0));
    return expired;
  }

  /** The earliest bucket time, for scheduling the next expiry check. */
  nextExpiryMs(): number | undefined {
    let earliest: number | undefined;
    for (const bucketMs of this.buckets.keys()) if (earliest === undefined || bucketMs < earliest) earliest = bucketMs;
    return earliest;
  }

  /** Live sessions with their timeouts, for `cons`/`mntr` and snapshots. */
  list(): TrackedSession[] {
    return [...this.sessions.values()];
  }

  get size(): number {
    return this.sessions.size;
  }

  private moveToBucket(session: TrackedSession, expiresAtMs: number): void {
    this.buckets.get(session.expiresAtMs)?.delete(session.sessionId);
    session.expiresAtMs = expiresAtMs;
    let bucket = this.buckets.get(expiresAtMs);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(expiresAtMs, bucket);
    }
    bucket.add(session.sessionId);
  }

  private roundToNextTick(timeMs: number): number {
    return (Math.floor(timeMs / this.tickTimeMs) + 1) * this.tickTimeMs;
  }
}
