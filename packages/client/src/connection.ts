import type { EventEmitter } from 'eventemitter3';
import {
  type ConnectResponse,
  type DecodedResponse,
  ErrorCode,
  EventType,
  KeeperState,
  OpCode,
  PROTOCOL_VERSION,
  type RequestBodyByOp,
  ProtocolError,
  type RequestOp,
  type ResponseBodyByOp,
  type ResponseOp,
  SpecialXid,
  ZkError,
  decodeConnectResponse,
  decodeResponse,
  encodeConnectRequest,
  encodeRequest,
} from '@zkts/protocol';
import type { Chroot } from './chroot.js';
import type { ClientState, CloseReason, ZkClientEvents } from './client-events.js';
import { HostProvider } from './host-provider.js';
import { batchSetWatches } from './set-watches.js';
import { type Endpoint, type Transport, type TransportFactory, endpointToString } from './transport/transport.js';
import { assert } from './util/assert.js';
import { Deque } from './util/deque.js';
import type { Random } from './util/rng.js';
import { EventDispatcher } from './event-dispatcher.js';
import { WatchManager } from './watch-manager.js';
import { type KeeperStateName, NO_ZXID, type WatchEventType } from './watched-event.js';
import { type Packet, type Reply, type WatchDeregistration, type WatchRegistration, internalPacket } from './packet.js';

/** ClientCnxn pings at least this often even when the read timeout would allow longer silence. */
const MAX_SEND_PING_INTERVAL_MS = 10_000;
/** Bounds of the back-off between probes for a read-write server while connected read-only. */
const MIN_PING_RW_TIMEOUT_MS = 100;
const MAX_PING_RW_TIMEOUT_MS = 60_000;
/** How long one `isro` probe may take (ClientCnxn's socket timeout for it). */
const PING_RW_PROBE_TIMEOUT_MS = 1_000;
/** Largest xid before wrapping back to 1: negative xids are reserved for pings, auth and notifications. */
const MAX_XID = 0x7fffffff;

/** Extras of one submitted request. */
export interface SubmitOptions {
  readonly watch?: WatchRegistration;
  readonly deregistration?: WatchDeregistration;
  readonly signal?: AbortSignal;
}

/** Everything the connection needs, resolved from the user's options. */
export interface ConnectionConfig {
  readonly endpoints: readonly Endpoint[];
  readonly chroot: Chroot;
  readonly sessionTimeoutMs: number;
  readonly connectTimeoutMs: number | undefined;
  readonly readOnly: boolean;
  readonly sessionId: bigint | undefined;
  readonly sessionPassword: Uint8Array | undefined;
  readonly random: Random;
  readonly reconnectDelayMaxMs: number;
  readonly spinDelayMs: number;
  readonly pendingRequestsMax: number;
  readonly autoWatchReset: boolean;
  readonly authInfo: readonly { scheme: string; auth: Uint8Array }[];
  readonly transportFactory: TransportFactory;
  /** Asks a server whether it serves writes; used only while connected read-only. */
  readonly probeReadWrite: (endpoint: Endpoint, timeoutMs: number) => Promise<boolean>;
}

/** Credentials added with addAuth, re-sent on every connection, and the callers awaiting the server's verdict. */
interface AuthEntry {
  readonly scheme: string;
  readonly auth: Uint8Array;
  waiters: { resolve: () => void; reject: (error: ZkError) => void }[];
}

const eventTypeNames = new Map<number, WatchEventType>(Object.entries(EventType).map(([name, value]) => [value, name as WatchEventType]));
const keeperStateNames = new Map<number, KeeperStateName>(
  Object.entries(KeeperState).map(([name, value]) => [value, name as KeeperStateName]),
);

const now = (): number => performance.now();

/**
 * One ZooKeeper session over a sequence of transport connections: the event-loop
 * counterpart of ZooKeeper's `ClientCnxn` (its SendThread and EventThread). It picks servers,
 * performs the handshake, pings, assigns xids, matches replies to requests in order, fails
 * in-flight requests on connection loss, resumes the session elsewhere, re-sends credentials
 * and watches, and turns server events into watcher calls.
 */
