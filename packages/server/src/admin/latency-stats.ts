/**
 * Request latencies as ZooKeeper's ServerStats and ServerCnxn keep them, for
 * `srvr`, `stat`, `cons` and `mntr`: min, max and the running average in ms.
 */
export class LatencyStats {
  private count = 0;
  private totalMs = 0;
  private minMs = Number.MAX_SAFE_INTEGER;
  private maxMs = 0;

  /** Records one request's latency. */
  record(latencyMs: number): void {
    const ms = Math.max(0, Math.round(latencyMs));
    this.count++;
    this.totalMs += ms;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** Forgets everything (`srst`, `crst`). */
  reset(): void {
    this.count = 0;
    this.totalMs = 0;
    this.minMs = Number.MAX_SAFE_INTEGER;
    this.maxMs = 0;
  }

  /** Smallest latency, 0 before the first request (as ZooKeeper reports it). */
  get min(): number {
    return this.count === 0 ? 0 : this.minMs;
  }

  get max(): number {
    return this.maxMs;
  }

  /** The average, 0 before the first request. */
  get avg(): number {
    return this.count === 0 ? 0 : this.totalMs / this.count;
  }
}
