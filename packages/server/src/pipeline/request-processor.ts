import { EventEmitter } from 'node:events';
import {
  decodeConnectRequest,
  encodeConnectResponse,
  encodeResponse,
  encodeWatcherEvent,
  ErrorCode,
  KeeperState,
  OpCode,
  ProtocolError,
  SpecialXid,
  type AuthPacket,
  type ConnectRequest,
  type RequestHeader,
  type SetWatches2,
  type ResponseOp,
  Perms,
} from '@zkts/protocol';
import type { AuthContext } from '../tree/acl.js';
import type { WatchDelivery } from '../tree/tree-types.js';
import { hasPermission } from '../tree/acl.js';
import { ClientConnection, type ConnectionHost } from './client-connection.js';
import type { FrameChannel } from '../transport/frame-channel.js';
import type { ResolvedServerOptions } from '../server-options.js';
import { negotiateSessionTimeoutMs } from '../server-options.js';
import type { ZkDatabase, TxnOutcome } from '../database/zk-database.js';
import type { Replicator, Txn } from '../replication/replicator.js';
import { SessionTracker } from '../session/session-tracker.js';
import { SessionIdGenerator } from '../session/session-id.js';
import { isSessionPasswordValid, sessionPassword } from '../session/session-password.js';
import { authenticate } from '../auth/auth-providers.js';
import { opKind } from './op-kind.js';
import { decodeClientRequest } from './decode-client-request.js';
import { executeRead } from './execute-read.js';
import type { AdminView, ServerConfigFigures, ServerStats, WatchCounts } from '../admin/server-stats.js';
import { LatencyStats } from '../admin/latency-stats.js';

/** Events the processor reports to its server. */
export interface RequestProcessorEvents {
  session: [kind: 'created' | 'closed' | 'expired', sessionId: bigint];
}

const EMPTY_PASSWORD = new Uint8Array(16);

/** What an ensemble member adds to the pipeline: its id, and a way to tell the leader which sessions are alive. */
export interface EnsembleHooks {
  readonly serverId: number;
  /** Sends the ids of sessions touched here since the last call to the leader (which owns expiry). */
  relayTouches(sessionIds: bigint[]): void;
  /** Tells the leader at once that these sessions' clients (re)connected here. */
  claimSessions(sessionIds: bigint[]): void;
}

/** A server's role, as far as the pipeline cares: who expires sessions and sweeps containers. */
export type PipelineRole = 'standalone' | 'leader' | 'follower' | 'observer' | 'looking';

/** ZooKeeper 3.8 sends every watch notification with zxid −1 (NIOServerCnxn.process). */
const NOTIFICATION_ZXID = -1n;

/**
 * The request pipeline of one server: the handshake, per-session ordering,
 * reads from the local tree, writes through the replicator, and what happens
 * when a transaction commits (apply, fire watches, answer the owner).
 */
export class RequestProcessor extends EventEmitter<RequestProcessorEvents> implements ConnectionHost {
  private readonly tracker: SessionTracker;
  private readonly idGenerator: SessionIdGenerator;
  private readonly connections = new Set<ClientConnection>();
  private readonly connectionsBySession = new Map<bigint, ClientConnection>();
  private readonly replicator: Replicator;
  /** Sessions whose closeSession came from their client (the others expired): only those get a reply. */
  private readonly closeRequested = new Set<bigint>();
  /**
   * The connection each in-flight write came from, per session, in proposal order. A reply
   * goes back on that connection, as ZooKeeper answers on `request.cnxn`: if the client has
   * moved to a new connection meanwhile, the reply is dropped with the old one.
   */
  private readonly writeOrigins = new Map<bigint, { cxid: number; connection: ClientConnection }[]>();
  private expiryTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private packetsReceived = 0;
  private packetsSent = 0;
  private readonly latency = new LatencyStats();

  private role: PipelineRole = 'standalone';
  private serving = true;
  /** Sessions touched since the last relay to the leader (ensemble followers and observers). */
  private readonly touchedSinceRelay = new Set<bigint>();
  /** Leader: which member serves each session, to refuse writes through a member it left (SESSION_MOVED). */
  private readonly sessionOwners = new Map<bigint, number>();

