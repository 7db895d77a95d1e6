import { EventEmitter } from 'node:events';
import { createRng, decodePeerMessage, encodePeerMessage, QuorumPeer, type LogEntry, type Ready } from '@zkts/consensus';
import { resolveServerOptions, type ResolvedServerOptions, type ZkServerOptions } from '../server-options.js';
import { ZkDatabase } from '../database/zk-database.js';
import { RequestProcessor } from '../pipeline/request-processor.js';
import { ConnectionLimiter } from '../transport/connection-limiter.js';
import { TcpListener } from '../transport/tcp-listener.js';
import { WsListener } from '../transport/ws-listener.js';
import type { FrameChannel, FrameHandler } from '../transport/frame-channel.js';
import { fourLetterWordResponder } from '../admin/four-letter-words.js';
import { decodeTxn } from '../storage/txn-codec.js';
import { EnsembleReplicator } from './ensemble-replicator.js';
import { AdminHttpServer } from '../admin/admin-http-server.js';
import { ADMIN_COMMANDS, answerAdminCommand } from '../admin/admin-commands.js';
import { PeerChannel, PeerNetwork, type PeerAddress } from './peer-network.js';
import { decodeServerMessage, encodeServerMessage } from './server-messages.js';
import { encodeDatabaseSnapshot, restoreDatabaseSnapshot } from './database-snapshot.js';
import { EnsembleState, type EnsembleStorage } from './ensemble-state.js';
import { assert } from '../util/assert.js';

/** One member of an ensemble as the other members and clients reach it. */
export interface EnsembleMember {
  id: number;
  host: string;
  /** Port of the peer (quorum) WebSocket listener. */
  quorumPort: number;
  role: 'participant' | 'observer';
}

/** Settings of one ensemble member. Client-side options are those of a standalone server. */
export interface QuorumServerOptions extends ZkServerOptions {
  /** This server's id (`myid`). */
  serverId: number;
  /** Every member, this one included. */
  members: readonly EnsembleMember[];
  /** Ticks (of `tickTimeMs`) a follower may take to connect and sync (zoo.cfg `initLimit`). Default 10. */
  initLimit?: number;
  /** Ticks of silence after which leader and follower give up on each other (zoo.cfg `syncLimit`). Default 5. */
  syncLimit?: number;
  /** Granularity of the consensus clock. Default 25 ms. */
  consensusTickMs?: number;
  /** How long an election waits for a better vote once a quorum agrees. Default 50 ms (ZooKeeper: 200 ms). */
  electionFinalizeWaitMs?: number;
  /**
   * How often a LOOKING member re-sends its vote and a new follower its FOLLOWERINFO while
   * unanswered. Default 50 ms: a follower that decided before its leader did is heard quickly.
   */
  electionResendMs?: number;
  /** Committed transactions kept to sync a lagging follower by DIFF; beyond it, SNAP. Default 100 000. */
  maxLogEntriesForDiff?: number;
  /** Durable state: epochs and log. Default: in memory (kept across `stop`/`start` of this object). */
  storage?: EnsembleStorage;
}

/** Events of an ensemble member. */
export interface QuorumServerEvents {
  /** The member's role changed. */
  state: [state: 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING', leaderId: number | undefined, epoch: number];
}

/** The mode `srvr` and `zk-server status` print. */
export type ServerMode = 'leader' | 'follower' | 'observer' | 'looking';

/**
 * A zkts server that is a member of an ensemble: the standalone request
 * pipeline, with writes ordered by ZAB (`@zkts/consensus`) across the members.
 * The consensus core is pure; this class is its driver: it feeds it ticks and
 * peer messages, persists what it asks before sending its acks, applies its
 * commits to the database and serves clients only while in broadcast.
 */
export class QuorumServer extends EventEmitter<QuorumServerEvents> {
  readonly options: ResolvedServerOptions;
  readonly serverId: number;
  private database: ZkDatabase;
  private peer!: QuorumPeer;
  private processor!: RequestProcessor;
  private replicator!: EnsembleReplicator;
  private network!: PeerNetwork;
  private readonly limiter: ConnectionLimiter;
  private readonly state: EnsembleState;
  private tcpListener: TcpListener | undefined;
  private wsListener: WsListener | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private adminServer: AdminHttpServer | undefined;
  private boundAdminPort: number | undefined;
  private boundTcpPort: number | undefined;
  private boundWsPort: number | undefined;
  private processingReady = false;
  private kickAgain = false;
  private lastSoftState = '';
  private serving = false;
  private running = false;
  private startedAtMs = 0;
  private readonly consensusTickMs: number;

