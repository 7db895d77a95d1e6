const EMPTY = new Uint8Array(0);

/**
 * Hands a connection's incoming frames to its handler one at a time and
 * holds them back while the handler has asked for a pause. Pausing the socket
 * alone is not enough: one chunk already read can carry thousands of small
 * frames, and the outstanding-request bound must hold within it, as
 * ZooKeeper's server reads one request at a time and stops when throttled.
 * Held frames are at most what one read returned, so memory stays bounded.
 */
export class FrameGate {
  private held: Uint8Array[] = [];
  private next = 0;
  private paused = false;
  private delivering = false;

  constructor(
    private readonly deliver: (frame: Uint8Array) => void,
    private readonly source: { pause(): void; resume(): void },
  ) {}

  /** Frames just read from the connection, in order. */
  push(frames: Iterable<Uint8Array>): void {
    for (const frame of frames) this.held.push(frame);
    this.drain();
  }

  /** Frames read but not yet delivered. */
  get heldCount(): number {
    return this.held.length - this.next;
  }

  /** Stops delivering (and reading) until {@link resume}. */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.source.pause();
  }

  /** Delivers the held frames, then reads again unless a frame paused the gate anew. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.drain();
    if (!this.paused) this.source.resume();
  }

  private drain(): void {
    // A handler may pause or resume from inside `deliver`; only the outermost call loops.
    if (this.delivering) return;
    this.delivering = true;
    try {
      while (!this.paused && this.next < this.held.length) {
        const frame = this.held[this.next]!;
        this.held[this.next++] = EMPTY;
        this.deliver(frame);
      }
    } finally {
      this.delivering = false;
      if (this.next === this.held.length) {
        this.held = [];
        this.next = 0;
      }
    }
  }
}