  constructor(
    private database: ZkDatabase,
    private readonly options: ResolvedServerOptions,
    createReplicator: (onCommit: (txn: Txn) => void) => Replicator,
    private readonly nowMs: () => number = Date.now,
    private readonly ensemble?: EnsembleHooks,
  ) {
    super();
    this.tracker = new SessionTracker(options.tickTimeMs);
    this.idGenerator = new SessionIdGenerator(options.serverId, nowMs());
    this.replicator = createReplicator((txn) => this.onCommit(txn));
  }

  /** Starts the expiry and container-sweep timers; sessions restored from disk get a fresh timeout. */
  start(): void {
    const now = this.nowMs();
    for (const [sessionId, timeoutMs] of this.database.sessions) this.tracker.add(sessionId, timeoutMs, now);
    this.scheduleExpiryCheck();
    this.sweepTimer = setInterval(() => this.sweepContainers(), this.options.containerCheckIntervalMs);
    this.sweepTimer.unref();
  }

  /** Stops timers and closes every connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.expiryTimer);
    clearInterval(this.sweepTimer);
    for (const connection of this.connections) connection.close();
    await this.replicator.close();
  }

  /** A new transport connection. */
  accept(channel: FrameChannel): ClientConnection {
    const connection = new ClientConnection(channel, this, this.options.maxOutstandingRequests, this.nowMs);
    connection.expectHandshakeWithin(this.options.sessionlessConnectionTimeoutMs);
    this.connections.add(connection);
    return connection;
  }

  handleConnect(connection: ClientConnection, frame: Uint8Array): void {
    this.packetsReceived++;
    let request: ConnectRequest;
    try {
      request = decodeConnectRequest(frame);
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      connection.close();
      return;
    }
    if (this.stopped || !this.serving) {
      connection.close();
      return;
    }
    // A client that has seen a newer state than ours must not read an older one here.
    if (request.lastZxidSeen > BigInt(this.database.lastProcessedZxid)) {
      connection.close();
      return;
    }
    const timeoutMs = negotiateSessionTimeoutMs(request.timeOut, this.options);
    connection.sessionTimeoutMs = timeoutMs;
    connection.omitsReadOnly = request.readOnlyOmitted === true;
    connection.lastZxidSeen = request.lastZxidSeen;
    connection.awaitReply(0);
    if (request.sessionId === 0n) {
      const sessionId = this.idGenerator.nextId();
      connection.sessionId = sessionId;
      this.connectionsBySession.set(sessionId, connection);
      this.tracker.add(sessionId, timeoutMs, this.nowMs());
      this.claimSession(sessionId);
      this.replicator.propose({
        sessionId,
        cxid: 0,
        type: OpCode.createSession,
        body: { timeOut: timeoutMs },
        authIds: [],
        superUser: false,
      });
      return;
    }
    this.reopenSession(connection, request, timeoutMs);
  }

  private reopenSession(connection: ClientConnection, request: ConnectRequest, timeoutMs: number): void {
    const sessionId = request.sessionId;
    // In an ensemble the session may have been created through another member:
    // the replicated session table says whether it is alive.
    if (this.ensemble !== undefined && this.tracker.get(sessionId) === undefined) {
      const knownTimeoutMs = this.database.sessions.get(sessionId);
      if (knownTimeoutMs !== undefined) this.tracker.add(sessionId, knownTimeoutMs, this.nowMs());
    }
    // ZooKeeper drops the session's current connection before it checks the password
    // (processConnectRequest closes it, then reopenSession validates), so even a refused
    // attempt moves the client off it; the session itself lives on.
    const previous = this.connectionsBySession.get(sessionId);
    if (previous !== undefined && previous !== connection) {
      this.connectionsBySession.delete(sessionId);
      previous.sessionId = undefined;
      previous.close();
    }
    const tracked = this.tracker.get(sessionId);
    const valid =
      tracked !== undefined && !tracked.closing && isSessionPasswordValid(sessionId, request.passwd) && this.database.sessions.has(sessionId);
    if (!valid) {
      // ZooKeeper answers an expired or unknown session with timeOut 0, then closes.
      connection.complete(0, this.connectResponse(connection, 0, 0n, EMPTY_PASSWORD));
      connection.close();
      return;
    }
    this.tracker.touch(sessionId, this.nowMs());
    this.claimSession(sessionId);
    connection.sessionId = sessionId;
    this.connectionsBySession.set(sessionId, connection);
    this.sendConnectResponse(connection, sessionId, timeoutMs);
  }

