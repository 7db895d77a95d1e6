/**
 * A bare ZooKeeper wire client over `node:net` for server tests: it sends exactly the bytes a
 * test builds with `@zkts/protocol`, so tests can send garbage, pipeline requests, and see
 * every frame the server sends in arrival order (notifications included).
 * @module
 */
import { connect, type Socket } from 'node:net';
import {
  decodeConnectResponse,
  decodeResponse,
  encodeConnectRequest,
  encodeLengthPrefixed,
  encodeRequest,
  FrameDecoder,
  SpecialXid,
  type ConnectRequest,
  type ConnectResponse,
  type DecodedResponse,
  type ReplyHeader,
  type WatcherEvent,
} from '@zkts/protocol';

/** Frames larger than any test sends or expects; the server's limit is what tests probe. */
const CLIENT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Every frame the connection received after the handshake, decoded, in arrival order. */
export type ReceivedFrame =
  | { kind: 'notification'; header: ReplyHeader; event: WatcherEvent }
  | { kind: 'reply'; xid: number; opType: number; header: ReplyHeader; body: unknown };

/** A request's reply: its header and (when err is 0) its decoded body. */
export interface RawReply {
  header: ReplyHeader;
  body: unknown;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

/**
 * One TCP connection to a ZooKeeper-protocol server. Before {@link handshake} it only moves
 * frames ({@link sendFrame}, {@link nextFrame}); after it, {@link call} and {@link send}
 * number requests and match replies by xid.
 */
export class RawConnection {
  /** Resolves once the socket is closed (by either side). */
  readonly closed: Promise<void>;
  /** Frames decoded after the handshake, in arrival order. */
  readonly received: ReceivedFrame[] = [];
  private readonly decoder = new FrameDecoder(CLIENT_MAX_FRAME_BYTES);
  private readonly frames: Uint8Array[] = [];
  private frameWaiters: Waiter<Uint8Array>[] = [];
  private isClosed = false;
  private nextXid = 1;
  private session = false;
  private readonly pendingOps = new Map<number, number>();
  private readonly replyWaiters = new Map<number, Waiter<RawReply>>();
  private readonly unclaimedReplies = new Map<number, RawReply>();
  private readonly notificationWaiters: Waiter<WatcherEvent>[] = [];
  private readonly unclaimedNotifications: WatcherEvent[] = [];

