import { EventEmitter } from 'node:events';
import {
  decodeConnectRequest,
  decodeRequest,
  encodeConnectResponse,
  encodeResponse,
  encodeWatcherEvent,
  ErrorCode,
  KeeperState,
  OpCode,
  ProtocolError,
  SpecialXid,
  type ConnectRequest,
  type RequestHeader,
  type SetWatches2,
  type ResponseOp,
  Perms,
} from '@zkts/protocol';
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
import { executeRead } from './execute-read.js';
import type { ServerStats } from '../admin/server-stats.js';

/** Events the processor reports to its server. */
export interface RequestProcessorEvents {
  session: [kind: 'created' | 'closed' | 'expired', sessionId: bigint];
}

const EMPTY_PASSWORD = new Uint8Array(16);

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
  private expiryTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private packetsReceived = 0;
  private packetsSent = 0;

  constructor(
    private readonly database: ZkDatabase,
    private readonly options: ResolvedServerOptions,
    createReplicator: (onCommit: (txn: Txn) => void) => Replicator,
    private readonly nowMs: () => number = Date.now,
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
    this.expiryTimer = setInterval(() => this.expireSessions(), this.options.tickTimeMs);
    this.expiryTimer.unref();
    this.sweepTimer = setInterval(() => this.sweepContainers(), this.options.containerCheckIntervalMs);
    this.sweepTimer.unref();
  }

  /** Stops timers and closes every connection. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.expiryTimer);
    clearInterval(this.sweepTimer);
    for (const connection of this.connections) connection.close();
    await this.replicator.close();
  }

  /** A new transport connection. */
  accept(channel: FrameChannel): ClientConnection {
    const connection = new ClientConnection(channel, this, this.options.maxOutstandingRequests, this.nowMs());
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
    if (this.stopped) {
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
    connection.lastZxidSeen = request.lastZxidSeen;
    connection.awaitReply(0);
    if (request.sessionId === 0n) {
      const sessionId = this.idGenerator.nextId();
      connection.sessionId = sessionId;
      this.connectionsBySession.set(sessionId, connection);
      this.tracker.add(sessionId, timeoutMs, this.nowMs());
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
    const tracked = this.tracker.get(sessionId);
    const valid =
      tracked !== undefined && !tracked.closing && isSessionPasswordValid(sessionId, request.passwd) && this.database.sessions.has(sessionId);
    if (!valid) {
      // ZooKeeper answers an expired or unknown session with timeOut 0, then closes.
      connection.complete(0, encodeConnectResponse({ protocolVersion: 0, timeOut: 0, sessionId: 0n, passwd: EMPTY_PASSWORD, readOnly: false }));
      connection.close();
      return;
    }
    this.tracker.touch(sessionId, this.nowMs());
    const previous = this.connectionsBySession.get(sessionId);
    if (previous !== undefined && previous !== connection) {
      this.connectionsBySession.delete(sessionId);
      previous.sessionId = undefined;
      previous.close();
    }
    connection.sessionId = sessionId;
    this.connectionsBySession.set(sessionId, connection);
    this.sendConnectResponse(connection, sessionId, timeoutMs);
  }

  private sendConnectResponse(connection: ClientConnection, sessionId: bigint, timeoutMs: number): void {
    connection.complete(
      0,
      encodeConnectResponse({ protocolVersion: 0, timeOut: timeoutMs, sessionId, passwd: sessionPassword(sessionId), readOnly: false }),
    );
  }

  handleRequest(connection: ClientConnection, frame: Uint8Array): void {
    this.packetsReceived++;
    const sessionId = connection.sessionId;
    if (sessionId === undefined) {
      connection.close();
      return;
    }
    let header: RequestHeader;
    let body: unknown;
    try {
      ({ header, body } = decodeRequest(frame));
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error;
      // A frame we cannot parse leaves the stream unusable: close this connection only.
      connection.close();
      return;
    }
    if (!this.tracker.touch(sessionId, this.nowMs())) {
      connection.replyInOrder(header.xid, this.errorReply(header.xid, ErrorCode.SESSION_EXPIRED));
      connection.close();
      return;
    }
    const kind = opKind(header.type);
    switch (kind) {
      case 'session':
        this.handleSessionRequest(connection, header, body);
        return;
      case 'read':
        connection.read(header.xid, () => this.answerRead(connection, header, body));
        return;
      case 'sync':
        connection.awaitReply(header.xid);
        this.replicator.sync(() => {
          connection.complete(header.xid, this.reply(header.xid, OpCode.sync, ErrorCode.OK, body));
        });
        return;
      case 'write':
        if (header.type === OpCode.reconfig) {
          connection.replyInOrder(header.xid, this.errorReply(header.xid, ErrorCode.RECONFIG_DISABLED));
          return;
        }
        if (header.type === OpCode.closeSession) this.tracker.markClosing(sessionId);
        connection.awaitReply(header.xid);
        this.replicator.propose({
          sessionId,
          cxid: header.xid,
          type: header.type,
          body,
          authIds: connection.authIds,
          superUser: this.isSuperUser(connection),
        });
        return;
      default:
        connection.replyInOrder(header.xid, this.errorReply(header.xid, ErrorCode.UNIMPLEMENTED));
    }
  }

  handleClosed(connection: ClientConnection): void {
    this.connections.delete(connection);
    this.database.tree.removeWatcher(connection);
    const sessionId = connection.sessionId;
    if (sessionId !== undefined && this.connectionsBySession.get(sessionId) === connection) {
      this.connectionsBySession.delete(sessionId);
    }
  }

  private handleSessionRequest(connection: ClientConnection, header: RequestHeader, body: unknown): void {
    switch (header.type) {
      case OpCode.ping:
        connection.replyInOrder(header.xid, this.reply(SpecialXid.PING, OpCode.ping, ErrorCode.OK, undefined));
        return;
      case OpCode.auth: {
        const packet = body as { scheme: string; auth: Uint8Array | null };
        const id = authenticate(packet.scheme, packet.auth ?? new Uint8Array(0));
        if (id === undefined) {
          connection.replyInOrder(SpecialXid.AUTH, this.errorReply(SpecialXid.AUTH, ErrorCode.AUTH_FAILED));
          connection.close();
          return;
        }
        if (!connection.authIds.some((existing) => existing.scheme === id.scheme && existing.id === id.id)) connection.authIds.push(id);
        connection.replyInOrder(SpecialXid.AUTH, this.reply(SpecialXid.AUTH, OpCode.auth, ErrorCode.OK, undefined));
        return;
      }
      case OpCode.setWatches:
      case OpCode.setWatches2: {
        const watches = body as SetWatches2;
        connection.read(SpecialXid.SET_WATCHES, () => {
          const events = this.database.tree.setWatches(Number(watches.relativeZxid), watches, connection);
          for (const delivery of events) this.deliver(delivery);
          return this.reply(SpecialXid.SET_WATCHES, header.type, ErrorCode.OK, undefined);
        });
        return;
      }
      default:
        connection.replyInOrder(header.xid, this.errorReply(header.xid, ErrorCode.UNIMPLEMENTED));
    }
  }

  private answerRead(connection: ClientConnection, header: RequestHeader, body: unknown): Uint8Array {
    const outcome = executeRead(this.database, connection, header.type, body, {
      ids: connection.authIds,
      superUser: this.isSuperUser(connection),
    });
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
        if (connection !== undefined) this.sendConnectResponse(connection, txn.sessionId, connection.sessionTimeoutMs);
        this.emit('session', 'created', txn.sessionId);
        return;
      case OpCode.closeSession:
        this.tracker.remove(txn.sessionId);
        if (connection !== undefined) {
          if (txn.cxid !== 0) connection.complete(txn.cxid, this.reply(txn.cxid, OpCode.closeSession, outcome.err, undefined, zxid));
          this.connectionsBySession.delete(txn.sessionId);
          connection.close();
        }
        this.emit('session', txn.cxid === 0 ? 'expired' : 'closed', txn.sessionId);
        return;
      default:
        if (connection !== undefined && txn.sessionId !== 0n) {
          connection.complete(txn.cxid, this.reply(txn.cxid, txn.type, outcome.err, outcome.response, zxid));
        }
    }
  }

  /** Sends a watch event, if the watcher may read the node: ZooKeeper 3.8 checks READ before delivering. */
  private deliver(delivery: WatchDelivery<unknown>): void {
    const connection = delivery.watcher as ClientConnection;
    if (delivery.acl !== null && !hasPermission(delivery.acl, Perms.READ, { ids: connection.authIds, superUser: this.isSuperUser(connection) })) {
      return;
    }
    connection.sendNow(encodeWatcherEvent(NOTIFICATION_ZXID, { type: delivery.event.type, state: KeeperState.SyncConnected, path: delivery.event.path }));
  }

  private reply(xid: number, type: number, err: number, response: unknown, zxid?: bigint): Uint8Array {
    this.packetsSent++;
    const header = { xid, zxid: zxid ?? BigInt(this.database.lastProcessedZxid), err };
    return encodeResponse(header, type as ResponseOp, err === ErrorCode.OK ? (response as never) : undefined);
  }

  private errorReply(xid: number, err: number): Uint8Array {
    return this.reply(xid, OpCode.error, err, undefined);
  }

  private isSuperUser(connection: ClientConnection): boolean {
    const superDigest = this.options.superDigest;
    return superDigest !== undefined && connection.authIds.some((id) => id.scheme === 'digest' && id.id === superDigest);
  }

  private expireSessions(): void {
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
    for (const path of this.database.tree.sweepCandidates(this.nowMs())) {
      this.replicator.propose({ sessionId: 0n, cxid: 0, type: OpCode.deleteContainer, body: { path }, authIds: [], superUser: true });
    }
  }

  /** Figures for the four-letter words and the admin endpoint. */
  stats(startedAtMs: number): ServerStats {
    return {
      mode: 'standalone',
      zxid: this.database.lastProcessedZxid,
      nodeCount: this.database.tree.nodeCount,
      sessionCount: this.tracker.size,
      connectionCount: this.connections.size,
      packetsReceived: this.packetsReceived,
      packetsSent: this.packetsSent,
      outstandingRequests: [...this.connections].reduce((sum, c) => sum + c.outstandingRequests, 0),
      uptimeMs: this.nowMs() - startedAtMs,
      watchCount: this.database.tree.watchCount,
      ephemeralCount: this.database.tree.ephemeralCount,
      connections: [...this.connections].map((c) => ({
        remoteAddress: c.remoteAddress,
        transport: c.transportKind,
        sessionId: c.sessionId,
        sessionTimeoutMs: c.sessionTimeoutMs,
        packetsReceived: c.packetsReceived,
        packetsSent: c.packetsSent,
        outstandingRequests: c.outstandingRequests,
      })),
    };
  }
}