  private sendConnectResponse(connection: ClientConnection, sessionId: bigint, timeoutMs: number): void {
    connection.complete(0, this.connectResponse(connection, timeoutMs, sessionId, sessionPassword(sessionId)));
  }

  private connectResponse(connection: ClientConnection, timeOut: number, sessionId: bigint, passwd: Uint8Array): Uint8Array {
    return encodeConnectResponse({
      protocolVersion: 0,
      timeOut,
      sessionId,
      passwd,
      readOnly: false,
      ...(connection.omitsReadOnly ? { readOnlyOmitted: true } : {}),
    });
  }

  handleRequest(connection: ClientConnection, frame: Uint8Array): void {
    this.packetsReceived++;
    const sessionId = connection.sessionId;
    if (sessionId === undefined) {
      connection.close();
      return;
    }
    const request = decodeClientRequest(frame);
    if (request.kind === 'unreadable') {
      // Without a header the stream has lost its framing: close this connection only.
      connection.close();
      return;
    }
    const header = request.header;
    if (request.kind === 'unsupported') {
      // UnimplementedRequestProcessor answers at once, outside the pipeline, and closes; the
      // request never got a zxid, so the reply carries −1.
      connection.sendNow(this.errorReply(header.xid, ErrorCode.UNIMPLEMENTED, -1n));
      connection.close();
      return;
    }
    this.noteTouched(sessionId);
    if (!this.tracker.touch(sessionId, this.nowMs())) {
      // The session is closing (its closeSession is in flight, and will close the connection
      // after answering): ZooKeeper's checkSession refuses further requests.
      connection.replyInOrder(header.xid, this.errorReply(header.xid, ErrorCode.SESSION_EXPIRED), OpCode.error);
      if (this.tracker.get(sessionId) === undefined) connection.close();
      return;
    }
    if (request.kind === 'malformed') {
      this.handleMalformed(connection, sessionId, header);
      return;
    }
    const body = request.body;
    // Requests carry the identities proven when they arrived, as ZooKeeper's Request copies authInfo.
    const auth = this.authContext(connection);
    switch (opKind(header.type)) {
      case 'session':
        this.handleSessionRequest(connection, header, body);
        return;
      case 'read':
        connection.read(header.xid, () => this.answerRead(connection, header, body, auth), header.type);
        return;
      case 'sync':
        connection.awaitReply(header.xid, header.type);
        this.replicator.sync(() => {
          connection.complete(header.xid, this.reply(header.xid, OpCode.sync, ErrorCode.OK, body));
        });
        return;
      case 'write':
        if (header.type === OpCode.closeSession) {
          this.tracker.markClosing(sessionId);
          this.closeRequested.add(sessionId);
        }
        connection.awaitReply(header.xid, header.type);
        this.noteOrigin(sessionId, header.xid, connection);
        if (header.type === OpCode.reconfig) {
          // Reconfiguration is off in a standalone server; the refusal is an error txn and takes a zxid.
          this.proposeError(sessionId, header.xid, ErrorCode.RECONFIG_DISABLED);
          return;
        }
        this.replicator.propose({ sessionId, cxid: header.xid, type: header.type, body, authIds: auth.ids, superUser: auth.superUser === true });
        return;
    }
  }

  /**
   * A known op whose body does not decode. ZooKeeper answers MARSHALLING_ERROR
   * and keeps the connection; a write's failure is an error txn that takes a
   * zxid. A bad auth packet is the exception: ZooKeeper closes the connection.
   */
  private handleMalformed(connection: ClientConnection, sessionId: bigint, header: RequestHeader): void {
    switch (header.type) {
      case OpCode.auth:
      case OpCode.sasl:
        connection.close();
        return;
    }
    if (opKind(header.type) === 'write') {
      connection.awaitReply(header.xid, OpCode.error);
      this.noteOrigin(sessionId, header.xid, connection);
      this.proposeError(sessionId, header.xid, ErrorCode.MARSHALLING_ERROR);
      return;
    }
    connection.read(header.xid, () => this.errorReply(header.xid, ErrorCode.MARSHALLING_ERROR), OpCode.error);
  }