  private constructor(private readonly socket: Socket) {
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        const error = new Error('connection closed');
        for (const waiter of this.frameWaiters) waiter.reject(error);
        this.frameWaiters = [];
        for (const waiter of this.replyWaiters.values()) waiter.reject(error);
        this.replyWaiters.clear();
        for (const waiter of this.notificationWaiters.splice(0)) waiter.reject(error);
        resolve();
      });
    });
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      for (const frame of this.decoder.push(new Uint8Array(chunk))) this.onFrame(new Uint8Array(frame));
    });
  }

  /** Opens a TCP connection to `host:port`. */
  static open(port: number, host = '127.0.0.1'): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.setNoDelay(true);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  /** Opens a connection and completes the handshake with a new session (or the given one). */
  static async session(port: number, request: Partial<ConnectRequest> = {}): Promise<{ connection: RawConnection; response: ConnectResponse }> {
    const connection = await RawConnection.open(port);
    const response = await connection.handshake(request);
    return { connection, response };
  }

  /** True once the socket has closed. */
  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Writes bytes exactly as given (no length prefix). */
  writeBytes(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  /** Writes one frame with its 4-byte length prefix. */
  sendFrame(frame: Uint8Array): void {
    this.socket.write(encodeLengthPrefixed(frame));
  }

  /** The next raw frame (only before the handshake; afterwards frames are decoded into `received`). */
  nextFrame(): Promise<Uint8Array> {
    const frame = this.frames.shift();
    if (frame !== undefined) return Promise.resolve(frame);
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => this.frameWaiters.push({ resolve, reject }));
  }

  /** Sends a connect request (defaults: new session, 30 s timeout) and decodes the response. */
  async handshake(request: Partial<ConnectRequest> = {}): Promise<ConnectResponse> {
    this.sendFrame(
      encodeConnectRequest({
        protocolVersion: 0,
        lastZxidSeen: 0n,
        timeOut: 30_000,
        sessionId: 0n,
        passwd: new Uint8Array(16),
        readOnly: false,
        ...request,
      }),
    );
    const response = decodeConnectResponse(await this.nextFrame());
    this.session = response.timeOut > 0;
    return response;
  }

  /** Sends a request with the next xid and returns that xid; {@link reply} awaits its answer. */
  send(type: number, body?: unknown, xid?: number): number {
    const requestXid = xid ?? this.nextXid++;
    this.pendingOps.set(requestXid, type);
    this.sendFrame(encodeRequest({ xid: requestXid, type }, body as never));
    return requestXid;
  }

  /** Tells the decoder how to read the reply to a request sent raw with {@link sendFrame}. */
  expectReply(xid: number, opType: number): void {
    this.pendingOps.set(xid, opType);
  }

  /** Awaits the reply to an earlier {@link send}. */
  reply(xid: number): Promise<RawReply> {
    const done = this.unclaimedReplies.get(xid);
    if (done !== undefined) {
      this.unclaimedReplies.delete(xid);
      return Promise.resolve(done);
    }
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => this.replyWaiters.set(xid, { resolve, reject }));
  }

  /** Sends a request and awaits its reply. */
  call(type: number, body?: unknown): Promise<RawReply> {
    return this.reply(this.send(type, body));
  }

  /** The next watch notification not yet taken. */
  nextNotification(): Promise<WatcherEvent> {
    const event = this.unclaimedNotifications.shift();
    if (event !== undefined) return Promise.resolve(event);
    if (this.isClosed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => this.notificationWaiters.push({ resolve, reject }));
  }

  /** Notifications received and not yet taken by {@link nextNotification}. */
  get pendingNotifications(): readonly WatcherEvent[] {
    return this.unclaimedNotifications;
  }

  /** Closes the socket without a closeSession (the session lives on until it expires). */
  destroy(): Promise<void> {
    this.socket.destroy();
    return this.closed;
  }

  private onFrame(frame: Uint8Array): void {
    if (!this.session) {
      const waiter = this.frameWaiters.shift();
      if (waiter !== undefined) waiter.resolve(frame);
      else this.frames.push(frame);
      return;
    }
    const decoded: DecodedResponse = decodeResponse(frame, (xid) => this.pendingOps.get(xid));
    switch (decoded.kind) {
      case 'notification': {
        this.received.push({ kind: 'notification', header: decoded.header, event: decoded.event });
        const waiter = this.notificationWaiters.shift();
        if (waiter !== undefined) waiter.resolve(decoded.event);
        else this.unclaimedNotifications.push(decoded.event);
        return;
      }
      case 'response':
        this.complete(decoded.header, decoded.opType, decoded.body);
        return;
      default:
        // Ping, auth and setWatches replies carry their reserved xid.
        this.complete(decoded.header, specialOp(decoded.header.xid), undefined);
    }
  }

  private complete(header: ReplyHeader, opType: number, body: unknown): void {
    this.pendingOps.delete(header.xid);
    this.received.push({ kind: 'reply', xid: header.xid, opType, header, body });
    const waiter = this.replyWaiters.get(header.xid);
    if (waiter !== undefined) {
      this.replyWaiters.delete(header.xid);
      waiter.resolve({ header, body });
    } else {
      this.unclaimedReplies.set(header.xid, { header, body });
    }
  }
}

function specialOp(xid: number): number {
  switch (xid) {
    case SpecialXid.PING:
      return 11;
    case SpecialXid.AUTH:
      return 100;
    default:
      return 101;
  }
}