export class ClientConnection {
  /** The client's state (see {@link ClientState}). */
  state: ClientState = 'CONNECTING';
  /** The session id; 0 until the first handshake completes. */
  sessionId: bigint;
  /** The session password the server issued (16 bytes). */
  sessionPassword: Uint8Array;
  /** The session timeout the server granted; 0 until connected. */
  negotiatedTimeoutMs = 0;
  /** The largest zxid seen in a reply, sent on reconnect so the client never goes back in time. */
  lastZxid = 0n;
  /** The client's watch tables. */
  readonly watches: WatchManager;

  private readonly hosts: HostProvider;
  private readonly events: EventDispatcher;
  private readonly outgoing = new Deque<Packet>();
  private readonly pending = new Deque<Packet>();
  private readonly authEntries: AuthEntry[] = [];
  /** Auth packets written on the current connection whose replies are still due, in order. */
  private readonly authAwaiting = new Deque<AuthEntry>();
  private readonly connectedWaiters = new Set<{ resolve: () => void; reject: (error: ZkError) => void }>();
  private readonly closedWaiters: (() => void)[] = [];

  private transport: Transport | undefined;
  private currentEndpoint: Endpoint | undefined;
  /** Bumped per connection attempt so callbacks of an abandoned transport are ignored. */
  private attempt = 0;
  private handshakeDone = false;
  private isFirstConnect = true;
  private seenRwServerBefore: boolean;
  private closing = false;
  private terminated = false;
  private xid = 1;
  private readTimeoutMs: number;
  private connectTimeoutMs: number;
  private lastSendAt = 0;
  private lastHeardAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private rwServer: Endpoint | undefined;
  private pingRwTimeoutMs = MIN_PING_RW_TIMEOUT_MS;
  private lastPingRwAt = 0;
  private pingRwInFlight = false;
  /** Why the last connection ended, for diagnostics. */
  lastConnectionError: Error | undefined;

  constructor(
    private readonly config: ConnectionConfig,
    private readonly emitter: EventEmitter<ZkClientEvents>,
  ) {
    this.hosts = new HostProvider(config.endpoints, config.random);
    this.watches = new WatchManager(config.autoWatchReset);
    this.events = new EventDispatcher(this.watches, emitter, () => this.sessionId);
    this.sessionId = config.sessionId ?? 0n;
    this.sessionPassword = config.sessionPassword ?? new Uint8Array(16);
    // A caller-supplied session id is a real one, not a read-only server's placeholder.
    this.seenRwServerBefore = config.sessionId !== undefined;
    this.readTimeoutMs = Math.floor((config.sessionTimeoutMs * 2) / 3);
    this.connectTimeoutMs = config.connectTimeoutMs ?? Math.floor(config.sessionTimeoutMs / this.hosts.size);
    for (const { scheme, auth } of config.authInfo) this.authEntries.push({ scheme, auth, waiters: [] });
    this.connectNext();
  }

  /** Servers in the shuffled order they are tried. */
  get serverOrder(): readonly Endpoint[] {
    return this.hosts.order;
  }

  /** The server of the current or last connection attempt. */
  get endpoint(): Endpoint | undefined {
    return this.currentEndpoint;
  }

  /** True once the client reached a terminal state. */
  get isTerminated(): boolean {
    return this.terminated;
  }

  /** Number of requests queued or awaiting a reply. */
  get queuedRequests(): number {
    return this.outgoing.length + this.pending.length;
  }