  private noteOrigin(sessionId: bigint, cxid: number, connection: ClientConnection): void {
    let origins = this.writeOrigins.get(sessionId);
    if (origins === undefined) {
      origins = [];
      this.writeOrigins.set(sessionId, origins);
    }
    origins.push({ cxid, connection });
  }

  /** The connection that sent this committed write, if it was sent here. */
  private takeOrigin(txn: Txn): ClientConnection | undefined {
    const origins = this.writeOrigins.get(txn.sessionId);
    if (origins === undefined) return undefined;
    const index = origins.findIndex((origin) => origin.cxid === txn.cxid);
    if (index < 0) return undefined;
    const [origin] = origins.splice(index, 1);
    if (origins.length === 0) this.writeOrigins.delete(txn.sessionId);
    return origin!.connection;
  }

  private proposeError(sessionId: bigint, cxid: number, err: number): void {
    this.replicator.propose({ sessionId, cxid, type: OpCode.error, body: { err }, authIds: [], superUser: false });
  }

  handleClosed(connection: ClientConnection): void {
    this.connections.delete(connection);
    for (const [sessionId, origins] of this.writeOrigins) {
      const kept = origins.filter((origin) => origin.connection !== connection);
      if (kept.length === 0) this.writeOrigins.delete(sessionId);
      else if (kept.length !== origins.length) this.writeOrigins.set(sessionId, kept);
    }
    this.database.tree.removeWatcher(connection);
    const sessionId = connection.sessionId;
    if (sessionId !== undefined && this.connectionsBySession.get(sessionId) === connection) {
      this.connectionsBySession.delete(sessionId);
    }
  }

  private handleSessionRequest(connection: ClientConnection, header: RequestHeader, body: unknown): void {
    switch (header.type) {
      case OpCode.ping:
        // In the pipeline like any request, so the reply carries the zxid of the writes ahead of it.
        connection.read(header.xid, () => this.reply(SpecialXid.PING, OpCode.ping, ErrorCode.OK, undefined), OpCode.ping);
        return;
      case OpCode.auth: {
        // ZooKeeper handles auth packets as they arrive, outside the request pipeline, and answers with zxid 0.
        const packet = body as AuthPacket;
        const ids = authenticate(packet.scheme, packet.auth ?? new Uint8Array(0), {
          remoteAddress: connection.remoteAddress,
          superDigest: this.options.superDigest,
        });
        if (ids === undefined) {
          connection.sendNow(this.errorReply(SpecialXid.AUTH, ErrorCode.AUTH_FAILED, 0n));
          connection.close();
          return;
        }
        for (const id of ids) connection.authInfo.add(id);
        connection.sendNow(this.reply(SpecialXid.AUTH, OpCode.auth, ErrorCode.OK, undefined, 0n));
        return;
      }
      case OpCode.sasl:
        // No SASL server is configured: ZooKeeper's processSasl then answers at once with an empty token.
        connection.sendNow(this.reply(header.xid, OpCode.sasl, ErrorCode.OK, { token: null }, 0n));
        return;
      case OpCode.setWatches:
      case OpCode.setWatches2: {
        const watches = body as SetWatches2;
        // The reply echoes the request's xid (FinalRequestProcessor uses cxid): Java clients send −8,
        // others (node-zookeeper-client) number setWatches like any request and match the reply by it.
        connection.read(header.xid, () => {
          const events = this.database.tree.setWatches(Number(watches.relativeZxid), watches, connection);
          for (const delivery of events) this.deliver(delivery);
          return this.reply(header.xid, header.type, ErrorCode.OK, undefined);
        }, header.type);
        return;
      }
      default:
        connection.replyInOrder(header.xid, this.errorReply(header.xid, ErrorCode.UNIMPLEMENTED), OpCode.error);
    }
  }

  private answerRead(connection: ClientConnection, header: RequestHeader, body: unknown, auth: AuthContext): Uint8Array {
    const outcome = executeRead(this.database, connection, header.type, body, auth);
    return this.reply(header.xid, header.type, outcome.err, outcome.response);
  }

