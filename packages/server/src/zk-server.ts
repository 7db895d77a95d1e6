import { EventEmitter } from 'node:events';
import type { ZkServerOptions, ResolvedServerOptions } from './server-options.js';
import { resolveServerOptions } from './server-options.js';
import { TcpListener } from './transport/tcp-listener.js';
import { WsListener } from './transport/ws-listener.js';
import type { FrameChannel, FrameHandler } from './transport/frame-channel.js';
import { RequestProcessor } from './pipeline/request-processor.js';
import { ZkDatabase } from './database/zk-database.js';
import { StandaloneReplicator } from './replication/standalone-replicator.js';
import { FileStorage } from './storage/file-storage.js';
import type { Storage } from './storage/storage.js';
import { startAutoPurge, type AutoPurgeTask } from './storage/purge.js';
import { recoverStandaloneDatabase } from './storage/durable-database.js';
import { SnapshotScheduler } from './storage/snapshot-scheduler.js';
import type { DurabilityOptions } from './server-options.js';
import { AdminHttpServer } from './admin/admin-http-server.js';
import { ADMIN_COMMANDS, answerAdminCommand } from './admin/admin-commands.js';
import { ConnectionLimiter } from './transport/connection-limiter.js';
import { fourLetterWordResponder } from './admin/four-letter-words.js';
import type { AdminView, ServerStats } from './admin/server-stats.js';

/** Events a server emits. */
export interface ZkServerEvents {
  /** A session was created, resumed or closed, for logs and tests. */
  session: [kind: 'created' | 'closed' | 'expired', sessionId: bigint];
}

/**
 * A standalone zkts server: the znode tree, sessions and watches behind
 * ZooKeeper's wire protocol on a raw TCP port and a WebSocket port.
 *
 * @example
 * ```ts
 * const server = new ZkServer({ tcpPort: 0, wsPort: 0 });
 * await server.start();
 * console.log(server.connectString); // 127.0.0.1:<port>
 * await server.stop();
 * ```
 */
export class ZkServer extends EventEmitter<ZkServerEvents> {
  /** The options in force, defaults applied. */
  readonly options: ResolvedServerOptions;
  private database: ZkDatabase;
  private processor!: RequestProcessor;
  private storage: Storage | undefined;
  private snapshots: SnapshotScheduler | undefined;
  private autoPurge: AutoPurgeTask | undefined;
  private readonly limiter: ConnectionLimiter;
  private tcpListener: TcpListener | undefined;
  private wsListener: WsListener | undefined;
  private boundTcpPort: number | undefined;
  private boundWsPort: number | undefined;
  private startedAtMs = 0;
  private stopping = false;
  private adminServer: AdminHttpServer | undefined;
  private boundAdminPort: number | undefined;
  private readonly durability: DurabilityOptions & { adminPort?: number };

  constructor(options: ZkServerOptions = {}) {
    super();
    this.options = resolveServerOptions(options);
    this.durability = options;
    this.limiter = new ConnectionLimiter(this.options.maxClientConnections);
    this.database = new ZkDatabase({ extendedTypesEnabled: this.options.extendedTypesEnabled });
  }

  /**
   * With a `dataDir`, recovers the database from the newest valid snapshot and
   * the log after it, and makes every write durable (fsync) before it is
   * acknowledged. Without one, the server keeps its data in memory only.
   */
  private async openStorage(): Promise<void> {
    const durability = this.durability;
    if (durability.dataDir === undefined) return;
    const storage = await FileStorage.open({
      dataDir: durability.dataDir,
      ...(durability.dataLogDir === undefined ? {} : { dataLogDir: durability.dataLogDir }),
      forceSync: durability.forceSync ?? true,
    });
    const recovered = await recoverStandaloneDatabase(storage, this.options.extendedTypesEnabled);
    this.database = recovered.state;
    this.storage = storage;
    this.snapshots = new SnapshotScheduler(storage, durability.snapCount ?? 100_000);
    // As ZooKeeper's loadData: a fresh snapshot once the log had to be replayed, so the next start is quick.
    if (recovered.snapshotFile === null || recovered.txnsAfterSnapshot > 0) await this.snapshots.takeNow(this.database);
    this.autoPurge = startAutoPurge(storage, {
      snapRetainCount: durability.snapRetainCount ?? 3,
      purgeIntervalHours: durability.purgeIntervalHours ?? 0,
    });
  }

