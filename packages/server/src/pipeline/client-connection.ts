import type { Id } from '@zkts/protocol';
import type { FrameChannel, FrameHandler } from '../transport/frame-channel.js';
import { assert } from '../util/assert.js';

/** One request of a connection, waiting for its turn to be answered. */
interface PendingReply {
  readonly xid: number;
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
  readonly authIds: Id[];
  /** Last zxid the client reported seeing, from the connect request. */
  lastZxidSeen = 0n;
  /** Counters for `cons`. */
  packetsReceived = 0;
  packetsSent = 0;
  readonly connectedAtMs: number;
  private readonly pending: PendingReply[] = [];
  private handshakeDone = false;
  private closed = false;
  private paused = false;

  constructor(
    private readonly channel: FrameChannel,
    private readonly host: ConnectionHost,
    private readonly maxOutstandingRequests: number,
    nowMs: number,
  ) {
    this.authIds = [{ scheme: 'ip', id: channel.remoteAddress }];
    this.connectedAtMs = nowMs;
  }

  get remoteAddress(): string {
    return this.channel.remoteAddress;
  }

  get transportKind(): 'tcp' | 'websocket' {
    return this.channel.kind;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Requests received and not yet answered. */
  get outstandingRequests(): number {
    return this.pending.length;
  }

  onFrame(frame: Uint8Array): void {
    if (this.closed) return;
    this.packetsReceived++;
    if (!this.handshakeDone) {
      this.handshakeDone = true;
      this.host.handleConnect(this, frame);
      return;
    }
    this.host.handleRequest(this, frame);
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.pending.length = 0;
    this.host.handleClosed(this);
  }

  /** Sends a frame outside the reply queue: the connect response, notifications, pings. */
  sendNow(frame: Uint8Array): void {
    if (this.closed) return;
    this.packetsSent++;
    this.channel.send(frame);
  }

  /** Queues the reply of a request that is already answered (a read with nothing ahead of it, or an error). */
  replyInOrder(xid: number, frame: Uint8Array): void {
    this.enqueue({ xid, frame, deferredRead: undefined });
  }

  /** Queues a read; it runs at once unless a write of this connection is still in flight. */
  read(xid: number, run: () => Uint8Array): void {
    if (this.pending.length === 0) {
      this.replyInOrder(xid, run());
      return;
    }
    this.enqueue({ xid, frame: undefined, deferredRead: run });
  }

  /** Reserves the reply slot of a write (or sync); `complete` fills it when its transaction applies. */
  awaitReply(xid: number): void {
    this.enqueue({ xid, frame: undefined, deferredRead: undefined });
  }

  /** Fills the reply of the oldest in-flight write with this xid, then flushes what became sendable. */
  complete(xid: number, frame: Uint8Array): void {
    if (this.closed) return;
    const entry = this.pending.find((candidate) => candidate.frame === undefined && candidate.deferredRead === undefined);
    assert(entry !== undefined && entry.xid === xid, `completed xid ${xid} is not the oldest in-flight write`);
    entry.frame = frame;
    this.flush();
  }

  /** Closes the connection (the transport calls onClose when it is done). */
  close(): void {
    if (this.closed) return;
    this.channel.close();
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
    }
    if (this.paused && this.pending.length < this.maxOutstandingRequests / 2) {
      this.paused = false;
      this.channel.resume();
    }
  }
}