  /** A transaction committed: apply it, fire its watches, answer the client that sent it. */
  private onCommit(txn: Txn): void {
    const outcome: TxnOutcome = this.database.apply(txn);
    const zxid = BigInt(txn.zxid);
    for (const delivery of outcome.deliveries) this.deliver(delivery);
    const connection = this.connectionsBySession.get(txn.sessionId);
    switch (txn.type) {
      case OpCode.createSession:
        if (this.tracker.get(txn.sessionId) === undefined) {
          this.tracker.add(txn.sessionId, (txn.body as { timeOut: number }).timeOut, this.nowMs());
        }
        if (connection !== undefined && this.isOrigin(txn)) this.sendConnectResponse(connection, txn.sessionId, connection.sessionTimeoutMs);
        this.emit('session', 'created', txn.sessionId);
        return;
      case OpCode.closeSession: {
        this.tracker.remove(txn.sessionId);
        this.sessionOwners.delete(txn.sessionId);
        const byClient = this.closeRequested.delete(txn.sessionId);
        const origin = byClient ? this.takeOrigin(txn) : undefined;
        origin?.complete(txn.cxid, this.reply(txn.cxid, OpCode.closeSession, outcome.err, undefined, zxid));
        origin?.close();
        if (connection !== undefined) {
          this.connectionsBySession.delete(txn.sessionId);
          connection.close();
        }
        this.emit('session', byClient ? 'closed' : 'expired', txn.sessionId);
        return;
      }
    }
    if (txn.sessionId === 0n || !this.isOrigin(txn)) return;
    const origin = this.takeOrigin(txn);
    if (origin === undefined) return;
    if (txn.type === OpCode.check && outcome.err === ErrorCode.OK) {
      // A check outside a multi has no reply format: ZooKeeper fails to serialize its
      // SetDataResponse (null stat) and the connection gets no answer. No client library sends one.
      origin.close();
      return;
    }
    origin.complete(txn.cxid, this.reply(txn.cxid, txn.type, outcome.err, outcome.response, zxid));
  }

  /** True when this server received the request: only it answers the client. */
  private isOrigin(txn: Txn): boolean {
    return this.ensemble === undefined || txn.originServerId === undefined || txn.originServerId === this.ensemble.serverId;
  }

  /** Applies a transaction the ensemble committed (in zxid order). */
  applyCommitted(txn: Txn): void {
    this.onCommit(txn);
  }

  /** Swaps in a database installed from a leader's snapshot (while not serving). */
  replaceDatabase(database: ZkDatabase): void {
    this.database = database;
  }

  /**
   * Serving only while synced with a leader: when that ends, every client is
   * dropped so it fails over, and new ones are refused, as ZooKeeper does.
   */
  setServing(serving: boolean): void {
    this.serving = serving;
    if (!serving) for (const connection of this.connections) connection.close();
  }

  /** Changes who expires sessions. A new leader gives every live session a fresh timeout, as ZooKeeper's does. */
  setRole(role: PipelineRole): void {
    if (role === this.role) return;
    const becomingLeader = role === 'leader';
    this.role = role;
    if (becomingLeader) {
      const now = this.nowMs();
      for (const [sessionId, timeoutMs] of this.database.sessions) this.tracker.add(sessionId, timeoutMs, now);
    }
  }

  /** Leader: the clients of these sessions (re)connected to member `from`, which serves them now. */
  claimSessions(sessionIds: readonly bigint[], from: number): void {
    for (const sessionId of sessionIds) this.sessionOwners.set(sessionId, from);
  }

  /** Leader: sessions other members kept alive. */
  touchSessions(sessionIds: readonly bigint[]): void {
    const now = this.nowMs();
    for (const sessionId of sessionIds) {
      if (this.tracker.touch(sessionId, now)) continue;
      const timeoutMs = this.database.sessions.get(sessionId);
      if (timeoutMs !== undefined && this.tracker.get(sessionId) === undefined) this.tracker.add(sessionId, timeoutMs, now);
    }
  }

