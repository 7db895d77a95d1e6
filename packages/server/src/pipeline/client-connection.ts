import type { Id } from '@zkts/protocol';
import type { FrameChannel, FrameHandler } from '../transport/frame-channel.js';
import { AuthInfo } from '../auth/auth-info.js';
import { LatencyStats } from '../admin/latency-stats.js';
import { lastOpName } from '../admin/last-op-name.js';

/** One request of a connection, waiting for its turn to be answered. */
interface PendingReply {
  readonly xid: number;
  /** The request's op code, for `cons` (undefined for the handshake). */
  readonly opType: number | undefined;
  readonly receivedAtMs: number;
  /** The encoded reply once the request is done; undefined while its transaction is in flight. */
  frame: Uint8Array | undefined;
  /** For a read queued behind writes: runs it and returns its reply. */
  readonly deferredRead: (() => Uint8Array) | undefined;
}

/** What the connection asks of the server that owns it. */
export interface ConnectionHost {
  /** The first frame: a connect request. */
  handleConnect(connection: ClientConnection, frame: Uint8Array): void;
  /** Any later frame. */
  handleRequest(connection: ClientConnection, frame: Uint8Array): void;
  /** The transport closed. */
  handleClosed(connection: ClientConnection): void;
  /** A request was answered after `latencyMs`, for the server-wide figures. */
  recordLatency(latencyMs: number): void;
  /** A frame went out, for the server-wide figures. */
  packetSent(): void;
}

/** What `cons` reports of a connection that has a session. */
export interface ConnectionActivity {
  lastOp: string;
  lastCxid: number;
  lastZxid: bigint;
  lastResponseAtMs: number;
  lastLatencyMs: number;
  latency: LatencyStats;
}

/**
 * One client connection. It keeps replies in the order requests arrived
 * (ZooKeeper's per-session FIFO guarantee): a read that arrives behind an
 * unanswered write waits, so it observes that write, and replies leave in
 * arrival order. Notifications are sent at once, so a watch event always
 * precedes any reply that reveals its change.
 */
