import { DEFAULT_MAX_FRAME_BYTES } from '@zkts/protocol';

/** Settings of one zkts server. Names follow zoo.cfg's keys, with units last. */
export interface ZkServerOptions extends DurabilityOptions {
  /** Address the client listeners bind (zoo.cfg `clientPortAddress`). Default `127.0.0.1`. */
  host?: string;
  /** Raw TCP client port with ZooKeeper framing (zoo.cfg `clientPort`); 0 picks a free port. Default 2181. */
  tcpPort?: number;
  /** WebSocket client port, one frame per binary message; 0 picks a free port, `null` disables it. Default 0. */
  wsPort?: number | null;
  /** The basic time unit (zoo.cfg `tickTime`). Default 2000 ms. */
  tickTimeMs?: number;
  /** Smallest session timeout granted (zoo.cfg `minSessionTimeout`). Default 2 × tickTime. */
  minSessionTimeoutMs?: number;
  /** Largest session timeout granted (zoo.cfg `maxSessionTimeout`). Default 20 × tickTime. */
  maxSessionTimeoutMs?: number;
  /** Largest frame accepted or sent (`jute.maxbuffer`). Default 1 MiB − 1. */
  maxFrameBytes?: number;
  /** Requests one connection may have unanswered before the server stops reading from it. Default 1000. */
  maxOutstandingRequests?: number;
  /** Concurrent connections allowed from one client IP (zoo.cfg `maxClientCnxns`); 0 means no limit. Default 60. */
  maxClientConnections?: number;
  /** This server's id (`myid`); it is the top byte of the session ids it creates. Default 1. */
  serverId?: number;
  /** `user:base64(sha1(user:password))` of the superuser (`DigestAuthenticationProvider.superDigest`). */
  superDigest?: string;
  /** Allow TTL nodes (`zookeeper.extendedTypesEnabled`). Default true. */
  extendedTypesEnabled?: boolean;
  /** Interval of the container and TTL sweep (`znode.container.checkIntervalMs`). Default 60 000 ms. */
  containerCheckIntervalMs?: number;
  /**
   * How long a new connection may take to send its connect request before it is closed
   * (`zookeeper.nio.sessionlessCnxnTimeout`). Default 10 000 ms.
   */
  sessionlessConnectionTimeoutMs?: number;
  /** Port of the HTTP admin endpoint (`/commands/<name>`, ZooKeeper's `admin.serverPort`); undefined disables it, 0 picks one. */
  adminPort?: number;
  /**
   * Four-letter words answered on the TCP port (`4lw.commands.whitelist`); `*` enables all.
   * Default `['*']` (ZooKeeper's own default is `['srvr']`).
   */
  fourLetterWordWhitelist?: string[];
}

/** Where and how a server keeps its data (zoo.cfg's names). Without `dataDir` data lives in memory only. */
export interface DurabilityOptions {
  /** Snapshots and epoch files, and the transaction log unless `dataLogDir` is set (zoo.cfg `dataDir`). */
  dataDir?: string;
  /** The transaction log, ideally on its own device (zoo.cfg `dataLogDir`). */
  dataLogDir?: string;
  /** fsync every write before acknowledging it (zoo.cfg `forceSync`). Default true; false is an explicit, unsafe choice. */
  forceSync?: boolean;
  /** Transactions between snapshots (zoo.cfg `snapCount`). Default 100 000. */
  snapCount?: number;
  /** Snapshots (and the logs they need) kept by purging (zoo.cfg `autopurge.snapRetainCount`, at least 3). */
  snapRetainCount?: number;
  /** Hours between purges; 0 disables purging (zoo.cfg `autopurge.purgeInterval`). */
  purgeIntervalHours?: number;
}

/** Options with every default applied. */
export type ResolvedServerOptions = Required<Omit<ZkServerOptions, 'superDigest' | 'adminPort' | keyof DurabilityOptions>> & { superDigest: string | undefined };

/** Fills in ZooKeeper's defaults. */
export function resolveServerOptions(options: ZkServerOptions = {}): ResolvedServerOptions {
  const tickTimeMs = options.tickTimeMs ?? 2000;
  const resolved: ResolvedServerOptions = {
    host: options.host ?? '127.0.0.1',
    tcpPort: options.tcpPort ?? 2181,
    wsPort: options.wsPort === undefined ? 0 : options.wsPort,
    tickTimeMs,
    minSessionTimeoutMs: options.minSessionTimeoutMs ?? 2 * tickTimeMs,
    maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? 20 * tickTimeMs,
    maxFrameBytes: options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
    maxOutstandingRequests: options.maxOutstandingRequests ?? 1000,
    maxClientConnections: options.maxClientConnections ?? 60,
    serverId: options.serverId ?? 1,
    superDigest: options.superDigest,
    extendedTypesEnabled: options.extendedTypesEnabled ?? true,
    containerCheckIntervalMs: options.containerCheckIntervalMs ?? 60_000,
    sessionlessConnectionTimeoutMs: options.sessionlessConnectionTimeoutMs ?? 10_000,
    fourLetterWordWhitelist: options.fourLetterWordWhitelist ?? ['*'],
  };
  if (!(resolved.tickTimeMs > 0)) throw new RangeError(`tickTime must be positive, got ${resolved.tickTimeMs}`);
  if (resolved.minSessionTimeoutMs > resolved.maxSessionTimeoutMs) {
    throw new RangeError(`minSessionTimeout ${resolved.minSessionTimeoutMs} exceeds maxSessionTimeout ${resolved.maxSessionTimeoutMs}`);
  }
  return resolved;
}

/** Clamps a requested session timeout into [min, max], as ZooKeeperServer.processConnectRequest does. */
export function negotiateSessionTimeoutMs(requestedMs: number, options: ResolvedServerOptions): number {
  return Math.min(Math.max(requestedMs, options.minSessionTimeoutMs), options.maxSessionTimeoutMs);
}