  /**
   * Queues one request; it is written at once when connected, else after the next handshake.
   * Resolves with the reply (errors are reply codes, never rejections, as in ClientCnxn);
   * rejects only when aborted or when the queue is full (`THROTTLED_OP`).
   */
  submit<K extends RequestOp & ResponseOp>(op: K, body: RequestBodyByOp[K], options: SubmitOptions = {}): Promise<Reply<ResponseBodyByOp[K]>> {
    type R = Reply<ResponseBodyByOp[K]>;
    const { signal } = options;
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.queuedRequests >= this.config.pendingRequestsMax) {
      return Promise.reject(
        new ZkError('THROTTLED_OP', {
          message: `Client request queue is full (pendingRequestsMax = ${this.config.pendingRequestsMax})`,
        }),
      );
    }
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => {
        packet.abandoned = true;
        reject(signal?.reason);
      };
      const packet: Packet = {
        op,
        body,
        xid: 0,
        watch: options.watch,
        deregistration: options.deregistration,
        abandoned: false,
        settle: (reply) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(reply as R);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queuePacket(packet);
    });
  }

  /** ClientCnxn.queuePacket: dead or closing clients answer at once with the error of their state. */
  private queuePacket(packet: Packet): void {
    if (this.terminated || this.closing) {
      this.finishPacket(packet, { err: this.lossErrorCode(), zxid: 0n, body: undefined });
      return;
    }
    if (packet.op === OpCode.closeSession) this.closing = true;
    if (this.isConnected()) this.sendPacket(packet);
    else this.outgoing.push(packet);
  }

  /** Resolves once connected (immediately if connected now); rejects if the client stops for good first. */
  waitConnected(signal?: AbortSignal): Promise<void> {
    if (this.isConnected()) return Promise.resolve();
    if (this.terminated) return Promise.reject(this.terminalError());
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const waiter = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        reject: (error: ZkError) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      const onAbort = (): void => {
        this.connectedWaiters.delete(waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.connectedWaiters.add(waiter);
    });
  }

  /**
   * Adds credentials (`ZooKeeper.addAuthInfo`): sent now if connected and after every
   * reconnect. Resolves when the server accepts them; a rejection ends the session with AUTH_FAILED.
   */
  addAuth(scheme: string, auth: Uint8Array): Promise<void> {
    if (this.terminated) return Promise.reject(this.terminalError());
    if (this.closing) return Promise.reject(new ZkError('CONNECTION_LOSS', { message: 'Client is closing' }));
    return new Promise((resolve, reject) => {
      const entry: AuthEntry = { scheme, auth, waiters: [{ resolve, reject }] };
      this.authEntries.push(entry);
      if (this.isConnected()) this.sendAuth(entry);
    });
  }

  /**
   * Closes the session (`ClientCnxn.close`): sends closeSession if a connection exists or is
   * being set up (then after its handshake) and waits for its reply or the connection's end,
   * then stops for good. A client that never got a session stops at once.
   */
  close(): Promise<void> {
    if (this.terminated) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.closedWaiters.push(resolve));
    if (this.closing) return done;
    // Nothing to close on the server without a connection, or before any session exists.
    if (this.transport === undefined || (!this.handshakeDone && this.sessionId === 0n)) {
      this.closing = true;
      this.terminate('closed');
      return done;
    }
    this.queuePacket(internalPacket(OpCode.closeSession, undefined, () => this.terminate('closed')));
    return done;
  }

  /** Drops the current connection as if the network failed; the client reconnects and resumes the session. For tests. */
  dropConnection(): void {
    if (this.transport !== undefined) this.connectionLost(new Error('Connection dropped on request'));
  }

  private isConnected(): boolean {
    return this.handshakeDone && (this.state === 'CONNECTED' || this.state === 'CONNECTED_READ_ONLY');
  }

  // ---- Connection attempts ------------------------------------------------------------

  /** Picks the next server and connects after ClientCnxn's pauses: a spin after a full cycle, jitter after the first attempt. */
  private connectNext(): void {
    assert(!this.terminated && !this.closing, 'no reconnect once closing');
    let endpoint: Endpoint;
    let delayMs = 0;
    if (this.rwServer !== undefined) {
      endpoint = this.rwServer;
      this.rwServer = undefined;
    } else {
      const next = this.hosts.next();
      endpoint = next.endpoint;
      if (next.exhausted) delayMs += this.config.spinDelayMs;
    }
    if (!this.isFirstConnect) delayMs += Math.floor(this.config.random() * this.config.reconnectDelayMaxMs);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.startConnect(endpoint);
    }, delayMs);
  }

  private startConnect(endpoint: Endpoint): void {
    this.setState('CONNECTING');
    this.handshakeDone = false;
    this.currentEndpoint = endpoint;
    this.lastHeardAt = this.lastSendAt = now();
    const attempt = ++this.attempt;
    const current = (): boolean => attempt === this.attempt;
    try {
      this.transport = this.config.transportFactory(endpoint, {
        onOpen: () => {
          if (current()) this.onTransportOpen();
        },
        onFrame: (frame) => {
          if (current()) this.onFrame(frame);
        },
        onClose: (error) => {
          if (current()) this.connectionLost(error ?? new Error(`Connection to ${endpointToString(endpoint)} closed`));
        },
      });
    } catch (error) {
      this.transport = undefined;
      this.connectionLost(error as Error);
      return;
    }
    this.armTimer();
  }

  /** ClientCnxn.primeConnection: the handshake goes first; credentials and watches follow its answer. */
  private onTransportOpen(): void {
    const transport = this.transport;
    assert(transport !== undefined, 'transport opened');
    this.isFirstConnect = false;
    this.lastHeardAt = this.lastSendAt = now();
    transport.send(
      encodeConnectRequest({
        protocolVersion: PROTOCOL_VERSION,
        lastZxidSeen: this.lastZxid,
        timeOut: this.config.sessionTimeoutMs,
        // A session id from a read-only server is only a placeholder: ask a read-write server for a real one.
        sessionId: this.seenRwServerBefore ? this.sessionId : 0n,
        passwd: this.sessionPassword,
        readOnly: this.config.readOnly,
      }),
    );
  }

  private onFrame(frame: Uint8Array): void {
    this.lastHeardAt = now();
    try {
      if (!this.handshakeDone) this.onConnectResponse(decodeConnectResponse(frame));
      else this.readResponse(frame);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      // Malformed or unexpected bytes: the stream can no longer be trusted (ClientCnxn's IOException path).
      this.connectionLost(error);
    }
  }

  /** ClientCnxn.onConnected. */
  private onConnectResponse(response: ConnectResponse): void {
    this.negotiatedTimeoutMs = response.timeOut;
    if (response.timeOut <= 0) {
      this.setState('EXPIRED');
      this.events.dispatch({ type: 'None', state: 'Expired', path: null, zxid: NO_ZXID });
      this.events.kill();
      this.terminate('expired');
      return;
    }
    this.readTimeoutMs = Math.floor((response.timeOut * 2) / 3);
    this.connectTimeoutMs = this.config.connectTimeoutMs ?? Math.floor(response.timeOut / this.hosts.size);
    this.hosts.onConnected();
    this.sessionId = response.sessionId;
    this.sessionPassword = new Uint8Array(response.passwd);
    this.handshakeDone = true;
    this.setState(response.readOnly ? 'CONNECTED_READ_ONLY' : 'CONNECTED');
    this.seenRwServerBefore ||= !response.readOnly;
    if (response.readOnly) {
      this.pingRwTimeoutMs = MIN_PING_RW_TIMEOUT_MS;
      this.lastPingRwAt = now();
    }
    // Credentials and watches go ahead of anything a listener of the event below might send.
    for (const entry of this.authEntries) this.sendAuth(entry);
    this.sendSetWatches();
    for (let packet = this.outgoing.shift(); packet !== undefined; packet = this.outgoing.shift()) this.sendPacket(packet);
    this.events.dispatch({ type: 'None', state: response.readOnly ? 'ConnectedReadOnly' : 'SyncConnected', path: null, zxid: NO_ZXID });
    // The event may have run user code that closed the client.
    if (!this.isConnected()) return;
    for (const waiter of this.connectedWaiters) waiter.resolve();
    this.connectedWaiters.clear();
    this.armTimer();
  }

  private sendSetWatches(): void {
    if (!this.config.autoWatchReset || this.watches.isEmpty) return;
    const batches = batchSetWatches(this.watches.lists(), this.lastZxid, (path) => this.config.chroot.toServer(path));
    for (const batch of batches) {
      const { relativeZxid, dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches } = batch;
      this.sendPacket(
        batch.op === 'setWatches'
          ? internalPacket(OpCode.setWatches, { relativeZxid, dataWatches, existWatches, childWatches })
          : internalPacket(OpCode.setWatches2, { relativeZxid, dataWatches, existWatches, childWatches, persistentWatches, persistentRecursiveWatches }),
      );
    }
  }

  // ---- Writing ------------------------------------------------------------------------

  /** Writes a packet with the next xid and moves it to the pending queue, as ClientCnxnSocket.doIO does. */
  private sendPacket(packet: Packet): void {
    const transport = this.transport;
    assert(transport !== undefined && this.handshakeDone, 'packets are written only on an established connection');
    if (packet.abandoned) return;
    packet.xid = this.nextXid();
    const frame = encodeRequest({ xid: packet.xid, type: packet.op }, packet.body as RequestBodyByOp[RequestOp]);
    this.pending.push(packet);
    this.lastSendAt = now();
    transport.send(frame);
  }

  private sendAuth(entry: AuthEntry): void {
    const transport = this.transport;
    assert(transport !== undefined, 'auth is written only on an established connection');
    this.authAwaiting.push(entry);
    this.lastSendAt = now();
    transport.send(encodeRequest({ xid: SpecialXid.AUTH, type: OpCode.auth }, { type: 0, scheme: entry.scheme, auth: entry.auth }));
  }

  private sendPing(): void {
    const transport = this.transport;
    assert(transport !== undefined, 'pings go out on an established connection');
    this.lastSendAt = now();
    transport.send(encodeRequest({ xid: SpecialXid.PING, type: OpCode.ping }));
  }

  /** ClientCnxn.getXid: increments from 1 and skips from the int maximum back to 1, never reaching the reserved negatives. */
  private nextXid(): number {
    if (this.xid === MAX_XID) this.xid = 1;
    return this.xid++;
  }

  // ---- Reading ------------------------------------------------------------------------

  /** SendThread.readResponse. */
  private readResponse(frame: Uint8Array): void {
    const decoded: DecodedResponse = decodeResponse(frame, (xid) => {
      const head = this.pending.peek();
      // Replies come in request order; any other xid means the stream is out of step.
      return head !== undefined && head.xid === xid ? head.op : undefined;
    });
    switch (decoded.kind) {
      case 'ping':
      case 'setWatches':
        return;
      case 'auth':
        return this.onAuthReply(decoded.header.err);
      case 'notification': {
        const { event } = decoded;
        const type = eventTypeNames.get(event.type);
        const state = keeperStateNames.get(event.state);
        if (type === undefined || state === undefined) throw new ProtocolError(`Invalid watch event type ${event.type} / state ${event.state}`);
        this.events.dispatch({ type, state, path: this.config.chroot.toClient(event.path), zxid: decoded.header.zxid });
        return;
      }
      case 'response': {
        const packet = this.pending.shift();
        assert(packet !== undefined && packet.xid === decoded.header.xid, 'reply matches the head of the pending queue');
        if (decoded.header.zxid > 0n) this.lastZxid = decoded.header.zxid;
        this.finishPacket(packet, { err: decoded.header.err, zxid: decoded.header.zxid, body: decoded.body });
        return;
      }
    }
  }

  private onAuthReply(err: number): void {
    const entry = this.authAwaiting.shift();
    const waiters = entry?.waiters ?? [];
    if (entry !== undefined) entry.waiters = [];
    if (err === ErrorCode.AUTH_FAILED) {
      for (const waiter of waiters) waiter.reject(new ZkError('AUTH_FAILED'));
      this.setState('AUTH_FAILED');
      this.events.dispatch({ type: 'None', state: 'AuthFailed', path: null, zxid: NO_ZXID });
      this.events.kill();
      this.terminate('authFailed');
      return;
    }
    for (const waiter of waiters) {
      if (err === ErrorCode.OK) waiter.resolve();
      else waiter.reject(ZkError.fromErrno(err));
    }
  }

  /** ClientCnxn.finishPacket: registers or removes watches by the result code, then completes the request. */
  private finishPacket(packet: Packet, reply: Reply): void {
    if (packet.abandoned) return;
    let result = reply;
    const { watch, deregistration } = packet;
    if (watch !== undefined) {
      const kind = watch.kindFor(result.err);
      if (kind !== undefined) this.watches.add(kind, watch.path, watch.watcher);
    }
    if (deregistration !== undefined) result = this.deregister(deregistration, result);
    packet.settle(result);
  }

  private deregister(d: WatchDeregistration, reply: Reply): Reply {
    let err = reply.err;
    try {
      const removed = this.watches.remove(d.path, d.watcher, d.type, d.local, reply.err);
      const lost = reply.err === ErrorCode.SESSION_EXPIRED || reply.err === ErrorCode.CONNECTION_LOSS;
      for (const [type, watchers] of removed) {
        if (watchers.size === 0) continue;
        this.events.dispatch({ type, state: lost ? 'Disconnected' : 'SyncConnected', path: d.path, zxid: NO_ZXID }, watchers);
        // Removing locally succeeds even though the server could not be told.
        err = ErrorCode.OK;
      }
    } catch (error) {
      if (!(error instanceof ZkError)) throw error;
      err = error.errno;
    }
    return { ...reply, err };
  }

  // ---- Timers ---------------------------------------------------------------------------

  /**
   * The timing part of SendThread.run: the connect timeout while handshaking, the read timeout
   * (2/3 of the session timeout) once connected, a ping when nothing was sent for half the
   * read timeout (less a second, against racing the server's own timer) or for 10 s, and the
   * read-write probe while read-only.
   */
  private armTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.transport === undefined) return;
    const at = now();
    const idleRecv = at - this.lastHeardAt;
    let to = (this.handshakeDone ? this.readTimeoutMs : this.connectTimeoutMs) - idleRecv;
    if (to <= 0) {
      const what = this.handshakeDone ? 'Client session timed out' : 'Connection attempt timed out';
      this.connectionLost(
        new Error(`${what}, have not heard from server in ${Math.round(idleRecv)}ms for session id 0x${this.sessionId.toString(16)}`),
      );
      return;
    }
    if (this.isConnected()) {
      const idleSend = at - this.lastSendAt;
      const timeToNextPing = Math.floor(this.readTimeoutMs / 2) - idleSend - (idleSend > 1000 ? 1000 : 0);
      if (timeToNextPing <= 0 || idleSend > MAX_SEND_PING_INTERVAL_MS) this.sendPing();
      else to = Math.min(to, timeToNextPing);
    }
    if (this.state === 'CONNECTED_READ_ONLY') {
      const idlePingRw = at - this.lastPingRwAt;
      if (idlePingRw >= this.pingRwTimeoutMs) {
        this.lastPingRwAt = at;
        this.pingRwTimeoutMs = Math.min(2 * this.pingRwTimeoutMs, MAX_PING_RW_TIMEOUT_MS);
        this.pingRwServer();
        to = Math.min(to, this.pingRwTimeoutMs);
      } else {
        to = Math.min(to, this.pingRwTimeoutMs - idlePingRw);
      }
    }
    this.timer = setTimeout(() => this.armTimer(), Math.max(1, Math.ceil(to)));
  }

  /** ClientCnxn.pingRwServer: probe the next server; if it serves writes, move there. */
  private pingRwServer(): void {
    if (this.pingRwInFlight) return;
    const { endpoint } = this.hosts.next();
    this.pingRwInFlight = true;
    const attempt = this.attempt;
    void this.config.probeReadWrite(endpoint, PING_RW_PROBE_TIMEOUT_MS).then((readWrite) => {
      this.pingRwInFlight = false;
      if (!readWrite || attempt !== this.attempt || this.state !== 'CONNECTED_READ_ONLY') return;
      this.pingRwTimeoutMs = MIN_PING_RW_TIMEOUT_MS;
      this.rwServer = endpoint;
      this.connectionLost(new Error(`Majority server found at ${endpointToString(endpoint)}`));
    });
  }

  // ---- Loss and termination -----------------------------------------------------------

  /** SendThread's catch block: drop the transport, fail what was in flight, tell watchers, try the next server. */
  private connectionLost(error: Error): void {
    if (this.terminated) return;
    this.closeTransport();
    if (this.closing) {
      this.terminate('closed');
      return;
    }
    this.lastConnectionError = error;
    this.failQueued();
    this.authAwaiting.drain();
    this.events.dispatch({ type: 'None', state: 'Disconnected', path: null, zxid: NO_ZXID });
    if (this.terminated || this.closing) {
      // A listener closed the client from inside the event.
      if (!this.terminated) this.terminate('closed');
      return;
    }
    this.setState('CONNECTING');
    this.connectNext();
  }

  private closeTransport(): void {
    this.attempt++;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const transport = this.transport;
    this.transport = undefined;
    this.handshakeDone = false;
    transport?.close();
  }

  /** ClientCnxn's cleanup: every request in flight or queued fails with the error of the current state. */
  private failQueued(): void {
    const err = this.lossErrorCode();
    for (const packet of this.pending.drain()) this.finishPacket(packet, { err, zxid: 0n, body: undefined });
    for (const packet of this.outgoing.drain()) this.finishPacket(packet, { err, zxid: 0n, body: undefined });
  }

  /** ClientCnxn.conLossPacket's choice of error. */
  private lossErrorCode(): number {
    switch (this.state) {
      case 'AUTH_FAILED':
        return ErrorCode.AUTH_FAILED;
      case 'CLOSED':
      case 'EXPIRED':
        return ErrorCode.SESSION_EXPIRED;
      default:
        return this.terminated ? ErrorCode.SESSION_EXPIRED : ErrorCode.CONNECTION_LOSS;
    }
  }

  private terminalError(): ZkError {
    if (this.state === 'AUTH_FAILED') return new ZkError('AUTH_FAILED');
    if (this.state === 'EXPIRED') return new ZkError('SESSION_EXPIRED');
    return new ZkError('SESSION_EXPIRED', { message: 'Client is closed' });
  }

  /** Stops for good: after close(), expiry or an auth failure. */
  private terminate(reason: CloseReason): void {
    if (this.terminated) return;
    this.terminated = true;
    this.closing = true;
    this.closeTransport();
    if (reason === 'closed') this.setState('CLOSED');
    assert(this.state === 'CLOSED' || this.state === 'EXPIRED' || this.state === 'AUTH_FAILED', 'terminal state');
    this.failQueued();
    this.authAwaiting.drain();
    const error = this.terminalError();
    for (const entry of this.authEntries) {
      for (const waiter of entry.waiters) waiter.reject(error);
      entry.waiters = [];
    }
    for (const waiter of this.connectedWaiters) waiter.reject(error);
    this.connectedWaiters.clear();
    if (reason === 'closed') this.events.dispatch({ type: 'None', state: 'Closed', path: null, zxid: NO_ZXID });
    this.events.kill();
    this.events.deliver(() => this.emitter.emit('closed', reason), undefined);
    for (const resolve of this.closedWaiters.splice(0)) resolve();
  }

  private setState(state: ClientState): void {
    this.state = state;
  }
}