  constructor(private readonly quorumOptions: QuorumServerOptions) {
    super();
    this.serverId = quorumOptions.serverId;
    this.options = resolveServerOptions({ ...quorumOptions, serverId: quorumOptions.serverId });
    this.limiter = new ConnectionLimiter(this.options.maxClientConnections);
    this.consensusTickMs = quorumOptions.consensusTickMs ?? 25;
    this.state = new EnsembleState(quorumOptions.storage);
    this.database = new ZkDatabase({ extendedTypesEnabled: this.options.extendedTypesEnabled });
    assert(
      quorumOptions.members.some((member) => member.id === this.serverId),
      `server ${this.serverId} is not among the members`,
    );
  }

  /** Starts peer links, the election and the client listeners (which refuse clients until synced). */
  async start(): Promise<void> {
    assert(!this.running, 'server already running');
    this.running = true;
    this.startedAtMs = Date.now();
    const recovered = await this.state.recover(this.options.extendedTypesEnabled);
    this.database = recovered.database ?? new ZkDatabase({ extendedTypesEnabled: this.options.extendedTypesEnabled });
    const ticksOf = (ms: number) => Math.max(1, Math.round(ms / this.consensusTickMs));
    const members = this.quorumOptions.members;
    this.peer = new QuorumPeer({
      myId: this.serverId,
      voters: members.filter((m) => m.role === 'participant').map((m) => m.id),
      observers: members.filter((m) => m.role === 'observer').map((m) => m.id),
      initLimit: ticksOf((this.quorumOptions.initLimit ?? 10) * this.options.tickTimeMs),
      syncLimit: ticksOf((this.quorumOptions.syncLimit ?? 5) * this.options.tickTimeMs),
      finalizeWaitTicks: ticksOf(this.quorumOptions.electionFinalizeWaitMs ?? 50),
      electionResendTicks: ticksOf(this.quorumOptions.electionResendMs ?? 50),
      maxLogEntriesForDiff: this.quorumOptions.maxLogEntriesForDiff ?? 100_000,
      // Forwarded writes beyond this per Ready are dropped by the core; the pipeline then drops
      // the client's connection. Sized well above what the per-connection bounds let through.
      outstandingProposalsMax: 20_000,
      persisted: {
        acceptedEpoch: recovered.acceptedEpoch,
        currentEpoch: recovered.currentEpoch,
        log: recovered.log,
        snapshotZxid: recovered.snapshotZxid,
      },
      rng: createRng((Date.now() ^ (this.serverId << 20)) >>> 0),
    });
    this.replicator = new EnsembleReplicator(this.peer, this.serverId, () => this.kick(), (sessionId) => this.processor.sessionOwner(sessionId));
    this.processor = new RequestProcessor(this.database, this.options, () => this.replicator, Date.now, {
      serverId: this.serverId,
      relayTouches: (ids) => this.relayToLeader('touch', ids),
      claimSessions: (ids) => this.relayToLeader('claim', ids),
    });
    this.processor.setRole('looking');
    const self = members.find((m) => m.id === this.serverId)!;
    const toAddress = (m: EnsembleMember): PeerAddress => ({ id: m.id, host: m.host, port: m.quorumPort });
    this.network = new PeerNetwork(
      this.serverId,
      toAddress(self),
      members.filter((m) => m.id !== this.serverId).map(toAddress),
      {
        onMessage: (from, channel, payload) => this.onPeerMessage(from, channel, payload),
        onDisconnected: (id) => {
          this.peer.peerDisconnected(id);
          this.kick();
        },
      },
    );
    await this.network.start();
    await this.startClientListeners();
    if (this.quorumOptions.adminPort !== undefined) {
      this.adminServer = new AdminHttpServer(ADMIN_COMMANDS, (command) => this.adminCommand(command));
      this.boundAdminPort = await this.adminServer.listen(this.quorumOptions.adminPort, this.options.host);
    }
    this.processor.start();
    this.tickTimer = setInterval(() => {
      this.peer.tick();
      this.processor.tick();
      this.kick();
    }, this.consensusTickMs);
    this.kick();
  }