export class ClientConnection implements FrameHandler {
  /** The session bound by the handshake, once it completed. */
  sessionId: bigint | undefined;
  /** The negotiated timeout of that session. */
  sessionTimeoutMs = 0;
  /** Identities proven on this connection (the `ip` id, then each addAuth). */
  readonly authInfo: AuthInfo;
  /** Last zxid the client reported seeing, from the connect request. */
  lastZxidSeen = 0n;
  /** The client predates 3.4 and sent no readOnly flag: ZooKeeper leaves it out of the connect response too. */
  omitsReadOnly = false;
  /** Counters for `cons`. */
  packetsReceived = 0;
  packetsSent = 0;
  readonly connectedAtMs: number;
  /** Last request answered, for `cons`. */
  readonly activity: ConnectionActivity = {
    lastOp: 'NA',
    lastCxid: -1,
    lastZxid: -1n,
    lastResponseAtMs: 0,
    lastLatencyMs: 0,
    latency: new LatencyStats(),
  };
  private readonly pending: PendingReply[] = [];
  private handshakeDone = false;
  private servingFourLetterWord = false;
  private closed = false;
  /** Set by {@link close}: the transport is shutting down, and frames still arriving are ignored. */
  private closing = false;
  private paused = false;
  private handshakeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly channel: FrameChannel,
    private readonly host: ConnectionHost,
    private readonly maxOutstandingRequests: number,
    private readonly nowMs: () => number,
  ) {
    this.authInfo = new AuthInfo([{ scheme: 'ip', id: channel.remoteAddress }]);
    this.connectedAtMs = nowMs();
  }

  /** The proven identities in ZooKeeper's order; a snapshot, safe to keep with a request. */
  get authIds(): readonly Id[] {
    return this.authInfo.ids;
  }

  /** Whether the handshake frame has arrived. */
  get handshakeReceived(): boolean {
    return this.handshakeDone;
  }

  get remoteAddress(): string {
    return this.channel.remoteAddress;
  }

  get remotePort(): number {
    return this.channel.remotePort;
  }

  get transportKind(): 'tcp' | 'websocket' {
    return this.channel.kind;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** ZooKeeper's selector interest set as `cons` prints it: 1 while reading, 0 while throttled or answering a four-letter word. */
  get interestOps(): number {
    return this.paused || this.servingFourLetterWord ? 0 : 1;
  }

  /** Requests received and not yet answered. */
  get outstandingRequests(): number {
    return this.pending.length;
  }

  /**
   * Closes the connection unless its handshake arrives within `timeoutMs`,
   * so connections that never speak do not hold a slot (ZooKeeper's
   * sessionless connection timeout).
   */
  expectHandshakeWithin(timeoutMs: number): void {
    this.handshakeTimer = setTimeout(() => {
      if (!this.handshakeDone) this.close();
    }, timeoutMs);
    this.handshakeTimer.unref();
  }

  onFrame(frame: Uint8Array): void {
    if (this.closed || this.closing) return;
    this.packetsReceived++;
    try {
      if (!this.handshakeDone) {
        this.handshakeDone = true;
        clearTimeout(this.handshakeTimer);
        this.host.handleConnect(this, frame);
        return;
      }
      this.host.handleRequest(this, frame);
    } catch (error) {
      // A request the server failed to handle must not leave the client waiting on an open
      // connection, nor take down the other clients: log it and drop this connection only,
      // as ZooKeeper closes a connection whose request processing threw.
      console.error(`zkts: closing connection from ${this.remoteAddress} after an internal error:`, error);
      this.close();
    }
  }

  /** The connection carries a four-letter word instead of a session; it counts as one packet. */
  onFourLetterWord(): void {
    this.packetsReceived++;
    this.servingFourLetterWord = true;
    clearTimeout(this.handshakeTimer);
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    this.pending.length = 0;
    this.host.handleClosed(this);
  }

  /** Sends a frame outside the reply queue: the connect response, notifications, auth replies. */
  sendNow(frame: Uint8Array): void {
    if (this.closed) return;
    this.packetsSent++;
    this.host.packetSent();
    this.channel.send(frame);
  }

  /** Queues the reply of a request that is already answered (a read with nothing ahead of it, or an error). */
  replyInOrder(xid: number, frame: Uint8Array, opType?: number): void {
    this.enqueue({ xid, opType, receivedAtMs: this.nowMs(), frame, deferredRead: undefined });
  }

  /** Queues a read; it runs at once unless a write of this connection is still in flight. */
  read(xid: number, run: () => Uint8Array, opType?: number): void {
    if (this.pending.length === 0) {
      this.replyInOrder(xid, run(), opType);
      return;
    }
    this.enqueue({ xid, opType, receivedAtMs: this.nowMs(), frame: undefined, deferredRead: run });
  }

  /** Reserves the reply slot of a write (or sync); `complete` fills it when its transaction applies. */
  awaitReply(xid: number, opType?: number): void {
    this.enqueue({ xid, opType, receivedAtMs: this.nowMs(), frame: undefined, deferredRead: undefined });
  }

  /** Fills the reply of the oldest in-flight write with this xid, then flushes what became sendable. */
  complete(xid: number, frame: Uint8Array): void {
    if (this.closed) return;
    const entry = this.pending.find((candidate) => candidate.frame === undefined && candidate.deferredRead === undefined);
    if (entry === undefined || entry.xid !== xid) {
      // An earlier write of this connection will never commit: in an ensemble a forwarded
      // request can be lost (leader change, a full proposal queue). Answering later writes
      // would break the session's FIFO order, so the connection is dropped instead and the
      // client sees CONNECTION_LOSS for everything in flight, as when its server fails.
      this.close();
      return;
    }
    entry.frame = frame;
    this.flush();
  }

  /** Closes the connection (the transport calls onClose when it is done). */
  close(): void {
    if (this.closed || this.closing) return;
    this.closing = true;
    this.channel.close();
  }

  /** Forgets the per-connection figures (`crst`). */
  resetStats(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.activity.lastOp = 'NA';
    this.activity.lastCxid = -1;
    this.activity.lastZxid = -1n;
    this.activity.lastResponseAtMs = 0;
    this.activity.lastLatencyMs = 0;
    this.activity.latency.reset();
  }

  private enqueue(entry: PendingReply): void {
    if (this.closed) return;
    this.pending.push(entry);
    this.flush();
    if (!this.paused && this.pending.length >= this.maxOutstandingRequests) {
      this.paused = true;
      this.channel.pause();
    }
  }

  private flush(): void {
    while (this.pending.length > 0) {
      const head = this.pending[0]!;
      if (head.frame === undefined) {
        if (head.deferredRead === undefined) break;
        head.frame = head.deferredRead();
      }
      this.pending.shift();
      this.sendNow(head.frame);
      if (head.opType !== undefined) this.recordAnswered(head, head.frame);
    }
    if (this.paused && this.pending.length < this.maxOutstandingRequests / 2) {
      this.paused = false;
      this.channel.resume();
    }
  }

  /** ServerCnxn.updateStatsForResponse: the reply header holds the zxid the client now knows. */
  private recordAnswered(entry: PendingReply, frame: Uint8Array): void {
    const now = this.nowMs();
    const latencyMs = now - entry.receivedAtMs;
    const activity = this.activity;
    if (entry.xid >= 0) activity.lastCxid = entry.xid;
    activity.lastZxid = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getBigInt64(4);
    activity.lastOp = lastOpName(entry.opType!);
    activity.lastResponseAtMs = now;
    activity.lastLatencyMs = latencyMs;
    activity.latency.record(latencyMs);
    this.host.recordLatency(latencyMs);
  }
}
