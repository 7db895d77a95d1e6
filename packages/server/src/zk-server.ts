import { EventEmitter } from 'node:events';
import type { ZkServerOptions, ResolvedServerOptions } from './server-options.js';
import { resolveServerOptions } from './server-options.js';
import { TcpListener } from './transport/tcp-listener.js';
import { WsListener } from './transport/ws-listener.js';
import type { FrameChannel, FrameHandler } from './transport/frame-channel.js';
import { RequestProcessor } from './pipeline/request-processor.js';
import { ZkDatabase } from './database/zk-database.js';
import { StandaloneReplicator } from './replication/standalone-replicator.js';
import { ConnectionLimiter } from './transport/connection-limiter.js';
import { answerFourLetterWord, FOUR_LETTER_WORDS } from './admin/four-letter-words.js';
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
  private readonly database = new ZkDatabase();
  private readonly processor: RequestProcessor;
  private readonly limiter: ConnectionLimiter;
  private tcpListener: TcpListener | undefined;
  private wsListener: WsListener | undefined;
  private boundTcpPort: number | undefined;
  private boundWsPort: number | undefined;
  private startedAtMs = 0;

  constructor(options: ZkServerOptions = {}) {
    super();
    this.options = resolveServerOptions(options);
    this.limiter = new ConnectionLimiter(this.options.maxClientConnections);
    this.processor = new RequestProcessor(this.database, this.options, (commit) =>
      new StandaloneReplicator(this.database.lastProcessedZxid, commit),
    );
    this.processor.on('session', (kind, sessionId) => this.emit('session', kind, sessionId));
  }

  /** Binds the ports and starts serving. Resolves once both listeners are bound. */
  async start(): Promise<void> {
    this.startedAtMs = Date.now();
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
  }

  /** Closes every connection and listener. Sessions are not closed: a restarted server resumes them if they are durable. */
  async stop(): Promise<void> {
    await this.processor.stop();
    await Promise.all([this.tcpListener?.close(), this.wsListener?.close()]);
    this.tcpListener = undefined;
    this.wsListener = undefined;
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
    if (!FOUR_LETTER_WORDS.has(word)) return undefined;
    return () => {
      const answer = answerFourLetterWord(word, this.adminView(), this.options.fourLetterWordWhitelist) ?? '';
      this.processor.countFourLetterWord();
      return answer;
    };
  }

  private adminView(): AdminView {
    return this.processor.adminView(this.startedAtMs, () => ({
      clientPort: this.tcpPort,
      dataDir: undefined,
      dataLogDir: undefined,
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