  /** Called every consensus tick by an ensemble member: relays session activity to the leader. */
  tick(): void {
    if (this.ensemble === undefined || this.role === 'leader' || this.touchedSinceRelay.size === 0) return;
    if (this.role === 'looking') {
      this.touchedSinceRelay.clear();
      return;
    }
    this.ensemble.relayTouches([...this.touchedSinceRelay]);
    this.touchedSinceRelay.clear();
  }

  private noteTouched(sessionId: bigint): void {
    if (this.ensemble !== undefined && this.role !== 'leader') this.touchedSinceRelay.add(sessionId);
  }

  /**
   * A client (re)connected here: tell the leader at once, ahead of any write this
   * connection forwards on the same peer link, so it attributes the session to us.
   */
  private claimSession(sessionId: bigint): void {
    if (this.ensemble === undefined) return;
    if (this.role === 'leader') this.sessionOwners.set(sessionId, this.ensemble.serverId);
    else this.ensemble.claimSessions([sessionId]);
  }

  /** Leader: the member whose client connection last kept the session alive, if known. */
  sessionOwner(sessionId: bigint): number | undefined {
    return this.sessionOwners.get(sessionId);
  }

  /** Sends a watch event, if the watcher may read the node: ZooKeeper 3.8 checks READ before delivering. */
  private deliver(delivery: WatchDelivery<unknown>): void {
    const connection = delivery.watcher as ClientConnection;
    if (delivery.acl !== null && !hasPermission(delivery.acl, Perms.READ, this.authContext(connection))) {
      return;
    }
    connection.sendNow(encodeWatcherEvent(NOTIFICATION_ZXID, { type: delivery.event.type, state: KeeperState.SyncConnected, path: delivery.event.path }));
  }

  private reply(xid: number, type: number, err: number, response: unknown, zxid?: bigint): Uint8Array {
    const header = { xid, zxid: zxid ?? BigInt(this.database.lastProcessedZxid), err };
    return encodeResponse(header, type as ResponseOp, err === ErrorCode.OK ? (response as never) : undefined);
  }

  private errorReply(xid: number, err: number, zxid?: bigint): Uint8Array {
    return this.reply(xid, OpCode.error, err, undefined, zxid);
  }

  /** The identities a request of this connection acts with; a `super` id (from the superDigest) grants everything. */
  private authContext(connection: ClientConnection): AuthContext {
    return { ids: connection.authIds };
  }

  /**
   * Expiry buckets fall on multiples of the tick, so the check runs right at
   * each tick boundary, as ZooKeeper's SessionTracker sleeps until the next
   * bucket: a session expires at its bucket time, not up to a tick later.
   */
  private scheduleExpiryCheck(): void {
    if (this.stopped) return;
    const tickMs = this.options.tickTimeMs;
    const delayMs = tickMs - (this.nowMs() % tickMs);
    this.expiryTimer = setTimeout(() => {
      this.expireSessions();
      this.scheduleExpiryCheck();
    }, delayMs);
    this.expiryTimer.unref();
  }

  private expireSessions(): void {
    // Only the leader (or a standalone server) owns expiry; it is a replicated closeSession.
    if (this.role !== 'standalone' && this.role !== 'leader') return;
    for (const session of this.tracker.takeExpired(this.nowMs())) {
      this.replicator.propose({
        sessionId: session.sessionId,
        cxid: 0,
        type: OpCode.closeSession,
        body: undefined,
        authIds: [],
        superUser: true,
      });
    }
  }

  private sweepContainers(): void {
    if (this.role !== 'standalone' && this.role !== 'leader') return;
    for (const path of this.database.tree.sweepCandidates(this.nowMs())) {
      this.replicator.propose({ sessionId: 0n, cxid: 0, type: OpCode.deleteContainer, body: { path }, authIds: [], superUser: true });
    }
  }

  packetSent(): void {
    this.packetsSent++;
  }

  recordLatency(latencyMs: number): void {
    this.latency.record(latencyMs);
  }

  /** Counts a four-letter word as ZooKeeper does: one packet in, and its answer one packet out. */
  countFourLetterWord(): void {
    this.packetsReceived++;
    this.packetsSent++;
  }