  /** Stops everything. Durable state stays in the storage, so `start` again resumes from it. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.tickTimer);
    this.serving = false;
    await this.processor.stop();
    await this.network.close();
    await Promise.all([this.tcpListener?.close(), this.wsListener?.close(), this.adminServer?.close()]);
    this.tcpListener = undefined;
    this.wsListener = undefined;
    this.adminServer = undefined;
    await this.processingIdle();
    await this.state.close();
  }

  /** Resolves once no Ready is being persisted. */
  private async processingIdle(): Promise<void> {
    while (this.processingReady) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Cuts peer traffic with these members (test partitions). */
  isolateFrom(ids: Iterable<number>): void {
    this.network.block(ids);
  }

  /** Restores peer traffic with every member. */
  heal(): void {
    this.network.unblockAll();
  }

  /** LOOKING, FOLLOWING, LEADING or OBSERVING. */
  get peerState(): 'LOOKING' | 'FOLLOWING' | 'LEADING' | 'OBSERVING' {
    return this.peer.state;
  }

  /** The mode `srvr` reports: a member that is not synced with a leader (not serving) is `looking`. */
  get mode(): ServerMode {
    if (!this.serving) return 'looking';
    switch (this.peer.state) {
      case 'LEADING':
        return 'leader';
      case 'FOLLOWING':
        return 'follower';
      case 'OBSERVING':
        return 'observer';
      default:
        return 'looking';
    }
  }

  /** True while the member is synced with a leader and answers clients. */
  get isServing(): boolean {
    return this.serving;
  }

  /** The current epoch. */
  get epoch(): number {
    return this.peer.epoch;
  }

  get leaderId(): number | undefined {
    return this.peer.leaderId;
  }

  get tcpPort(): number {
    assert(this.boundTcpPort !== undefined, 'server is not started');
    return this.boundTcpPort;
  }

  get wsPort(): number | undefined {
    return this.boundWsPort;
  }

  get connectString(): string {
    const host = this.options.host.includes(':') ? `[${this.options.host}]` : this.options.host;
    return `${host}:${this.tcpPort}`;
  }

  /** Zxid of the last applied transaction. */
  get lastProcessedZxid(): number {
    return this.database.lastProcessedZxid;
  }

  /** Digest of the tree, to compare members. */
  treeDigest(): string {
    return this.database.digestHex();
  }

  private async startClientListeners(): Promise<void> {
    const accept = (channel: FrameChannel): FrameHandler | undefined => {
      if (!this.limiter.tryAcquire(channel.remoteAddress)) return undefined;
      const connection = this.processor.accept(channel);
      return {
        onFrame: (frame) => connection.onFrame(frame),
        onClose: () => {
          this.limiter.release(channel.remoteAddress);
          connection.onClose();
        },
      };
    };
    this.tcpListener = new TcpListener({ accept, fourLetterWord: (word) => this.answerFourLetterWord(word) }, this.options.maxFrameBytes);
    this.boundTcpPort = await this.tcpListener.listen(this.options.tcpPort, this.options.host);
    if (this.options.wsPort !== null) {
      this.wsListener = new WsListener({ accept }, this.options.maxFrameBytes);
      this.boundWsPort = await this.wsListener.listen(this.options.wsPort, this.options.host);
    }
  }

  /** The bound HTTP admin port, when enabled. */
  get adminPort(): number | undefined {
    return this.boundAdminPort;
  }

  private adminCommand(command: string): Record<string, unknown> | undefined {
    return answerAdminCommand(command, {
      stats: { ...this.processor.stats(this.startedAtMs), mode: this.mode },
      serverId: this.serverId,
      zxid: this.database.lastProcessedZxid,
      digest: this.treeDigest(),
      tickTimeMs: this.options.tickTimeMs,
      clientPort: this.boundTcpPort,
      epoch: this.peer.epoch,
      leaderId: this.peer.leaderId,
      isLeader: this.peer.state === 'LEADING',
    });
  }

  private answerFourLetterWord(word: string): (() => string) | undefined {
    const view = () =>
      this.processor.adminView(this.startedAtMs, () => ({
        clientPort: this.tcpPort,
        dataDir: undefined,
        dataLogDir: undefined,
        tickTimeMs: this.options.tickTimeMs,
        maxClientConnections: this.options.maxClientConnections,
        minSessionTimeoutMs: this.options.minSessionTimeoutMs,
        maxSessionTimeoutMs: this.options.maxSessionTimeoutMs,
        serverId: this.serverId,
      }));
    return fourLetterWordResponder(word, view, this.options.fourLetterWordWhitelist, () => this.processor.countFourLetterWord());
  }

  private onPeerMessage(from: number, channel: number, payload: Uint8Array): void {
    if (!this.running) return;
    if (channel === PeerChannel.CONSENSUS) {
      let message;
      try {
        message = decodePeerMessage(payload);
      } catch {
        return; // A garbled peer message is dropped; ZAB recovers from loss.
      }
      this.peer.step(from, message);
      this.kick();
      return;
    }
    if (channel === PeerChannel.SERVER) {
      const message = decodeServerMessage(payload);
      if (message === undefined || this.peer.state !== 'LEADING') return;
      if (message.type === 'claim') this.processor.claimSessions(message.sessionIds, from);
      this.processor.touchSessions(message.sessionIds);
    }
  }

  private relayToLeader(type: 'touch' | 'claim', sessionIds: bigint[]): void {
    const leaderId = this.peer.leaderId;
    if (leaderId === undefined || leaderId === this.serverId || sessionIds.length === 0) return;
    this.network.send(leaderId, PeerChannel.SERVER, encodeServerMessage({ type, sessionIds }));
  }

  /** Runs the Ready loop: persist, send, apply, advance; repeats while the core has more. */
  private kick(): void {
    if (this.processingReady) {
      this.kickAgain = true;
      return;
    }
    this.processingReady = true;
    void this.processReadyLoop().finally(() => {
      this.processingReady = false;
    });
  }

  private async processReadyLoop(): Promise<void> {
    do {
      this.kickAgain = false;
      if (this.peer.state === 'LEADING') this.replicator.drainWaiting();
      while (this.running && this.peer.hasReady()) {
        const rd = this.peer.ready();
        await this.handleReady(rd);
        if (!this.running) return;
        this.peer.advance(rd);
      }
    } while (this.kickAgain && this.running);
  }

  private async handleReady(rd: Ready): Promise<void> {
    // Durable before anything is sent: a follower's ACK must never precede its fsync.
    if (rd.persist.snapshot !== undefined) {
      this.database = restoreDatabaseSnapshot(rd.persist.snapshot.data, this.options);
      this.processor.replaceDatabase(this.database);
    }
    await this.state.persist(rd.persist, this.database);
    for (const { to, msg } of rd.messages) this.network.send(to, PeerChannel.CONSENSUS, encodePeerMessage(msg));
    for (const entry of rd.commits) this.applyCommit(entry);
    this.replicator.syncsDone(rd.syncsDone);
    this.replicator.syncsFailed(rd.syncsFailed);
    for (const request of rd.snapshotRequests) {
      this.peer.provideSnapshot(request.to, { zxid: this.database.lastProcessedZxid, data: encodeDatabaseSnapshot(this.database) });
    }
    for (const request of rd.requests) this.replicator.proposeForwarded(request.data, request.from, decodeTxn);
    this.updateRole(rd);
  }

  private applyCommit(entry: LogEntry): void {
    if (entry.zxid <= this.database.lastProcessedZxid) return; // already in the restored snapshot
    const txn = { ...decodeTxn(entry.data), zxid: entry.zxid };
    this.processor.applyCommitted(txn);
  }

  private updateRole(rd: Ready): void {
    const softState = `${rd.state}/${rd.phase}/${rd.leaderId}/${rd.epoch}`;
    if (softState === this.lastSoftState) return;
    this.lastSoftState = softState;
    const serving = rd.phase === 'BROADCAST' && rd.state !== 'LOOKING';
    if (serving !== this.serving) {
      this.serving = serving;
      // Without a leader or quorum this member must not answer: drop clients so they fail over.
      if (!serving) this.replicator.dropWaiting();
      this.processor.setServing(serving);
    }
    this.processor.setRole(rd.state === 'LEADING' ? 'leader' : rd.state === 'FOLLOWING' ? 'follower' : rd.state === 'OBSERVING' ? 'observer' : 'looking');
    this.emit('state', rd.state, rd.leaderId, rd.epoch);
  }
}
