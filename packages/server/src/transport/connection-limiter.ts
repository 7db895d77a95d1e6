/** Counts connections per client IP, as zoo.cfg's `maxClientCnxns`. */
export class ConnectionLimiter {
  private readonly counts = new Map<string, number>();

  /** @param maxPerAddress 0 means unlimited. */
  constructor(private readonly maxPerAddress: number) {}

  /** Takes a slot for the address; false when the address is at its limit. */
  tryAcquire(address: string): boolean {
    const count = this.counts.get(address) ?? 0;
    if (this.maxPerAddress > 0 && count >= this.maxPerAddress) return false;
    this.counts.set(address, count + 1);
    return true;
  }

  /** Returns the slot of a closed connection. */
  release(address: string): void {
    const count = this.counts.get(address) ?? 0;
    if (count <= 1) this.counts.delete(address);
    else this.counts.set(address, count - 1);
  }
}