  /** Figures for the four-letter words and the admin endpoint. */
  stats(startedAtMs: number): ServerStats {
    const tree = this.database.tree;
    return {
      mode: this.role,
      zxid: this.database.lastProcessedZxid,
      nodeCount: tree.nodeCount,
      sessionCount: this.tracker.size,
      connectionCount: this.connections.size,
      packetsReceived: this.packetsReceived,
      packetsSent: this.packetsSent,
      outstandingRequests: [...this.connections].reduce((sum, c) => sum + c.outstandingRequests, 0),
      uptimeMs: this.nowMs() - startedAtMs,
      watchCount: tree.watchCount,
      ephemeralCount: tree.ephemeralCount,
      approximateDataSize: tree.approximateDataSize,
      latency: { min: this.latency.min, avg: this.latency.avg, max: this.latency.max },
      connections: [...this.connections].map((c) => ({
        remoteAddress: c.remoteAddress,
        remotePort: c.remotePort,
        interestOps: c.interestOps,
        transport: c.transportKind,
        sessionId: c.sessionId,
        sessionTimeoutMs: c.sessionTimeoutMs,
        packetsReceived: c.packetsReceived,
        packetsSent: c.packetsSent,
        outstandingRequests: c.outstandingRequests,
        connectedAtMs: c.connectedAtMs,
        lastOp: c.activity.lastOp,
        lastCxid: c.activity.lastCxid,
        lastZxid: c.activity.lastZxid,
        lastResponseAtMs: c.activity.lastResponseAtMs,
        lastLatencyMs: c.activity.lastLatencyMs,
        minLatencyMs: c.activity.latency.min,
        avgLatencyMs: c.activity.latency.avg,
        maxLatencyMs: c.activity.latency.max,
      })),
    };
  }

  /** What the four-letter words read, with the settings `conf` prints supplied by the server. */
  adminView(startedAtMs: number, config: () => ServerConfigFigures): AdminView {
    return {
      stats: () => this.stats(startedAtMs),
      config,
      watchCounts: () => this.watchCounts(),
      watchesBySession: () => this.watchesBySession(),
      watchesByPath: () => this.watchesByPath(),
      sessionExpiries: () => this.sessionExpiries(),
      ephemeralsBySession: () => this.ephemeralsBySession(),
      resetServerStats: () => this.resetServerStats(),
      resetConnectionStats: () => this.resetConnectionStats(),
    };
  }

  /** Standard data watches, counted as `wchs` does. */
  watchCounts(): WatchCounts {
    const summary = this.database.tree.watchSummary('data');
    return { connections: summary.watchers, paths: summary.paths, watches: summary.watches };
  }

  /** Data-watched paths per session (`wchc`). */
  watchesBySession(): Map<bigint, string[]> {
    const out = new Map<bigint, string[]>();
    for (const [watcher, paths] of this.database.tree.watchesByWatcher('data')) {
      const sessionId = (watcher as ClientConnection).sessionId;
      if (sessionId !== undefined) out.set(sessionId, [...(out.get(sessionId) ?? []), ...paths]);
    }
    return out;
  }

  /** Sessions data-watching each path (`wchp`). */
  watchesByPath(): Map<string, bigint[]> {
    const out = new Map<string, bigint[]>();
    for (const [path, watchers] of this.database.tree.watchesByPath('data')) {
      out.set(
        path,
        watchers.map((watcher) => (watcher as ClientConnection).sessionId).filter((id): id is bigint => id !== undefined),
      );
    }
    return out;
  }

  /** Live sessions by expiry bucket (`dump`). */
  sessionExpiries(): Map<number, bigint[]> {
    const out = new Map<number, bigint[]>();
    for (const session of this.tracker.list()) out.set(session.expiresAtMs, [...(out.get(session.expiresAtMs) ?? []), session.sessionId]);
    return out;
  }

  /** Ephemeral paths per session (`dump`). */
  ephemeralsBySession(): Map<bigint, string[]> {
    return this.database.tree.ephemeralsBySession();
  }

  /** `srst`: forgets the server-wide counters and latencies. */
  resetServerStats(): void {
    this.packetsReceived = 0;
    this.packetsSent = 0;
    this.latency.reset();
  }

  /** `crst`: forgets every connection's counters. */
  resetConnectionStats(): void {
    for (const connection of this.connections) connection.resetStats();
  }
}
