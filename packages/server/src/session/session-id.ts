/**
 * Generates session ids the way ZooKeeper's SessionTrackerImpl does: the top
 * byte is the server id, the middle bits come from the start time, and the
 * rest counts up, so ids stay unique across servers and restarts.
 */
export class SessionIdGenerator {
  private next: bigint;

  constructor(serverId: number, startTimeMs: number) {
    const timeBits = BigInt.asUintN(64, BigInt(startTimeMs) << 24n) >> 8n;
    this.next = BigInt.asUintN(64, timeBits | (BigInt(serverId) << 56n));
  }

  /** Returns a fresh session id (a signed 64-bit value, as on the wire). */
  nextId(): bigint {
    const id = BigInt.asIntN(64, this.next);
    this.next = BigInt.asUintN(64, this.next + 1n);
    return id;
  }
}