  /** Binds the ports and starts serving. Resolves once both listeners are bound. */
  async start(): Promise<void> {
    this.startedAtMs = Date.now();
    await this.openStorage();
    this.processor = new RequestProcessor(this.database, this.options, (commit) =>
      new StandaloneReplicator(
        this.database.lastProcessedZxid,
        (txn) => {
          commit(txn);
          this.snapshots?.afterCommit(this.database);
        },
        this.storage,
        (error) => {
          // ZooKeeper exits when its log cannot be made durable; we stop serving rather than acknowledge anything.
          console.error(`zkts: transaction log failed, stopping: ${(error as Error).message}`);
          void this.stop();
        },
      ),
    );
    this.processor.on('session', (kind, sessionId) => this.emit('session', kind, sessionId));
    this.processor.start();
    const accept = (channel: FrameChannel): FrameHandler | undefined => {
      if (!this.limiter.tryAcquire(channel.remoteAddress)) return undefined;
      const connection = this.processor.accept(channel);
      return {
        onFrame: (frame) => connection.onFrame(frame),
        onFourLetterWord: () => connection.onFourLetterWord(),
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
    if (this.durability.adminPort !== undefined) {
      this.adminServer = new AdminHttpServer(ADMIN_COMMANDS, (command) =>
        answerAdminCommand(command, {
          stats: this.processor.stats(this.startedAtMs),
          serverId: this.options.serverId,
          zxid: this.database.lastProcessedZxid,
          digest: this.treeDigest(),
          tickTimeMs: this.options.tickTimeMs,
          clientPort: this.boundTcpPort,
        }),
      );
      this.boundAdminPort = await this.adminServer.listen(this.durability.adminPort, this.options.host);
    }
  }

  /** Closes every connection and listener. Sessions are not closed: a restarted server resumes them if they are durable. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    await this.processor?.stop();
    await Promise.all([this.tcpListener?.close(), this.wsListener?.close(), this.adminServer?.close()]);
    this.tcpListener = undefined;
    this.wsListener = undefined;
    this.adminServer = undefined;
    this.autoPurge?.stop();
    await this.snapshots?.idle();
    await this.storage?.close();
    this.storage = undefined;
  }

  /** The bound HTTP admin port, when `adminPort` was given. */
  get adminPort(): number | undefined {
    return this.boundAdminPort;
  }

  /** The bound TCP client port. */
  get tcpPort(): number {
    if (this.boundTcpPort === undefined) throw new Error('server is not started');
    return this.boundTcpPort;
  }

  /** The bound WebSocket port, or undefined when WebSocket is disabled. */
  get wsPort(): number | undefined {
    return this.boundWsPort;
  }

  /** `host:port` of the TCP port, as a ZooKeeper connect string. */
  get connectString(): string {
    return `${formatHost(this.options.host)}:${this.tcpPort}`;
  }

  /** `ws://host:port` of the WebSocket port. */
  get wsUrl(): string | undefined {
    return this.boundWsPort === undefined ? undefined : `ws://${formatHost(this.options.host)}:${this.boundWsPort}`;
  }

  private answerFourLetterWord(word: string): (() => string) | undefined {
    return fourLetterWordResponder(word, () => this.adminView(), this.options.fourLetterWordWhitelist, () => this.processor.countFourLetterWord());
  }

  private adminView(): AdminView {
    return this.processor.adminView(this.startedAtMs, () => ({
      clientPort: this.tcpPort,
      dataDir: this.durability.dataDir,
      dataLogDir: this.durability.dataLogDir ?? this.durability.dataDir,
      tickTimeMs: this.options.tickTimeMs,
      maxClientConnections: this.options.maxClientConnections,
      minSessionTimeoutMs: this.options.minSessionTimeoutMs,
      maxSessionTimeoutMs: this.options.maxSessionTimeoutMs,
      serverId: this.options.serverId,
    }));
  }

  /** The figures behind the four-letter words (`srvr`, `cons`, `mntr`): counts, latencies, connections. */
  stats(): ServerStats {
    return this.processor.stats(this.startedAtMs);
  }

  /** A digest of the tree, to compare servers. */
  treeDigest(): string {
    return this.database.digestHex();
  }
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
